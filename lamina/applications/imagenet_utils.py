"""ImageNet input preprocessing and decoding of the 1000-class predictions.

The three preprocessing modes are those the published weights were trained
with:

- `"caffe"`: RGB to BGR, then subtract the ImageNet mean pixel (no scaling).
- `"tf"`: scale pixels from [0, 255] to [-1, 1].
- `"torch"`: scale to [0, 1], then normalise each channel with the ImageNet
  mean and standard deviation.
"""

import json
from typing import Any

import numpy as np
import torch

from lamina import ops
from lamina.backend.config import floatx
from lamina.backend.config import image_data_format
from lamina.layers.keras_tensor import KerasTensor
from lamina.utils.file_utils import get_file

CLASS_INDEX = None
CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/"
    "data/imagenet_class_index.json"
)
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_MODES = ("caffe", "tf", "torch")
_DATA_FORMATS = ("channels_first", "channels_last")
_CAFFE_MEAN = (103.939, 116.779, 123.68)  # BGR
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)
_NUM_CLASSES = 1000


def preprocess_input(
    x: Any, data_format: str | None = None, mode: str = "caffe"
) -> Any:
    """Preprocesses a batch of images for an ImageNet model.

    As in Keras, a floating-point NumPy array is processed in place (pass
    `np.copy(x)` to keep the original) and other NumPy arrays are converted
    to `floatx()`. Torch tensors and symbolic tensors (`lamina.Input`) give a
    new tensor.

    Args:
        x: Images with values in [0, 255]: a NumPy array, torch tensor or
            symbolic tensor, 3D (one image) or 4D (a batch), with 3 channels.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `None` (the global `image_data_format()`).
        mode: `"caffe"`, `"tf"` or `"torch"` (see the module docstring).
            Defaults to `"caffe"`.

    Returns:
        The preprocessed images, of the input's kind.

    Example:
    >>> import numpy as np
    >>> preprocess_input(np.full((1, 1, 3), 255.0), mode="tf")
    array([[[1., 1., 1.]]])
    """
    if mode not in _MODES:
        raise ValueError(
            f"preprocess_input received mode={mode!r}, but expected one of "
            f"'caffe', 'tf' or 'torch'. Use the preprocess_input of the model's "
            f"module (e.g. lamina.applications.vgg16.preprocess_input)."
        )
    if data_format is None:
        data_format = image_data_format()
    elif data_format not in _DATA_FORMATS:
        raise ValueError(
            f"preprocess_input received data_format={data_format!r}, but "
            f"expected 'channels_first' or 'channels_last'."
        )
    if isinstance(x, np.ndarray):
        return _preprocess_numpy_input(x, data_format, mode)
    if isinstance(x, (torch.Tensor, KerasTensor)):
        return _preprocess_tensor_input(x, data_format, mode)
    raise TypeError(
        f"preprocess_input expected a NumPy array or a tensor, but received "
        f"{type(x).__name__}. Convert the images with np.asarray(x) first."
    )


def _preprocess_numpy_input(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    shape = _channel_shape(x.ndim, data_format)
    if mode == "torch":
        x /= 255.0
        x -= np.reshape(np.asarray(_TORCH_MEAN, x.dtype), shape)
        x /= np.reshape(np.asarray(_TORCH_STD, x.dtype), shape)
        return x
    x = _reverse_channels_numpy(x, data_format)  # a view: still in place
    x -= np.reshape(np.asarray(_CAFFE_MEAN, x.dtype), shape)
    return x


def _channel_shape(ndim: int, data_format: str) -> tuple[int, ...]:
    """The shape that broadcasts 3 per-channel values over the images."""
    if data_format == "channels_last":
        return (1,) * (ndim - 1) + (3,)
    if ndim == 3:
        return (3, 1, 1)
    return (1, 3) + (1,) * (ndim - 2)


def _reverse_channels_numpy(x: np.ndarray, data_format: str) -> np.ndarray:
    if data_format == "channels_last":
        return x[..., ::-1]
    if x.ndim == 3:
        return x[::-1, ...]
    return x[:, ::-1, ...]


def _preprocess_tensor_input(x: Any, data_format: str, mode: str) -> Any:
    x = _as_float_tensor(x)
    if mode == "tf":
        return x / 127.5 - 1.0
    shape = _channel_shape(len(x.shape), data_format)
    if mode == "torch":
        x = x / 255.0
        x = x + _constant([-value for value in _TORCH_MEAN], x, shape)
        return x / _constant(_TORCH_STD, x, shape)
    x = _reverse_channels_tensor(x, data_format)
    return x + _constant([-value for value in _CAFFE_MEAN], x, shape)


def _as_float_tensor(x: Any) -> Any:
    if isinstance(x, KerasTensor):
        return x if "float" in x.dtype else ops.cast(x, floatx())
    return x if torch.is_floating_point(x) else x.to(getattr(torch, floatx()))


def _constant(values: Any, x: Any, shape: tuple[int, ...]) -> torch.Tensor:
    dtype = getattr(torch, x.dtype) if isinstance(x, KerasTensor) else x.dtype
    tensor = torch.tensor(values, dtype=dtype)
    if isinstance(x, torch.Tensor):
        tensor = tensor.to(x.device)
    return tensor.reshape(shape)


def _reverse_channels_tensor(x: Any, data_format: str) -> Any:
    """RGB to BGR by stacking the channels in reverse, as Keras's graph does."""
    if data_format == "channels_last":
        return ops.stack([x[..., i] for i in (2, 1, 0)], axis=-1)
    if len(x.shape) == 3:
        return ops.stack([x[i, ...] for i in (2, 1, 0)], axis=0)
    return ops.stack([x[:, i] for i in (2, 1, 0)], axis=1)


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, Any]]]:
    """Turns ImageNet class scores into readable labels.

    The class index (`imagenet_class_index.json`) is downloaded once into
    `$LAMINA_HOME/models` (default `~/.lamina/models`).

    Args:
        preds: Scores of shape `(samples, 1000)`: a NumPy array or tensor.
        top: How many best classes to return per sample. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)`
        tuples, best first.

    Example:
    >>> import numpy as np
    >>> decode_predictions(np.zeros((1, 10)))
    Traceback (most recent call last):
    ...
    ValueError: decode_predictions expects a batch of ImageNet predictions of shape (samples, 1000), but received shape (1, 10). Pass the output of a model built with include_top=True and classes=1000.
    """  # noqa: E501 -- a doctest's expected output is one line
    preds = ops.convert_to_numpy(preds)
    if preds.ndim != 2 or preds.shape[1] != _NUM_CLASSES:
        raise ValueError(
            f"decode_predictions expects a batch of ImageNet predictions of "
            f"shape (samples, 1000), but received shape {tuple(preds.shape)}. "
            f"Pass the output of a model built with include_top=True and "
            f"classes=1000."
        )
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(
            f"decode_predictions received top={top!r}, but expected a positive "
            f"integer (how many classes to return per sample)."
        )
    class_index = _class_index()
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        result = [(*class_index[str(i)], pred[i]) for i in best]
        result.sort(key=lambda entry: entry[2], reverse=True)
        results.append(result)
    return results


def _class_index() -> dict[str, list[str]]:
    global CLASS_INDEX
    if CLASS_INDEX is None:
        path = get_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            cache_subdir="models",
            file_hash=CLASS_INDEX_HASH,
        )
        with open(path, encoding="utf-8") as stream:
            CLASS_INDEX = json.load(stream)
    return CLASS_INDEX
