"""Learning-rate schedules: `lamina.optimizers.schedules`."""

from lamina.optimizers.schedules._serialization import deserialize
from lamina.optimizers.schedules._serialization import serialize
from lamina.optimizers.schedules.cosine_decay import CosineDecay
from lamina.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts
from lamina.optimizers.schedules.exponential_decay import ExponentialDecay
from lamina.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from lamina.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from lamina.optimizers.schedules.polynomial_decay import PolynomialDecay

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]
