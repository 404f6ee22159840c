import os

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.preprocessing import Normalization
from lamina.testing import check_layer

RNG = np.random.RandomState(0)
DATA = (RNG.rand(64, 3) * [1.0, 10.0, 100.0]).astype("float32")


def _adapted(axis=-1, data=DATA):
    layer = Normalization(axis=axis)
    layer.adapt(data)
    return layer


def test_normalization_conformance_adapted():
    check_layer(
        _adapted,
        DATA[:4],
        expected_output_shape=(4, 3),
        expected_weight_names=["mean", "variance", "count"],
    )


def test_normalization_conformance_given_statistics():
    check_layer(
        lambda: Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0]),
        DATA[:4],
        expected_output_shape=(4, 3),
        expected_num_weights=0,
    )


def test_normalization_adapt_standardizes_data():
    out = _adapted()(torch.from_numpy(DATA)).numpy()
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=1e-4)


def test_normalization_weights_hold_mean_and_variance():
    mean, variance, count = _adapted().get_weights()
    np.testing.assert_allclose(mean, DATA.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(variance, DATA.var(axis=0), rtol=1e-5)
    assert count.dtype == np.int32 and count == 0


def test_normalization_adapt_on_tensor_and_batches_agree():
    from_array = _adapted().get_weights()
    from_tensor = _adapted(data=torch.from_numpy(DATA)).get_weights()
    batches = [DATA[i : i + 10] for i in range(0, 64, 10)]
    from_batches = _adapted(data=batches).get_weights()
    pairs = [(DATA[i : i + 16], np.zeros(16)) for i in range(0, 64, 16)]
    from_pairs = _adapted(data=iter(pairs)).get_weights()
    for other in (from_tensor, from_batches, from_pairs):
        for expected, actual in zip(from_array[:2], other[:2], strict=True):
            np.testing.assert_allclose(actual, expected, rtol=1e-5)


def test_normalization_adapt_on_dataloader():
    loader = torch.utils.data.DataLoader(torch.from_numpy(DATA), batch_size=16)
    weights = _adapted(data=loader).get_weights()
    np.testing.assert_allclose(weights[0], DATA.mean(axis=0), rtol=1e-5)


def test_normalization_axis_none_uses_one_mean():
    layer = _adapted(axis=None)
    assert layer.get_weights()[0].shape == ()
    np.testing.assert_allclose(layer.get_weights()[0], DATA.mean(), rtol=1e-5)


def test_normalization_multiple_axes():
    images = RNG.rand(8, 4, 5, 2).astype("float32")
    layer = _adapted(axis=(1, 3), data=images)
    assert layer.get_weights()[0].shape == (4, 2)
    np.testing.assert_allclose(
        layer.get_weights()[0], images.mean(axis=(0, 2)), rtol=1e-5
    )
    assert tuple(layer(torch.from_numpy(images)).shape) == (8, 4, 5, 2)


def test_normalization_invert_undoes_normalization():
    forward = Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    backward = Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True)
    x = torch.tensor([[3.0, -1.0]])
    assert forward(x).tolist() == [[1.0, -1.0]]
    torch.testing.assert_close(backward(forward(x)), x)


def test_normalization_scalar_statistics_broadcast():
    layer = Normalization(axis=None, mean=2.0, variance=4.0)
    assert layer(torch.tensor([[4.0, 0.0]])).tolist() == [[1.0, -1.0]]


def test_normalization_zero_variance_stays_finite():
    layer = Normalization(mean=[1.0], variance=[0.0])
    assert torch.isfinite(layer(torch.tensor([[2.0]]))).all()


def test_normalization_casts_integer_inputs():
    layer = Normalization(mean=[1.0], variance=[1.0])
    out = layer(torch.tensor([[3]]))
    assert out.dtype == torch.float32 and out.tolist() == [[2.0]]


def test_normalization_mean_property_is_broadcast():
    layer = _adapted()
    assert tuple(layer.mean.shape) == (1, 3)
    assert Normalization().mean is None


def test_normalization_config_round_trip():
    layer = Normalization(axis=(1, 2), mean=[[1.0]], variance=[[2.0]], invert=True)
    config = layer.get_config()
    assert config["axis"] == (1, 2) and config["mean"] == [[1.0]]
    rebuilt = Normalization.from_config(config)
    assert rebuilt.axis == (1, 2) and rebuilt.invert


def test_normalization_adapted_model_saves_and_loads(tmp_path):
    inputs = lamina.Input((3,))
    model = lamina.Model(inputs, lamina.layers.Dense(2)(_adapted()(inputs)))
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    restored = lamina.models.load_model(path)
    x = torch.from_numpy(DATA[:5])
    torch.testing.assert_close(restored(x), model(x))


def test_normalization_rejects_only_mean():
    with pytest.raises(ValueError, match="only one of mean= and variance="):
        Normalization(mean=1.0)


def test_normalization_rejects_mismatched_statistics():
    with pytest.raises(ValueError, match=r"same shape.*\(2,\) and \(3,\)"):
        Normalization(mean=[1.0, 2.0], variance=[1.0, 1.0, 1.0])


def test_normalization_rejects_statistics_of_too_many_axes():
    with pytest.raises(ValueError, match="more axes than axis"):
        Normalization(mean=[[1.0]], variance=[[1.0]])


def test_normalization_rejects_bad_axis_type():
    with pytest.raises(TypeError, match="axis=1.5"):
        Normalization(axis=1.5)


def test_normalization_rejects_axis_out_of_range():
    with pytest.raises(ValueError, match=r"axis=\(3,\).*2 axes"):
        Normalization(axis=3)(torch.ones(2, 3))


def test_normalization_rejects_unknown_kept_axis():
    with pytest.raises(ValueError, match="size is unknown"):
        Normalization().build((None, None))


def test_normalization_rejects_adapt_with_given_statistics():
    with pytest.raises(ValueError, match="cannot adapt"):
        Normalization(mean=1.0, variance=1.0).adapt(DATA)


def test_normalization_rejects_adapt_of_other_feature_size():
    layer = _adapted()
    with pytest.raises(ValueError, match=r"built for input shape \(64, 3\)"):
        layer.adapt(np.ones((5, 4), "float32"))


def test_normalization_rejects_empty_and_shapeless_iterables():
    with pytest.raises(ValueError, match="no batches"):
        Normalization().adapt(iter([]))
    with pytest.raises(TypeError, match=r"batches with a \.shape"):
        Normalization().adapt([1.0, 2.0])
