"""Losses: Keras's loss functions and `Loss` classes."""

from lamina.losses._lookup import deserialize
from lamina.losses._lookup import get
from lamina.losses._lookup import serialize
from lamina.losses.circle import Circle
from lamina.losses.circle import circle
from lamina.losses.crossentropy import binary_crossentropy
from lamina.losses.crossentropy import binary_focal_crossentropy
from lamina.losses.crossentropy import categorical_crossentropy
from lamina.losses.crossentropy import categorical_focal_crossentropy
from lamina.losses.crossentropy import sparse_categorical_crossentropy
from lamina.losses.ctc import CTC
from lamina.losses.ctc import ctc
from lamina.losses.generalized_cross_entropy import CategoricalGeneralizedCrossEntropy
from lamina.losses.generalized_cross_entropy import (
    categorical_generalized_cross_entropy,
)
from lamina.losses.hinge import CategoricalHinge
from lamina.losses.hinge import Hinge
from lamina.losses.hinge import SquaredHinge
from lamina.losses.hinge import categorical_hinge
from lamina.losses.hinge import hinge
from lamina.losses.hinge import squared_hinge
from lamina.losses.loss import Loss
from lamina.losses.loss_function_wrapper import LossFunctionWrapper
from lamina.losses.probabilistic import BinaryCrossentropy
from lamina.losses.probabilistic import BinaryFocalCrossentropy
from lamina.losses.probabilistic import CategoricalCrossentropy
from lamina.losses.probabilistic import CategoricalFocalCrossentropy
from lamina.losses.probabilistic import KLDivergence
from lamina.losses.probabilistic import Poisson
from lamina.losses.probabilistic import SparseCategoricalCrossentropy
from lamina.losses.probabilistic import kl_divergence
from lamina.losses.probabilistic import poisson
from lamina.losses.regression import CosineSimilarity
from lamina.losses.regression import Huber
from lamina.losses.regression import LogCosh
from lamina.losses.regression import MeanAbsoluteError
from lamina.losses.regression import MeanAbsolutePercentageError
from lamina.losses.regression import MeanSquaredError
from lamina.losses.regression import MeanSquaredLogarithmicError
from lamina.losses.regression import cosine_similarity
from lamina.losses.regression import huber
from lamina.losses.regression import log_cosh
from lamina.losses.regression import mean_absolute_error
from lamina.losses.regression import mean_absolute_percentage_error
from lamina.losses.regression import mean_squared_error
from lamina.losses.regression import mean_squared_logarithmic_error
from lamina.losses.segmentation import Dice
from lamina.losses.segmentation import Tversky
from lamina.losses.segmentation import dice
from lamina.losses.segmentation import tversky

# Keras 2 short names, importable as functions: `from lamina.losses import mse`.
MSE = mse = mean_squared_error
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSLE = msle = mean_squared_logarithmic_error
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
huber_loss = huber
bce = binary_crossentropy

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CTC",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLD",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "bce",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
    "get",
    "hinge",
    "huber",
    "huber_loss",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
]
