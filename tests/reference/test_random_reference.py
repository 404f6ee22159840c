"""`lamina.random` draws follow the same laws as `keras.random` (not values)."""

import pytest
import torch

import lamina.random as lamina_random

N = 20000

CASES = [
    ("normal", ((N,),), {"mean": 1.0, "stddev": 2.0}),
    ("uniform", ((N,),), {"minval": -1.0, "maxval": 3.0}),
    ("randint", ((N,), 2, 9), {}),
    ("truncated_normal", ((N,),), {"stddev": 0.5}),
    ("gamma", ((N,), 2.5), {}),
    ("beta", ((N,), 2.0, 5.0), {}),
    ("binomial", ((N,), 10, 0.3), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_draws_match_keras_statistics(keras, name, args, kwargs):
    ours = getattr(lamina_random, name)(*args, seed=1, **kwargs).double()
    theirs = getattr(keras.random, name)(*args, seed=1, **kwargs).double()
    assert ours.dtype == theirs.dtype or name == "randint"
    spread = float(theirs.std()) + 1e-6
    assert abs(float(ours.mean() - theirs.mean())) < 0.05 * spread + 0.02
    assert abs(float(ours.std() - theirs.std())) < 0.05 * spread
    assert float(ours.min()) >= float(theirs.min()) - 0.5 * spread
    assert float(ours.max()) <= float(theirs.max()) + 0.5 * spread


def test_result_dtypes_match_keras(keras):
    assert lamina_random.normal((2,)).dtype == keras.random.normal((2,)).dtype
    assert (
        lamina_random.randint((2,), 0, 3).dtype
        == keras.random.randint((2,), 0, 3).dtype
    )
    logits = torch.zeros(2, 3)
    assert (
        lamina_random.categorical(logits, 4).dtype
        == keras.random.categorical(logits, 4).dtype
    )


def test_categorical_frequencies_match_keras(keras):
    logits = torch.log(torch.tensor([[0.1, 0.6, 0.3]]))
    ours = lamina_random.categorical(logits, N, seed=3)[0]
    theirs = keras.random.categorical(logits, N, seed=3)[0]
    for label in range(3):
        assert (
            abs(
                float((ours == label).float().mean() - (theirs == label).float().mean())
            )
            < 0.02
        )


def test_dropout_matches_keras_scaling(keras):
    x = torch.ones(N)
    ours = lamina_random.dropout(x, 0.25, seed=0)
    theirs = keras.random.dropout(x, 0.25, seed=0)
    assert set(ours.unique().tolist()) == set(theirs.unique().tolist())
    assert abs(float((ours == 0).float().mean() - (theirs == 0).float().mean())) < 0.02


def test_every_keras_random_name_exists(keras):
    missing = [
        n
        for n in dir(keras.random)
        if not n.startswith("_") and not hasattr(lamina_random, n)
    ]
    assert not missing, f"lamina.random lacks: {missing}"
