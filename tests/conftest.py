"""Test-wide setup: real Keras (the reference) runs on its torch backend."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")
