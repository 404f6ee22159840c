"""Classic data sets, loaded with Keras's signatures and file formats."""

from lamina.datasets import boston_housing
from lamina.datasets import california_housing
from lamina.datasets import cifar10
from lamina.datasets import cifar100
from lamina.datasets import digits
from lamina.datasets import fashion_mnist
from lamina.datasets import imdb
from lamina.datasets import mnist
from lamina.datasets import reuters

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "digits",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
