"""Test helpers shipped with lamina: the layer conformance check."""

from lamina.testing.check_layer import check_layer
