"""Keras 2 image transforms on single NumPy images, as `ImageDataGenerator` uses.

The affine warp is SciPy's `ndimage.affine_transform` with Keras's matrix
composition (rotation, then shift, shear and zoom) about the image centre, so
results equal Keras's. SciPy and Pillow are imported only where needed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.utils.image_utils import array_to_img
from lamina.utils.image_utils import img_to_array


def _scipy_ndimage() -> Any:
    try:
        from scipy import ndimage
    except ImportError as err:
        raise ImportError(
            "Image rotations, shifts, shears and zooms need SciPy, which is not "
            "installed. Install it with `pip install scipy`."
        ) from err
    return ndimage


def flip_axis(x: np.ndarray, axis: int) -> np.ndarray:
    """Reverses `x` along `axis`.

    Example:
    >>> flip_axis(np.arange(3), 0).tolist()
    [2, 1, 0]
    """
    return np.flip(np.asarray(x), axis)


def transform_matrix_offset_center(matrix: np.ndarray, x: int, y: int) -> np.ndarray:
    """Makes a 3x3 homogeneous `matrix` act about the centre of an `x` by `y` image.

    Example:
    >>> transform_matrix_offset_center(np.eye(3), 4, 4).tolist()[0]
    [1.0, 0.0, 0.0]
    """
    o_x = float(x) / 2 - 0.5
    o_y = float(y) / 2 - 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset_matrix @ matrix @ reset_matrix


def _affine_matrix(
    theta: float, tx: float, ty: float, shear: float, zx: float, zy: float
) -> np.ndarray | None:
    """Keras's composition: rotation @ shift @ shear @ zoom, `None` if identity."""
    matrices = []
    if theta != 0:
        angle = np.deg2rad(theta)
        cos, sin = np.cos(angle), np.sin(angle)
        matrices.append(np.array([[cos, -sin, 0], [sin, cos, 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        matrices.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        angle = np.deg2rad(shear)
        matrices.append(
            np.array([[1, -np.sin(angle), 0], [0, np.cos(angle), 0], [0, 0, 1]])
        )
    if zx != 1 or zy != 1:
        matrices.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if not matrices:
        return None
    transform = matrices[0]
    for matrix in matrices[1:]:
        transform = np.dot(transform, matrix)
    return transform


def _check_axes(row_axis: int, col_axis: int, channel_axis: int, ndim: int) -> None:
    if sorted((row_axis, col_axis, channel_axis)) != [0, 1, 2]:
        raise ValueError(
            f"apply_affine_transform expects row_axis, col_axis and channel_axis "
            f"to be 0, 1 and 2 in some order, but received row_axis={row_axis}, "
            f"col_axis={col_axis}, channel_axis={channel_axis}."
        )
    if channel_axis not in (0, 2):
        raise ValueError(
            f"apply_affine_transform expects channels on axis 0 or 2, but "
            f"received channel_axis={channel_axis}."
        )
    if ndim != 3:
        raise ValueError(
            f"apply_affine_transform expects one image of rank 3, (height, "
            f"width, channels) or (channels, height, width), but received rank "
            f"{ndim}. Transform each image of a batch separately."
        )


def apply_affine_transform(
    x: np.ndarray,
    theta: float = 0,
    tx: float = 0,
    ty: float = 0,
    shear: float = 0,
    zx: float = 1,
    zy: float = 1,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    order: int = 1,
) -> np.ndarray:
    """Applies a rotation, shift, shear and zoom to one image.

    The output pixel at `p` is read from the input at `M @ p`, where `M` is
    rotation @ shift @ shear @ zoom taken about the image centre (Keras's
    convention: `tx` shifts along rows, `ty` along columns).

    Args:
        x: One image, rank 3.
        theta: Rotation angle in degrees. Defaults to `0`.
        tx: Shift along the row axis, in pixels. Defaults to `0`.
        ty: Shift along the column axis, in pixels. Defaults to `0`.
        shear: Shear angle in degrees. Defaults to `0`.
        zx: Zoom factor along the row axis. Defaults to `1`.
        zy: Zoom factor along the column axis. Defaults to `1`.
        row_axis: Axis of rows in `x`. Defaults to `1`.
        col_axis: Axis of columns in `x`. Defaults to `2`.
        channel_axis: Axis of channels in `x` (0 or 2). Defaults to `0`.
        fill_mode: Points outside the input: `"constant"`, `"nearest"`,
            `"reflect"` or `"wrap"`. Defaults to `"nearest"`.
        cval: Fill value for `fill_mode="constant"`. Defaults to `0.0`.
        order: Spline interpolation order (0 to 5). Defaults to `1`.

    Returns:
        The transformed image, same shape as `x`.

    Example:
    >>> image = np.arange(9.0).reshape(1, 3, 3)
    >>> apply_affine_transform(image, theta=90)[0].round(6).tolist()
    [[2.0, 5.0, 8.0], [1.0, 4.0, 7.0], [0.0, 3.0, 6.0]]
    """
    x = np.asarray(x)
    _check_axes(row_axis, col_axis, channel_axis, x.ndim)
    transform = _affine_matrix(theta, tx, ty, shear, zx, zy)
    if transform is None:
        return x
    height, width = x.shape[row_axis], x.shape[col_axis]
    transform = transform_matrix_offset_center(transform, height, width)
    channels = np.moveaxis(x, channel_axis, 0)  # (channels, ...)
    if col_axis > row_axis:
        # The matrix is built for (x, y) coordinates while arrays index (row,
        # col); conjugating with the swap permutation P gives P @ M @ P.
        transform[:, [0, 1]] = transform[:, [1, 0]]
        transform[[0, 1]] = transform[[1, 0]]
    ndimage = _scipy_ndimage()
    warped = [
        ndimage.affine_transform(
            channel, transform[:2, :2], transform[:2, 2],
            order=order, mode=fill_mode, cval=cval,
        )
        for channel in channels
    ]  # fmt: skip
    return np.moveaxis(np.stack(warped, axis=0), 0, channel_axis)


def apply_channel_shift(
    x: np.ndarray, intensity: float, channel_axis: int = 0
) -> np.ndarray:
    """Adds `intensity` to every channel, clipped to the image's own range.

    Example:
    >>> apply_channel_shift(np.array([[[0.0, 10.0]]]), 5.0, 2).tolist()
    [[[5.0, 10.0]]]
    """
    x = np.moveaxis(np.asarray(x), channel_axis, 0)  # (channels, ...)
    low, high = np.min(x), np.max(x)
    shifted = np.stack([np.clip(channel + intensity, low, high) for channel in x])
    return np.moveaxis(shifted, 0, channel_axis)


def random_channel_shift(
    x: np.ndarray, intensity_range: float, channel_axis: int = 0
) -> np.ndarray:
    """Channel shift by a value drawn from `[-intensity_range, intensity_range]`.

    Example:
    >>> random_channel_shift(np.zeros((1, 2, 2)), 0.5).shape
    (1, 2, 2)
    """
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(
    x: np.ndarray, brightness: float, scale: bool = True
) -> np.ndarray:
    """Scales brightness with Pillow's `ImageEnhance.Brightness`.

    The image goes through an 8-bit channels-last PIL image, as in Keras.

    Args:
        x: One channels-last image.
        brightness: Enhancement factor; `1.0` keeps the image.
        scale: Stretch values to `[0, 255]` first (always done when values
            lie outside it; then the result is mapped back when `scale=False`).
            Defaults to `True`.

    Example:
    >>> apply_brightness_shift(np.full((1, 1, 3), 100.0), 0.5, False).tolist()
    [[[50.0, 50.0, 50.0]]]
    """
    from PIL import ImageEnhance

    x_min, x_max = np.min(x), np.max(x)
    out_of_range = (x_min < 0) or (x_max > 255)
    img = array_to_img(x, scale=out_of_range or scale)
    img = ImageEnhance.Brightness(img).enhance(brightness)
    result = img_to_array(img)
    if not scale and out_of_range:
        result = result / 255 * (x_max - x_min) + x_min
    return result


def random_brightness(
    x: np.ndarray, brightness_range: tuple[float, float], scale: bool = True
) -> np.ndarray:
    """Brightness shift by a factor drawn from `brightness_range`.

    Example:
    >>> random_brightness(np.zeros((2, 2, 3)), (0.5, 1.5)).shape
    (2, 2, 3)
    """
    if len(brightness_range) != 2:
        raise ValueError(
            f"random_brightness expects brightness_range=(low, high), but "
            f"received brightness_range={brightness_range}."
        )
    factor = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, factor, scale)


def random_rotation(
    x: np.ndarray,
    rg: float,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
) -> np.ndarray:
    """Rotates by an angle drawn from `[-rg, rg]` degrees.

    Example:
    >>> random_rotation(np.zeros((1, 4, 4)), 30).shape
    (1, 4, 4)
    """
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x, theta=theta, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order,
    )  # fmt: skip


def random_shift(
    x: np.ndarray,
    wrg: float,
    hrg: float,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
) -> np.ndarray:
    """Shifts by fractions drawn from `[-hrg, hrg]` (rows), `[-wrg, wrg]` (columns).

    Example:
    >>> random_shift(np.zeros((1, 4, 4)), 0.2, 0.2).shape
    (1, 4, 4)
    """
    height, width = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * height
    ty = np.random.uniform(-wrg, wrg) * width
    return apply_affine_transform(
        x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order,
    )  # fmt: skip


def random_shear(
    x: np.ndarray,
    intensity: float,
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
) -> np.ndarray:
    """Shears by an angle drawn from `[-intensity, intensity]` degrees.

    Example:
    >>> random_shear(np.zeros((1, 4, 4)), 20).shape
    (1, 4, 4)
    """
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x, shear=shear, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order,
    )  # fmt: skip


def random_zoom(
    x: np.ndarray,
    zoom_range: tuple[float, float],
    row_axis: int = 1,
    col_axis: int = 2,
    channel_axis: int = 0,
    fill_mode: str = "nearest",
    cval: float = 0.0,
    interpolation_order: int = 1,
) -> np.ndarray:
    """Zooms by factors drawn from `zoom_range` for rows and for columns.

    Example:
    >>> random_zoom(np.zeros((1, 4, 4)), (0.8, 1.2)).shape
    (1, 4, 4)
    """
    if len(zoom_range) != 2:
        raise ValueError(
            f"random_zoom expects zoom_range=(low, high), but received "
            f"zoom_range={zoom_range}."
        )
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order,
    )  # fmt: skip
