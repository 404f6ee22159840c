"""Reference tests compare lamina with real Keras 3 on the torch backend."""

import os

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")


@pytest.fixture(scope="session")
def keras():
    """The real Keras 3 package, imported once per test session."""
    import keras as real_keras  # a test dependency: a missing one must fail

    return real_keras
