"""Image preprocessing and augmentation layers (`keras.layers.RandomFlip`, ...)."""

from lamina.layers.preprocessing.image.aug_mix import AugMix
from lamina.layers.preprocessing.image.auto_contrast import AutoContrast
from lamina.layers.preprocessing.image.center_crop import CenterCrop
from lamina.layers.preprocessing.image.contrast_limited_adaptive_histogram_equalization import (  # noqa: E501
    ContrastLimitedAdaptiveHistogramEqualization,
)
from lamina.layers.preprocessing.image.cut_mix import CutMix
from lamina.layers.preprocessing.image.equalization import Equalization
from lamina.layers.preprocessing.image.mix_up import MixUp
from lamina.layers.preprocessing.image.rand_augment import RandAugment
from lamina.layers.preprocessing.image.random_brightness import RandomBrightness
from lamina.layers.preprocessing.image.random_color_degeneration import (
    RandomColorDegeneration,
)
from lamina.layers.preprocessing.image.random_color_jitter import RandomColorJitter
from lamina.layers.preprocessing.image.random_contrast import RandomContrast
from lamina.layers.preprocessing.image.random_crop import RandomCrop
from lamina.layers.preprocessing.image.random_elastic_transform import (
    RandomElasticTransform,
)
from lamina.layers.preprocessing.image.random_erasing import RandomErasing
from lamina.layers.preprocessing.image.random_flip import RandomFlip
from lamina.layers.preprocessing.image.random_gaussian_blur import RandomGaussianBlur
from lamina.layers.preprocessing.image.random_grayscale import RandomGrayscale
from lamina.layers.preprocessing.image.random_hue import RandomHue
from lamina.layers.preprocessing.image.random_invert import RandomInvert
from lamina.layers.preprocessing.image.random_perspective import RandomPerspective
from lamina.layers.preprocessing.image.random_posterization import RandomPosterization
from lamina.layers.preprocessing.image.random_rotation import RandomRotation
from lamina.layers.preprocessing.image.random_saturation import RandomSaturation
from lamina.layers.preprocessing.image.random_sharpness import RandomSharpness
from lamina.layers.preprocessing.image.random_shear import RandomShear
from lamina.layers.preprocessing.image.random_translation import RandomTranslation
from lamina.layers.preprocessing.image.random_zoom import RandomZoom
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.preprocessing.image.resizing import Resizing
from lamina.layers.preprocessing.image.solarization import Solarization
