"""Image ops (`keras.ops.image`): resizing, warps, colour, patches, filters."""

from lamina.ops._symbolic import make_namespace_symbolic
from lamina.ops.image.color import hsv_to_rgb
from lamina.ops.image.color import rgb_to_grayscale
from lamina.ops.image.color import rgb_to_hsv
from lamina.ops.image.filters import gaussian_blur
from lamina.ops.image.filters import sobel_edges
from lamina.ops.image.filters import ssim
from lamina.ops.image.geometry import affine_transform
from lamina.ops.image.geometry import elastic_transform
from lamina.ops.image.geometry import map_coordinates
from lamina.ops.image.geometry import perspective_transform
from lamina.ops.image.geometry import scale_and_translate
from lamina.ops.image.patches import crop_images
from lamina.ops.image.patches import extract_patches
from lamina.ops.image.patches import extract_patches_3d
from lamina.ops.image.patches import pad_images
from lamina.ops.image.resize import resize

# Every op above also takes KerasTensors (records a node in a functional model).
make_namespace_symbolic(globals())
