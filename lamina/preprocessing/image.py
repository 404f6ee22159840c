"""Keras 2's `keras.preprocessing.image`: `ImageDataGenerator` and image helpers.

Augmentation matches Keras numerically: the same transform parameters give
the same image, and the same seeds draw the same parameters (NumPy's global
generator, as in Keras). SciPy (warps) and Pillow (files, brightness) are
imported only when needed.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.backend import floatx
from lamina.backend import image_data_format
from lamina.preprocessing._dataframe_iterator import DataFrameIterator
from lamina.preprocessing._directory_iterator import DirectoryIterator
from lamina.preprocessing._image_iterators import Iterator
from lamina.preprocessing._image_iterators import NumpyArrayIterator
from lamina.preprocessing._image_iterators import _check_image_batch
from lamina.preprocessing._image_transforms import apply_affine_transform
from lamina.preprocessing._image_transforms import apply_brightness_shift
from lamina.preprocessing._image_transforms import apply_channel_shift
from lamina.preprocessing._image_transforms import flip_axis
from lamina.preprocessing._image_transforms import random_brightness
from lamina.preprocessing._image_transforms import random_channel_shift
from lamina.preprocessing._image_transforms import random_rotation
from lamina.preprocessing._image_transforms import random_shear
from lamina.preprocessing._image_transforms import random_shift
from lamina.preprocessing._image_transforms import random_zoom
from lamina.preprocessing._image_transforms import transform_matrix_offset_center
from lamina.utils.image_utils import array_to_img
from lamina.utils.image_utils import img_to_array
from lamina.utils.image_utils import load_img
from lamina.utils.image_utils import save_img
from lamina.utils.image_utils import smart_resize

__all__ = [
    "DataFrameIterator",
    "DirectoryIterator",
    "ImageDataGenerator",
    "Iterator",
    "NumpyArrayIterator",
    "apply_affine_transform",
    "apply_brightness_shift",
    "apply_channel_shift",
    "array_to_img",
    "flip_axis",
    "img_to_array",
    "load_img",
    "random_brightness",
    "random_channel_shift",
    "random_rotation",
    "random_shear",
    "random_shift",
    "random_zoom",
    "save_img",
    "smart_resize",
    "transform_matrix_offset_center",
]

# SciPy's `ndimage` boundary modes.
_FILL_MODES = (
    "constant", "nearest", "reflect", "wrap", "mirror",
    "grid-constant", "grid-mirror", "grid-wrap",
)  # fmt: skip
_UNFIT_WARNING = (
    "ImageDataGenerator specifies {name}=True, but it has not been fit on any "
    "data, so the step is skipped. Call generator.fit(x_train) first."
)


class ImageDataGenerator:
    """Generates batches of images with real-time data augmentation.

    Each image gets a random transform (drawn by `get_random_transform`,
    applied by `apply_transform`) and is then normalised by `standardize`.
    `flow`, `flow_from_directory` and `flow_from_dataframe` return iterators
    that `fit` accepts directly.

    Args:
        featurewise_center: Subtract the per-channel mean of the data given
            to `fit`. Defaults to `False`.
        samplewise_center: Subtract each image's own mean. Defaults to `False`.
        featurewise_std_normalization: Divide by the per-channel std of the
            data given to `fit`. Defaults to `False`.
        samplewise_std_normalization: Divide each image by its own std.
            Defaults to `False`.
        zca_whitening: Apply ZCA whitening learnt by `fit`. Defaults to
            `False`.
        zca_epsilon: Epsilon of the ZCA whitening. Defaults to `1e-6`.
        rotation_range: Maximum rotation in degrees. Defaults to `0`.
        width_shift_range: Column shift: a float below 1 is a fraction of the
            width, 1 or more is pixels; an int or list draws whole pixel
            counts from it. Defaults to `0.0`.
        height_shift_range: Row shift, as `width_shift_range`. Defaults to
            `0.0`.
        brightness_range: `(low, high)` brightness factors, or `None`.
        shear_range: Maximum shear angle in degrees. Defaults to `0.0`.
        zoom_range: A float `z` for `[1 - z, 1 + z]`, or `(low, high)`.
            Defaults to `0.0`.
        channel_shift_range: Maximum channel shift. Defaults to `0.0`.
        fill_mode: Points outside the image: `"constant"`, `"nearest"`,
            `"reflect"` or `"wrap"`. Defaults to `"nearest"`.
        cval: Fill value for `fill_mode="constant"`. Defaults to `0.0`.
        horizontal_flip: Flip columns at random. Defaults to `False`.
        vertical_flip: Flip rows at random. Defaults to `False`.
        rescale: Factor multiplied into the data, or `None`. Defaults to
            `None`.
        preprocessing_function: Function applied to each image (rank 3)
            before the other normalisation steps. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        validation_split: Fraction of images reserved for `subset=
            "validation"`. Defaults to `0.0`.
        interpolation_order: Spline order of the warps. Defaults to `1`.
        dtype: Dtype of the generated images. Defaults to `floatx()`.

    Example:
    >>> x = np.random.default_rng(0).random((16, 8, 8, 3))
    >>> generator = ImageDataGenerator(rotation_range=20, horizontal_flip=True)
    >>> images, labels = next(generator.flow(x, np.arange(16), batch_size=4))
    >>> images.shape, labels.shape
    ((4, 8, 8, 3), (4,))
    """

    def __init__(
        self,
        featurewise_center: bool = False,
        samplewise_center: bool = False,
        featurewise_std_normalization: bool = False,
        samplewise_std_normalization: bool = False,
        zca_whitening: bool = False,
        zca_epsilon: float = 1e-6,
        rotation_range: float = 0,
        width_shift_range: float | int | list[float] = 0.0,
        height_shift_range: float | int | list[float] = 0.0,
        brightness_range: tuple[float, float] | None = None,
        shear_range: float = 0.0,
        zoom_range: float | tuple[float, float] = 0.0,
        channel_shift_range: float = 0.0,
        fill_mode: str = "nearest",
        cval: float = 0.0,
        horizontal_flip: bool = False,
        vertical_flip: bool = False,
        rescale: float | None = None,
        preprocessing_function: Callable[[np.ndarray], np.ndarray] | None = None,
        data_format: str | None = None,
        validation_split: float = 0.0,
        interpolation_order: int = 1,
        dtype: str | None = None,
    ) -> None:
        data_format = data_format or image_data_format()
        _check_arguments(data_format, validation_split, fill_mode, brightness_range)
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.brightness_range = brightness_range
        self.shear_range = shear_range
        self.zoom_range = _zoom_range(zoom_range)
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.data_format = data_format
        self.dtype = dtype or floatx()
        self.interpolation_order = interpolation_order
        if data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        self._validation_split = validation_split
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None
        self.zca_whitening_matrix: np.ndarray | None = None
        self._resolve_implied_settings()

    def _resolve_implied_settings(self) -> None:
        """Turns on the centring that whitening and std normalisation need."""
        if self.zca_whitening:
            if not self.featurewise_center:
                self.featurewise_center = True
                _warn("zca_whitening=True implies featurewise_center=True.")
            if self.featurewise_std_normalization:
                self.featurewise_std_normalization = False
                _warn(
                    "zca_whitening=True overrides featurewise_std_normalization, "
                    "which is turned off."
                )
        if self.featurewise_std_normalization and not self.featurewise_center:
            self.featurewise_center = True
            _warn("featurewise_std_normalization=True implies featurewise_center=True.")
        if self.samplewise_std_normalization and not self.samplewise_center:
            self.samplewise_center = True
            _warn("samplewise_std_normalization=True implies samplewise_center=True.")

    def flow(
        self,
        x: Any,
        y: Any = None,
        batch_size: int = 32,
        shuffle: bool = True,
        sample_weight: Any = None,
        seed: int | None = None,
        save_to_dir: str | None = None,
        save_prefix: str = "",
        save_format: str = "png",
        ignore_class_split: bool = False,
        subset: str | None = None,
    ) -> NumpyArrayIterator:
        """Iterates over augmented batches of in-memory images.

        Args:
            x: Images `(samples, height, width, channels)` (channels first
                with `data_format="channels_first"`), or `[images, extra]`.
            y: Targets, or `None`.
            batch_size: Images per batch. Defaults to `32`.
            shuffle: Shuffle each epoch. Defaults to `True`.
            sample_weight: Per-sample weights, or `None`.
            seed: Seed for shuffling and augmentation.
            save_to_dir: Folder to save the augmented images to, or `None`.
            save_prefix: File name prefix of saved images.
            save_format: Format of saved images. Defaults to `"png"`.
            ignore_class_split: Allow subsets that miss some classes.
            subset: `"training"` or `"validation"` with `validation_split`.

        Returns:
            A `NumpyArrayIterator` yielding `(x, y)` (or `x`, or
            `(x, y, sample_weight)`) batches.

        Example:
        >>> x = np.zeros((10, 4, 4, 1))
        >>> len(ImageDataGenerator().flow(x, batch_size=4))
        3
        """
        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle,
            sample_weight=sample_weight, seed=seed, data_format=self.data_format,
            save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, ignore_class_split=ignore_class_split,
            subset=subset, dtype=self.dtype,
        )  # fmt: skip

    def flow_from_directory(
        self,
        directory: str | os.PathLike,
        target_size: tuple[int, int] = (256, 256),
        color_mode: str = "rgb",
        classes: list[str] | None = None,
        class_mode: str | None = "categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        save_to_dir: str | None = None,
        save_prefix: str = "",
        save_format: str = "png",
        follow_links: bool = False,
        subset: str | None = None,
        interpolation: str = "nearest",
        keep_aspect_ratio: bool = False,
    ) -> DirectoryIterator:
        """Iterates over augmented batches read from one subfolder per class.

        See `DirectoryIterator` for the arguments.

        Example:
        >>> import tempfile
        >>> root = tempfile.mkdtemp()
        >>> os.mkdir(os.path.join(root, "cat"))
        >>> save_img(os.path.join(root, "cat", "1.png"), np.zeros((4, 4, 3)))
        >>> iterator = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        ...     root, target_size=(2, 2), class_mode="sparse")
        Found 1 images belonging to 1 classes.
        >>> iterator[0][0].shape
        (1, 2, 2, 3)
        """
        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode,
            keep_aspect_ratio=keep_aspect_ratio, classes=classes,
            class_mode=class_mode, data_format=self.data_format,
            batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, follow_links=follow_links, subset=subset,
            interpolation=interpolation, dtype=self.dtype,
        )  # fmt: skip

    def flow_from_dataframe(
        self,
        dataframe: Any,
        directory: str | os.PathLike | None = None,
        x_col: str = "filename",
        y_col: str | list[str] = "class",
        weight_col: str | None = None,
        target_size: tuple[int, int] = (256, 256),
        color_mode: str = "rgb",
        classes: list[str] | None = None,
        class_mode: str | None = "categorical",
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        save_to_dir: str | None = None,
        save_prefix: str = "",
        save_format: str = "png",
        subset: str | None = None,
        interpolation: str = "nearest",
        validate_filenames: bool = True,
        **kwargs: Any,
    ) -> DataFrameIterator:
        """Iterates over augmented batches of the files a DataFrame lists.

        See `DataFrameIterator` for the arguments. Keras 2's `has_ext`,
        `sort` and `drop_duplicates` are accepted with a deprecation
        warning; `class_mode="other"` means `"raw"`.

        Example:
        >>> import tempfile, pandas as pd
        >>> root = tempfile.mkdtemp()
        >>> save_img(os.path.join(root, "a.png"), np.zeros((4, 4, 3)))
        >>> table = pd.DataFrame({"filename": ["a.png"], "y": [0.5]})
        >>> iterator = ImageDataGenerator().flow_from_dataframe(
        ...     table, root, y_col="y", class_mode="raw", target_size=(2, 2))
        Found 1 validated image filenames.
        >>> iterator[0][1].tolist()
        [0.5]
        """
        class_mode = _legacy_dataframe_options(class_mode, kwargs)
        return DataFrameIterator(
            dataframe, directory, self, x_col=x_col, y_col=y_col,
            weight_col=weight_col, target_size=target_size,
            color_mode=color_mode, classes=classes, class_mode=class_mode,
            data_format=self.data_format, batch_size=batch_size,
            shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format, subset=subset,
            interpolation=interpolation, validate_filenames=validate_filenames,
            dtype=self.dtype,
        )  # fmt: skip

    def standardize(self, x: np.ndarray) -> np.ndarray:
        """Applies the normalisation settings to `x` (in place where possible).

        Order: `preprocessing_function`, `rescale`, samplewise centring and
        scaling, featurewise centring and scaling, ZCA whitening. Pass
        `np.copy(x)` to keep the input.

        Example:
        >>> ImageDataGenerator(rescale=0.5).standardize(np.full((1, 1, 1), 4.0))
        array([[[2.]]])
        """
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is None:
                _warn(_UNFIT_WARNING.format(name="featurewise_center"))
            else:
                x -= self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                _warn(_UNFIT_WARNING.format(name="featurewise_std_normalization"))
            else:
                x /= self.std + 1e-6
        if self.zca_whitening:
            if self.zca_whitening_matrix is None:
                _warn(_UNFIT_WARNING.format(name="zca_whitening"))
            else:
                flat = x.reshape(-1, math.prod(x.shape[-3:]))  # (images, pixels)
                x = np.reshape(flat @ self.zca_whitening_matrix, x.shape)
        return x

    def get_random_transform(
        self, img_shape: tuple[int, ...], seed: int | None = None
    ) -> dict[str, Any]:
        """Draws the parameters of one random transform, as Keras draws them.

        Args:
            img_shape: Shape of the image (rank 3).
            seed: Seeds NumPy's global generator first, or `None`.

        Returns:
            A dict with `theta`, `tx`, `ty`, `shear`, `zx`, `zy`,
            `flip_horizontal`, `flip_vertical`, `channel_shift_intensity` and
            `brightness`, for `apply_transform`.

        Example:
        >>> params = ImageDataGenerator().get_random_transform((4, 4, 3))
        >>> params["theta"], params["zx"]
        (0, 1)
        """
        if seed is not None:
            np.random.seed(seed)
        theta = 0
        if self.rotation_range:
            theta = np.random.uniform(-self.rotation_range, self.rotation_range)
        tx = _draw_shift(self.height_shift_range, img_shape[self.row_axis - 1])
        ty = _draw_shift(self.width_shift_range, img_shape[self.col_axis - 1])
        shear = 0
        if self.shear_range:
            shear = np.random.uniform(-self.shear_range, self.shear_range)
        zx, zy = 1, 1
        if self.zoom_range[0] != 1 or self.zoom_range[1] != 1:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift_intensity = None
        if self.channel_shift_range != 0:
            channel_shift_intensity = np.random.uniform(
                -self.channel_shift_range, self.channel_shift_range
            )
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(*self.brightness_range)
        return {
            "theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
            "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
            "channel_shift_intensity": channel_shift_intensity,
            "brightness": brightness,
        }  # fmt: skip

    def apply_transform(
        self, x: np.ndarray, transform_parameters: dict[str, Any]
    ) -> np.ndarray:
        """Applies the transform `transform_parameters` describes to one image.

        Args:
            x: One image (rank 3) in the generator's `data_format`.
            transform_parameters: As returned by `get_random_transform`;
                missing keys mean "no change". `theta` and `shear` are in
                degrees, `tx`/`ty` in pixels along rows/columns, `zx`/`zy`
                zoom factors, `brightness` a factor.

        Returns:
            The transformed image, same shape.

        Example:
        >>> x = np.arange(4.0).reshape(2, 2, 1)
        >>> ImageDataGenerator().apply_transform(x, {"flip_horizontal": True})[..., 0]
        array([[1., 0.],
               [3., 2.]])
        """
        row_axis, col_axis = self.row_axis - 1, self.col_axis - 1
        channel_axis = self.channel_axis - 1
        params = transform_parameters
        x = apply_affine_transform(
            x, params.get("theta", 0), params.get("tx", 0), params.get("ty", 0),
            params.get("shear", 0), params.get("zx", 1), params.get("zy", 1),
            row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
            fill_mode=self.fill_mode, cval=self.cval, order=self.interpolation_order,
        )  # fmt: skip
        if params.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, params["channel_shift_intensity"], channel_axis)
        if params.get("flip_horizontal", False):
            x = flip_axis(x, col_axis)
        if params.get("flip_vertical", False):
            x = flip_axis(x, row_axis)
        if params.get("brightness") is not None:
            x = self._shift_brightness(x, params["brightness"])
        return x

    def _shift_brightness(self, x: np.ndarray, brightness: float) -> np.ndarray:
        # The shift goes through a channels-last PIL image (Keras fails on
        # channels-first images here; lamina transposes around it).
        if self.data_format == "channels_last":
            return apply_brightness_shift(x, brightness, False)
        x = np.moveaxis(x, 0, -1)  # (height, width, channels)
        return np.moveaxis(apply_brightness_shift(x, brightness, False), -1, 0)

    def random_transform(self, x: np.ndarray, seed: int | None = None) -> np.ndarray:
        """Applies a random transform to one image.

        Example:
        >>> generator = ImageDataGenerator(zoom_range=0.2)
        >>> generator.random_transform(np.zeros((4, 4, 1))).shape
        (4, 4, 1)
        """
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(
        self, x: Any, augment: bool = False, rounds: int = 1, seed: int | None = None
    ) -> None:
        """Computes the statistics of featurewise normalisation and ZCA.

        Needed only with `featurewise_center`, `featurewise_std_normalization`
        or `zca_whitening`. `rescale` is applied to the data first.

        Args:
            x: Images, rank 4, in the generator's `data_format`.
            augment: Fit on randomly augmented copies. Defaults to `False`.
            rounds: Augmented passes over the data with `augment=True`.
                Defaults to `1`.
            seed: Seeds NumPy's global generator first, or `None`.

        Example:
        >>> generator = ImageDataGenerator(featurewise_center=True)
        >>> generator.fit(np.stack([np.zeros((2, 2, 1)), np.ones((2, 2, 1))]))
        >>> generator.mean.ravel().tolist()
        [0.5]
        """
        x = np.array(x, dtype=self.dtype)  # a copy: the steps below are in place
        _check_image_batch(x, self.data_format, "fit")
        if seed is not None:
            np.random.seed(seed)
        if self.rescale:
            x *= self.rescale
        if augment:
            x = np.concatenate([self._augmented(x) for _ in range(rounds)])
        broadcast_shape = [1, 1, 1]
        broadcast_shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), broadcast_shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), broadcast_shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            flat_x = np.reshape(x, (len(x), -1))  # (images, pixels)
            u, s, _ = np.linalg.svd(flat_x.T, full_matrices=False)
            s_inv = np.sqrt(len(x)) / (s + self.zca_epsilon)
            self.zca_whitening_matrix = (u * s_inv).dot(u.T)

    def _augmented(self, x: np.ndarray) -> np.ndarray:
        return np.stack([self.random_transform(image) for image in x]).astype(
            self.dtype
        )


def _draw_shift(shift_range: Any, size: int) -> float:
    """Keras's draw: pick from an int/list, else uniform; fractions scale by size."""
    if not shift_range:
        return 0
    try:  # an int or a 1-D list: whole steps with a random sign
        shift = np.random.choice(shift_range)
        shift *= np.random.choice([-1, 1])
    except ValueError:  # a float: np.random.choice rejects it
        shift = np.random.uniform(-shift_range, shift_range)
    if np.max(shift_range) < 1:
        shift *= size
    return shift


def _zoom_range(zoom_range: Any) -> list[float]:
    if isinstance(zoom_range, (float, int)):
        return [1 - zoom_range, 1 + zoom_range]
    if (
        isinstance(zoom_range, (list, tuple))
        and len(zoom_range) == 2
        and all(isinstance(value, (float, int)) for value in zoom_range)
    ):
        return [zoom_range[0], zoom_range[1]]
    raise ValueError(
        f"ImageDataGenerator expects zoom_range to be a float or (low, high), "
        f"but received zoom_range={zoom_range!r}. Pass e.g. 0.2 or (0.8, 1.2)."
    )


def _check_arguments(
    data_format: str, validation_split: float, fill_mode: str, brightness_range: Any
) -> None:
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"ImageDataGenerator expects data_format='channels_last' or "
            f"'channels_first', but received data_format={data_format!r}."
        )
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"ImageDataGenerator expects 0 < validation_split < 1, but received "
            f"validation_split={validation_split}."
        )
    if fill_mode not in _FILL_MODES:
        raise ValueError(
            f"ImageDataGenerator received fill_mode={fill_mode!r}. Use one of "
            f"{_FILL_MODES}."
        )
    if brightness_range is not None and (
        not isinstance(brightness_range, (tuple, list)) or len(brightness_range) != 2
    ):
        raise ValueError(
            f"ImageDataGenerator expects brightness_range=(low, high), but "
            f"received brightness_range={brightness_range!r}. Pass e.g. (0.8, 1.2)."
        )


def _legacy_dataframe_options(class_mode: str | None, kwargs: dict[str, Any]) -> Any:
    unknown = set(kwargs) - {"has_ext", "sort", "drop_duplicates"}
    if unknown:
        raise TypeError(
            f"flow_from_dataframe received unexpected arguments {sorted(unknown)}. "
            "See ImageDataGenerator.flow_from_dataframe for the valid ones."
        )
    for name in sorted(kwargs):
        warnings.warn(
            f"flow_from_dataframe ignores the Keras 2 argument {name}=, which "
            "Keras deprecated; drop it.",
            DeprecationWarning,
            stacklevel=3,
        )
    if class_mode == "other":
        warnings.warn(
            "flow_from_dataframe(class_mode='other') is deprecated; use "
            "class_mode='raw'.",
            DeprecationWarning,
            stacklevel=3,
        )
        return "raw"
    return class_mode


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)
