"""The model zoo: Keras's image classifiers, with their ImageNet weights.

Example:
>>> from lamina import applications
>>> base = applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
>>> base.trainable = False
>>> base.output_shape
(None, 1, 1, 512)
"""

from lamina.applications import densenet
from lamina.applications import efficientnet
from lamina.applications import imagenet_utils
from lamina.applications import inception_v3
from lamina.applications import mobilenet
from lamina.applications import mobilenet_v2
from lamina.applications import mobilenet_v3
from lamina.applications import resnet
from lamina.applications import resnet50
from lamina.applications import resnet_v2
from lamina.applications import vgg16
from lamina.applications import vgg19
from lamina.applications import xception
from lamina.applications.densenet import DenseNet121
from lamina.applications.densenet import DenseNet169
from lamina.applications.densenet import DenseNet201
from lamina.applications.efficientnet import EfficientNetB0
from lamina.applications.efficientnet import EfficientNetB1
from lamina.applications.efficientnet import EfficientNetB2
from lamina.applications.efficientnet import EfficientNetB3
from lamina.applications.efficientnet import EfficientNetB4
from lamina.applications.efficientnet import EfficientNetB5
from lamina.applications.efficientnet import EfficientNetB6
from lamina.applications.efficientnet import EfficientNetB7
from lamina.applications.inception_v3 import InceptionV3
from lamina.applications.mobilenet import MobileNet
from lamina.applications.mobilenet_v2 import MobileNetV2
from lamina.applications.mobilenet_v3 import MobileNetV3Large
from lamina.applications.mobilenet_v3 import MobileNetV3Small
from lamina.applications.resnet import ResNet50
from lamina.applications.resnet import ResNet101
from lamina.applications.resnet import ResNet152
from lamina.applications.resnet_v2 import ResNet50V2
from lamina.applications.resnet_v2 import ResNet101V2
from lamina.applications.resnet_v2 import ResNet152V2
from lamina.applications.vgg16 import VGG16
from lamina.applications.vgg19 import VGG19
from lamina.applications.xception import Xception
