"""Image preprocessing and augmentation layers (`keras.layers.RandomFlip`, ...)."""

from lamina.layers.preprocessing.image.center_crop import CenterCrop
from lamina.layers.preprocessing.image.random_brightness import RandomBrightness
from lamina.layers.preprocessing.image.random_contrast import RandomContrast
from lamina.layers.preprocessing.image.random_crop import RandomCrop
from lamina.layers.preprocessing.image.random_flip import RandomFlip
from lamina.layers.preprocessing.image.random_grayscale import RandomGrayscale
from lamina.layers.preprocessing.image.random_hue import RandomHue
from lamina.layers.preprocessing.image.random_rotation import RandomRotation
from lamina.layers.preprocessing.image.random_saturation import RandomSaturation
from lamina.layers.preprocessing.image.random_shear import RandomShear
from lamina.layers.preprocessing.image.random_translation import RandomTranslation
from lamina.layers.preprocessing.image.random_zoom import RandomZoom
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.preprocessing.image.resizing import Resizing
