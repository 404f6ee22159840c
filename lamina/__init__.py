"""lamina: the Keras API on PyTorch."""

__version__ = "0.1.0"
