"""Learning-rate schedules: values, configs and errors."""

import pytest
import torch

from lamina.optimizers import schedules


def test_schedules_return_tensors_on_step_device():
    schedule = schedules.PolynomialDecay(0.1, 10)
    value = schedule(torch.tensor(3, dtype=torch.int64))
    assert isinstance(value, torch.Tensor) and value.dim() == 0
    assert value.dtype == torch.float32


@pytest.mark.parametrize(
    "schedule",
    [
        schedules.ExponentialDecay(0.1, 10, 0.9),
        schedules.PiecewiseConstantDecay([1, 2], [0.3, 0.2, 0.1]),
        schedules.PolynomialDecay(0.1, 10, cycle=True),
        schedules.InverseTimeDecay(0.1, 10, 0.9, staircase=True),
        schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3),
        schedules.CosineDecayRestarts(0.1, 10),
    ],
)
def test_schedule_config_round_trip(schedule):
    restored = schedules.deserialize(schedules.serialize(schedule))
    assert type(restored) is type(schedule)
    assert restored.get_config() == schedule.get_config()
    assert float(restored(7)) == float(schedule(7))


def test_schedule_rejects_non_positive_decay_steps():
    with pytest.raises(ValueError, match="decay_steps > 0.*decay_steps=0"):
        schedules.ExponentialDecay(0.1, 0, 0.9)


def test_piecewise_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="one more value than boundaries"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])


def test_deserialize_unknown_schedule_lists_available():
    with pytest.raises(ValueError, match="Available schedules: CosineDecay"):
        schedules.deserialize({"class_name": "Nope", "config": {}})


def test_base_schedule_requires_call():
    with pytest.raises(NotImplementedError, match="must override"):
        schedules.LearningRateSchedule()(0)
