"""VGG19: four convolutions in the last three blocks."""

from lamina.applications import vgg19


def test_vgg19_has_sixteen_convolutions():
    model = vgg19.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    convs = [layer.name for layer in model.layers if "_conv" in layer.name]
    assert len(convs) == 16
    assert convs[-1] == "block5_conv4"
    assert model.name == "vgg19"
