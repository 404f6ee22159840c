"""`lamina.random`: seeds replay, generators advance, draws have the right law."""

import pytest
import torch

from lamina import random


@pytest.mark.parametrize(
    "draw",
    [
        lambda seed: random.normal((50,), seed=seed),
        lambda seed: random.uniform((50,), seed=seed),
        lambda seed: random.randint((50,), 0, 10, seed=seed),
        lambda seed: random.truncated_normal((50,), seed=seed),
        lambda seed: random.categorical(torch.zeros(2, 4), 10, seed=seed),
        lambda seed: random.dropout(torch.ones(50), 0.5, seed=seed),
        lambda seed: random.shuffle(torch.arange(50), seed=seed),
        lambda seed: random.gamma((50,), 2.0, seed=seed),
        lambda seed: random.beta((50,), 2.0, 3.0, seed=seed),
        lambda seed: random.binomial((50,), 10, 0.3, seed=seed),
    ],
)
def test_int_seed_replays_and_generator_advances(draw):
    assert torch.equal(draw(3), draw(3))
    generator = random.SeedGenerator(3)
    assert not torch.equal(draw(generator), draw(generator))
    first, second = random.SeedGenerator(9), random.SeedGenerator(9)
    assert torch.equal(draw(first), draw(second))


def test_seed_none_uses_torch_global_rng():
    torch.manual_seed(0)
    a = random.normal((4,))
    torch.manual_seed(0)
    assert torch.equal(random.normal((4,)), a)


def test_int_seed_leaves_the_global_rng_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    random.normal((10,), seed=5)
    assert torch.equal(torch.rand(3), expected)


def test_truncated_normal_stays_within_two_stddevs():
    values = random.truncated_normal((10000,), mean=1.0, stddev=2.0, seed=1)
    assert values.min() >= -3.0 and values.max() <= 5.0


def test_dropout_keeps_the_expected_value():
    values = random.dropout(torch.ones(20000), 0.3, seed=2)
    assert abs(float(values.mean()) - 1.0) < 0.03
    kept = values[values != 0]
    assert torch.allclose(kept, torch.full_like(kept, 1 / 0.7))


def test_dropout_noise_shape_broadcasts():
    values = random.dropout(torch.ones(4, 100), 0.5, noise_shape=(None, 1), seed=0)
    assert all(len(row.unique()) == 1 for row in values)


def test_uniform_rejects_integer_dtype():
    with pytest.raises(ValueError, match="float dtype"):
        random.uniform((2,), dtype="int32")


def test_seed_generator_rejects_non_int_seed():
    with pytest.raises(TypeError, match="integer seed"):
        random.SeedGenerator("seven")
