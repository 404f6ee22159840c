"""`K.function` and `K.gradients` as Keras 2 programs use them."""

import numpy as np
import pytest
import torch

import lamina
from lamina import backend as K
from lamina.layers import Conv2D
from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers import Flatten
from lamina.layers import Input
from lamina.models import Model
from lamina.models import Sequential


@pytest.fixture
def mlp():
    lamina.utils.set_random_seed(3)
    return Sequential(
        [
            Dense(8, activation="relu", input_shape=(4,)),
            Dropout(0.5),
            Dense(3, activation="softmax"),
        ]
    )


@pytest.fixture
def data():
    return np.random.default_rng(0).random((6, 4)).astype("float32")


def test_function_reads_an_intermediate_layer_in_both_learning_phases(mlp, data):
    get_hidden = K.function([mlp.input, K.learning_phase()], [mlp.layers[1].output])
    kernel, bias = mlp.layers[0].get_weights()
    expected = np.maximum(data @ kernel + bias, 0)

    inference = get_hidden([data, 0])
    training = get_hidden([data, 1])[0]

    assert isinstance(inference, list) and len(inference) == 1
    np.testing.assert_allclose(inference[0], expected, atol=1e-6)
    kept = training != 0
    assert 0.2 < 1 - kept[expected != 0].mean() < 0.8  # dropout applied
    np.testing.assert_allclose(training[kept], 2 * expected[kept], rtol=1e-5)


def test_function_with_a_single_output_returns_a_single_array(mlp, data):
    predict = K.function(mlp.input, mlp.output)
    np.testing.assert_allclose(
        predict(data), mlp.predict(data, verbose=0), rtol=1e-6, atol=1e-7
    )


def test_symbolic_input_gradient_equals_autograd(mlp, data):
    grads = K.gradients(mlp.output[:, 1], mlp.input)[0]
    saliency = K.function([mlp.input], [grads])([data])[0]

    x = torch.tensor(data, requires_grad=True)
    mlp(x)[:, 1].sum().backward()
    np.testing.assert_allclose(saliency, x.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_symbolic_weight_gradients_equal_autograd(mlp, data):
    loss = K.mean(K.square(mlp.output[:, 0]))
    weight_grads = K.function([mlp.input], K.gradients(loss, mlp.trainable_weights))
    computed = weight_grads([data])

    mlp.zero_grad()
    (mlp(torch.tensor(data))[:, 0] ** 2).mean().backward()
    assert len(computed) == 4
    for grad, weight in zip(computed, mlp.trainable_weights, strict=True):
        np.testing.assert_allclose(grad, weight.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_gradient_ascent_maximises_a_filter_like_keras2_visualisations():
    lamina.utils.set_random_seed(4)
    image = Input((12, 12, 1))
    features = Conv2D(4, 3, activation="relu", name="conv")(image)
    model = Model(image, Dense(2)(Flatten()(features)))
    layer_output = model.get_layer("conv").output
    loss = K.mean(layer_output[:, :, :, 2])
    grads = K.gradients(loss, model.input)[0]
    grads = grads / (K.sqrt(K.mean(K.square(grads))) + 1e-5)
    iterate = K.function([model.input], [loss, grads])

    values = np.random.default_rng(1).random((1, 12, 12, 1)).astype("float32")
    first_loss, _ = iterate([values])
    for _ in range(20):
        loss_value, grads_value = iterate([values])
        values = values + 0.1 * grads_value
    assert grads_value.shape == values.shape
    assert loss_value > first_loss + 0.1


def test_gradients_with_respect_to_an_intermediate_output_as_in_grad_cam():
    lamina.utils.set_random_seed(5)
    image = Input((8, 8, 1))
    conv = Conv2D(3, 3, activation="relu", name="last_conv")(image)
    scores = Dense(2)(Flatten()(conv))
    model = Model(image, scores)
    grads = K.gradients(model.output[:, 0], model.get_layer("last_conv").output)[0]
    pooled = K.mean(grads, axis=(0, 1, 2))
    iterate = K.function([model.input], [pooled, conv[0]])
    values = np.random.default_rng(2).random((1, 8, 8, 1)).astype("float32")

    pooled_value, conv_value = iterate([values])

    x = torch.tensor(values)
    conv_tensor = model.get_layer("last_conv")(x)
    conv_tensor.retain_grad()
    dense = model.layers[-1]
    dense(conv_tensor.reshape(1, -1))[:, 0].sum().backward()
    expected = conv_tensor.grad.mean(dim=(0, 1, 2)).numpy()
    np.testing.assert_allclose(pooled_value, expected, rtol=1e-5, atol=1e-7)
    assert conv_value.shape == (6, 6, 3)


def test_updates_assign_each_variable_after_the_call(data):
    inputs = Input((4,))
    total = lamina.Variable(np.zeros((4,), "float32"))
    step = K.function([inputs], [K.sum(inputs)], updates=[(total, K.sum(inputs, 0))])

    step([data])

    np.testing.assert_allclose(total.numpy(), data.sum(axis=0), rtol=1e-6)


def test_k_functions_on_symbolic_tensors_build_a_model():
    inputs = Input((2, 3))
    flat = K.batch_flatten(inputs)
    joined = K.concatenate([flat, K.l2_normalize(flat, axis=-1)], axis=-1)
    model = Model(inputs, joined)
    x = np.random.default_rng(3).random((4, 2, 3)).astype("float32")

    expected = K.concatenate(
        [
            K.batch_flatten(torch.tensor(x)),
            K.l2_normalize(torch.tensor(x).reshape(4, 6), axis=-1),
        ]
    )
    assert model.output_shape == (None, 12)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected.numpy(), rtol=1e-6)


def test_eager_gradients_give_zeros_for_unconnected_variables():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    unused = torch.tensor([5.0], requires_grad=True)

    grad_x, grad_unused = K.gradients((x**3).sum(), [x, unused])

    assert grad_x.tolist() == [3.0, 12.0]
    assert grad_unused.tolist() == [0.0]


def test_function_refuses_a_wrong_number_of_values(mlp, data):
    predict = K.function([mlp.input, K.learning_phase()], [mlp.output])
    with pytest.raises(ValueError, match="takes 2 input value"):
        predict([data])


def test_function_refuses_outputs_that_are_not_symbolic(mlp):
    with pytest.raises(TypeError, match="outputs must be symbolic tensors"):
        K.function([mlp.input], [np.zeros(3)])


def test_function_refuses_malformed_updates(mlp):
    with pytest.raises(TypeError, match=r"\(variable, symbolic_value\) pairs"):
        K.function([mlp.input], [mlp.output], updates=[mlp.output])


def test_function_refuses_unknown_arguments(mlp):
    with pytest.raises(TypeError, match="session"):
        K.function([mlp.input], [mlp.output], session=None)


def test_symbolic_gradients_refuse_a_constant_variable(mlp):
    with pytest.raises(TypeError, match="trainable weights"):
        K.gradients(K.sum(mlp.output), [torch.zeros(3)])


def test_sequential_and_functional_models_expose_input_and_output(mlp):
    assert mlp.input.shape == (None, 4)
    assert mlp.output.shape == (None, 3)
    inputs = [Input((2,)), Input((3,))]
    joined = K.concatenate(inputs, axis=-1)
    model = Model(inputs, joined)
    assert model.input == inputs
    assert model.output is joined


def test_a_model_of_k_functions_saves_and_loads(tmp_path):
    inputs = Input((2, 3))
    flat = K.batch_flatten(inputs)
    model = Model(inputs, K.concatenate([flat, K.l2_normalize(flat, axis=-1)]))
    x = np.random.default_rng(4).random((3, 2, 3)).astype("float32")
    model.save(tmp_path / "k.keras")

    loaded = lamina.models.load_model(tmp_path / "k.keras")

    layer_configs = model.get_config()["layers"]
    assert {entry["module"] for entry in layer_configs[1:]} == {"lamina.backend"}
    np.testing.assert_array_equal(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )
