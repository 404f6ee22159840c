"""Test-wide setup: real Keras (the reference) runs on its torch backend, and
every test starts from the same random state, so no threshold can flake."""

import os

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")


@pytest.fixture(autouse=True)
def _seeded_generators():
    """Seeds Python, NumPy and torch before each test."""
    from lamina.utils import set_random_seed

    set_random_seed(20261127)
