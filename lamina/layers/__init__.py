"""Layers: the building blocks of models."""

from lamina.layers.core.activation import Activation
from lamina.layers.core.dense import Dense
from lamina.layers.input_layer import Input
from lamina.layers.input_layer import InputLayer
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import Dropout
from lamina.layers.reshaping.flatten import Flatten
