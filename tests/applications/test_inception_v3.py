"""InceptionV3: input size limits."""

import pytest

from lamina.applications import inception_v3


def test_inception_v3_rejects_images_smaller_than_75():
    with pytest.raises(ValueError, match="at least 75x75"):
        inception_v3.InceptionV3(
            weights=None, include_top=False, input_shape=(74, 74, 3)
        )


def test_inception_v3_imagenet_top_needs_299():
    with pytest.raises(ValueError, match=r"\(299, 299, 3\)"):
        inception_v3.InceptionV3(input_shape=(224, 224, 3))
