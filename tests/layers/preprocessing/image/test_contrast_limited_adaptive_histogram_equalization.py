"""ContrastLimitedAdaptiveHistogramEqualization."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.preprocessing.image.contrast_limited_adaptive_histogram_equalization import (  # noqa: E501
    ContrastLimitedAdaptiveHistogramEqualization,
)
from lamina.layers.preprocessing.image.contrast_limited_adaptive_histogram_equalization import (  # noqa: E501
    _mirror_pad,
)

_NAME = "ContrastLimitedAdaptiveHistogramEqualization"


@pytest.mark.parametrize("training", [False, True])
def test_clahe_passes_check_layer(training):
    check_image_layer(
        lambda: ContrastLimitedAdaptiveHistogramEqualization(
            (0, 1), tile_grid_size=(2, 2)
        ),
        random_images(2, 5, 6, 3),
        (2, 5, 6, 3),
        training=training,
    )


def test_clahe_raises_contrast_of_a_dim_image():
    images = random_images(1, 32, 32, 1) * 40 + 100
    layer = ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
    assert float(layer(images).std()) > 2 * float(images.std())


def test_clahe_pads_tiles_by_mirroring_the_edge():
    # Keras intends numpy's "symmetric" padding (edge included); its torch
    # backend pads "replicate" instead, which lamina does not copy.
    rows = torch.arange(4.0).reshape(1, 4, 1, 1)
    padded = _mirror_pad(rows, 2, 0)
    assert padded.flatten().tolist() == [0.0, 1.0, 2.0, 3.0, 3.0, 2.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"clip_limit": -1.0}, "clip_limit to be a non-negative number"),
        ({"tile_grid_size": (8,)}, "tile_grid_size to be a pair"),
        ({"tile_grid_size": (0, 2)}, "tile_grid_size to be a pair"),
    ],
)
def test_clahe_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
