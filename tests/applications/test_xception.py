"""Xception: input size limits."""

import pytest

from lamina.applications import xception


def test_xception_rejects_images_smaller_than_71():
    with pytest.raises(ValueError, match="at least 71x71"):
        xception.Xception(weights=None, include_top=False, input_shape=(70, 90, 3))


def test_xception_imagenet_top_needs_299():
    with pytest.raises(ValueError, match=r"\(299, 299, 3\)"):
        xception.Xception(input_shape=(71, 71, 3))
