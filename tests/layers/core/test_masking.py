import torch

from lamina.layers import Masking
from lamina.testing import check_layer


def test_masking_conformance():
    check_layer(
        lambda: Masking(), torch.randn(2, 3, 4), expected_output_shape=(2, 3, 4)
    )


def test_masking_masks_padding_steps_and_zeroes_them():
    x = torch.tensor([[[1.0, 2.0], [-1.0, -1.0], [0.0, 3.0]]])
    out = Masking(mask_value=-1.0)(x)
    assert out._keras_mask.tolist() == [[True, False, True]]
    assert out[0, 1].tolist() == [0.0, 0.0]
    assert out[0, 2].tolist() == [0.0, 3.0]


def test_masking_config():
    assert Masking(2.0).get_config()["mask_value"] == 2.0
