import numpy as np
import pytest
import torch

import lamina
import lamina.layers
from lamina.layers import LSTM
from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers import Embedding
from lamina.layers.core.pipeline import Pipeline
from lamina.testing import check_layer

X = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")


def test_pipeline_passes_check_layer():
    check_layer(
        lambda: Pipeline([Dense(5, activation="relu"), Dense(2)]),
        X,
        (3, 2),
        expected_weight_names=["kernel", "bias", "kernel", "bias"],
    )


def test_pipeline_applies_layers_in_order():
    first, second = Dense(5), Dense(2)
    pipeline = Pipeline([first, second])
    x = torch.as_tensor(X)
    np.testing.assert_allclose(
        pipeline(x).detach(), second(first(x)).detach(), atol=1e-6
    )
    assert pipeline.layers == [first, second]


def test_pipeline_trains_by_default_but_follows_the_model():
    pipeline = Pipeline([Dropout(0.5)])
    x = torch.ones(200, 10)
    assert (pipeline(x) == 0).any()  # training defaults to True
    assert torch.equal(pipeline(x, training=False), x)
    inputs = lamina.layers.Input((10,))
    model = lamina.Model(inputs, pipeline(inputs))
    assert np.array_equal(model.predict(x.numpy(), verbose=0), x.numpy())


def test_pipeline_passes_masks_along():
    pipeline = Pipeline([Embedding(10, 4, mask_zero=True), LSTM(3)])
    ids = torch.tensor([[1, 2, 0, 0], [3, 4, 5, 0]])
    reference = LSTM(3)
    vectors = pipeline.layers[0](ids)
    reference(vectors)
    pipeline(ids)
    reference.set_weights(pipeline.layers[1].get_weights())
    np.testing.assert_allclose(
        pipeline(ids).detach(), reference(vectors, mask=ids != 0).detach(), atol=1e-6
    )


def test_pipeline_config_lists_the_layers():
    pipeline = Pipeline([Dense(5), Dense(2)], name="chain")
    config = pipeline.get_config()
    assert set(config) == {"layers", "name"} and config["name"] == "chain"
    assert [layer["class_name"] for layer in config["layers"]] == ["Dense", "Dense"]
    rebuilt = Pipeline.from_config(config)
    assert [layer.units for layer in rebuilt.layers] == [5, 2]


def test_pipeline_weight_file_nests_layers_under_layers(tmp_path):
    import h5py

    inputs = lamina.layers.Input((4,))
    model = lamina.Model(inputs, Pipeline([Dense(3), Dense(2)])(inputs))
    model.save_weights(str(tmp_path / "m.weights.h5"))
    with h5py.File(tmp_path / "m.weights.h5") as file:
        assert "layers/pipeline/layers/dense/vars/0" in file
        assert "layers/pipeline/layers/dense_1/vars/1" in file


def test_pipeline_rejects_bad_arguments():
    with pytest.raises(TypeError, match="layers to be a list of lamina layers"):
        Pipeline(Dense(2))
    with pytest.raises(ValueError, match="needs 'layers'"):
        Pipeline.from_config({"name": "p"})
