"""Metrics: stateful measures of model quality, and Keras's metric functions."""

from lamina.losses import binary_crossentropy
from lamina.losses import binary_focal_crossentropy
from lamina.losses import categorical_crossentropy
from lamina.losses import categorical_focal_crossentropy
from lamina.losses import categorical_hinge
from lamina.losses import hinge
from lamina.losses import huber
from lamina.losses import kl_divergence
from lamina.losses import log_cosh
from lamina.losses import mean_absolute_error
from lamina.losses import mean_absolute_percentage_error
from lamina.losses import mean_squared_error
from lamina.losses import mean_squared_logarithmic_error
from lamina.losses import poisson
from lamina.losses import sparse_categorical_crossentropy
from lamina.losses import squared_hinge
from lamina.metrics._lookup import deserialize
from lamina.metrics._lookup import get
from lamina.metrics._lookup import resolve_accuracy
from lamina.metrics._lookup import resolve_metric
from lamina.metrics._lookup import serialize
from lamina.metrics.accuracy_metrics import Accuracy
from lamina.metrics.accuracy_metrics import BinaryAccuracy
from lamina.metrics.accuracy_metrics import CategoricalAccuracy
from lamina.metrics.accuracy_metrics import SparseCategoricalAccuracy
from lamina.metrics.accuracy_metrics import SparseTopKCategoricalAccuracy
from lamina.metrics.accuracy_metrics import TopKCategoricalAccuracy
from lamina.metrics.accuracy_metrics import accuracy
from lamina.metrics.accuracy_metrics import binary_accuracy
from lamina.metrics.accuracy_metrics import categorical_accuracy
from lamina.metrics.accuracy_metrics import sparse_categorical_accuracy
from lamina.metrics.accuracy_metrics import sparse_top_k_categorical_accuracy
from lamina.metrics.accuracy_metrics import top_k_categorical_accuracy
from lamina.metrics.auc import AUC
from lamina.metrics.binary_iou import BinaryIoU
from lamina.metrics.confusion_metrics import FalseNegatives
from lamina.metrics.confusion_metrics import FalsePositives
from lamina.metrics.confusion_metrics import Precision
from lamina.metrics.confusion_metrics import PrecisionAtRecall
from lamina.metrics.confusion_metrics import Recall
from lamina.metrics.confusion_metrics import RecallAtPrecision
from lamina.metrics.confusion_metrics import SensitivityAtSpecificity
from lamina.metrics.confusion_metrics import SpecificityAtSensitivity
from lamina.metrics.confusion_metrics import TrueNegatives
from lamina.metrics.confusion_metrics import TruePositives
from lamina.metrics.correlation_metrics import ConcordanceCorrelation
from lamina.metrics.correlation_metrics import PearsonCorrelation
from lamina.metrics.correlation_metrics import concordance_correlation
from lamina.metrics.correlation_metrics import pearson_correlation
from lamina.metrics.f_score_metrics import F1Score
from lamina.metrics.f_score_metrics import FBetaScore
from lamina.metrics.hinge_metrics import CategoricalHinge
from lamina.metrics.hinge_metrics import Hinge
from lamina.metrics.hinge_metrics import SquaredHinge
from lamina.metrics.iou_metrics import IoU
from lamina.metrics.iou_metrics import MeanIoU
from lamina.metrics.metric import Metric
from lamina.metrics.one_hot_iou import OneHotIoU
from lamina.metrics.one_hot_iou import OneHotMeanIoU
from lamina.metrics.probabilistic_metrics import BinaryCrossentropy
from lamina.metrics.probabilistic_metrics import CategoricalCrossentropy
from lamina.metrics.probabilistic_metrics import KLDivergence
from lamina.metrics.probabilistic_metrics import Poisson
from lamina.metrics.probabilistic_metrics import SparseCategoricalCrossentropy
from lamina.metrics.r2_score import R2Score
from lamina.metrics.reduction_metrics import Mean
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.metrics.reduction_metrics import Sum
from lamina.metrics.regression_metrics import CosineSimilarity
from lamina.metrics.regression_metrics import LogCoshError
from lamina.metrics.regression_metrics import MeanAbsoluteError
from lamina.metrics.regression_metrics import MeanAbsolutePercentageError
from lamina.metrics.regression_metrics import MeanSquaredError
from lamina.metrics.regression_metrics import MeanSquaredLogarithmicError
from lamina.metrics.regression_metrics import RootMeanSquaredError
from lamina.metrics.regression_metrics import cosine_similarity

# Keras 2 short names of the metric functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

__all__ = [
    "AUC",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "ConcordanceCorrelation",
    "CosineSimilarity",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLD",
    "KLDivergence",
    "LogCoshError",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "OneHotIoU",
    "OneHotMeanIoU",
    "PearsonCorrelation",
    "Poisson",
    "Precision",
    "PrecisionAtRecall",
    "R2Score",
    "Recall",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "concordance_correlation",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
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
    "pearson_correlation",
    "poisson",
    "resolve_accuracy",
    "resolve_metric",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]
