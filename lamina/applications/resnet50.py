"""`lamina.applications.resnet50`: ResNet50 and its preprocessing, as in Keras."""

from lamina.applications.resnet import ResNet50
from lamina.applications.resnet import decode_predictions
from lamina.applications.resnet import preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
