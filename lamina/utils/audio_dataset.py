"""`audio_dataset_from_directory`: labelled `.wav` files as batches of tensors.

Files are decoded with the standard library's `wave` module and NumPy, as
`tf.audio.decode_wav` decodes them: PCM samples scaled to float32 in
`[-1, 1)`, shape `(samples, channels)`.
"""

from __future__ import annotations

import logging
import os
import wave
from typing import Any

import numpy as np
import torch

from lamina.utils.file_dataset import FileDataset
from lamina.utils.file_dataset import check_binary_classes
from lamina.utils.file_dataset import check_label_arguments
from lamina.utils.file_dataset import check_validation_split
from lamina.utils.file_dataset import index_directory
from lamina.utils.file_dataset import log_found
from lamina.utils.file_dataset import split_subsets

_logger = logging.getLogger(__name__)
ALLOWED_FORMATS = (".wav",)
_NAME = "audio_dataset_from_directory()"
# Little-endian PCM sample types by byte width; 8-bit WAV is unsigned.
_PCM_TYPES = {1: np.uint8, 2: np.int16, 4: np.int32}


def read_wav(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """Reads a PCM `.wav` file as float32 samples in `[-1, 1)`.

    8-, 16-, 24- and 32-bit integer PCM are supported; each sample is divided
    by `2 ** (bits - 1)` (8-bit data is first centred on 0), as TensorFlow's
    `decode_wav` does for 16-bit files.

    Args:
        path: The file.

    Returns:
        `(audio, sampling_rate)`: audio of shape `(samples, channels)`.

    Example:
    >>> import tempfile, wave
    >>> path = os.path.join(tempfile.mkdtemp(), "a.wav")
    >>> with wave.open(path, "wb") as out:
    ...     out.setnchannels(1); out.setsampwidth(2); out.setframerate(8000)
    ...     out.writeframes(np.array([0, 16384], "<i2").tobytes())
    >>> audio, rate = read_wav(path)
    >>> audio.tolist(), rate
    ([[0.0], [0.5]], 8000)
    """
    try:
        with wave.open(os.fspath(path), "rb") as stream:
            channels = stream.getnchannels()
            width = stream.getsampwidth()
            rate = stream.getframerate()
            frames = stream.readframes(stream.getnframes())
    except (wave.Error, EOFError) as err:
        raise ValueError(
            f"{_NAME} could not decode {os.fspath(path)!r} ({err}). Only "
            f"integer PCM .wav files are supported; convert float or "
            f"compressed audio to 16-bit PCM (e.g. `ffmpeg -i in.wav "
            f"-acodec pcm_s16le out.wav`)."
        ) from err
    samples = _pcm_to_float(frames, width)
    return samples.reshape(-1, channels), rate  # (samples, channels)


def _pcm_to_float(frames: bytes, width: int) -> np.ndarray:
    if width == 3:  # 24-bit: widen each sample to 32 bits, keeping the sign
        raw = np.frombuffer(frames, dtype=np.uint8).reshape(-1, 3)
        padded = np.zeros((len(raw), 4), dtype=np.uint8)
        padded[:, 1:] = raw
        return padded.view("<i4").ravel().astype(np.float32) / 2.0**31
    values = np.frombuffer(frames, dtype=np.dtype(_PCM_TYPES[width]).newbyteorder("<"))
    if width == 1:
        return (values.astype(np.float32) - 128.0) / 128.0
    return values.astype(np.float32) / 2.0 ** (8 * width - 1)


class AudioDataset(FileDataset):
    """An iterable of batches read from `.wav` files, one pass per epoch.

    Each batch is `(audio, labels)`, or `audio` alone without labels.
    `audio` is a float32 tensor `(batch, sequence_length, channels)`: cut or
    zero-padded to `output_sequence_length` when it is set, else zero-padded
    to the longest file of the batch; with `ragged=True` it is a list of
    `(length, channels)` tensors instead. `labels` is int32 `(batch,)` for
    `label_mode="int"`, float32 `(batch, num_classes)` for `"categorical"`,
    float32 `(batch, 1)` for `"binary"`. The first pass reads the files in
    the order given; later passes reshuffle when `shuffle_seed` is set.
    `len(dataset)` is the number of batches; `fit` accepts the dataset.

    Args:
        file_paths: The files, in the order of the first pass.
        labels: Integer label per file, or `None`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Names of the classes, by label.
        batch_size: Files per batch, or `None` for single samples.
            Defaults to `32`.
        sampling_rate: Required sampling rate of every file, or `None`.
        output_sequence_length: Samples per file after cutting or padding,
            or `None`.
        ragged: Yield lists of unpadded tensors. Defaults to `False`.
        shuffle_seed: Seed for reshuffling on later passes, or `None`.

    Attributes:
        class_names: As given, like Keras's `dataset.class_names`.
        file_paths: The files, in the order of the first pass.

    Example:
    >>> import tempfile, wave
    >>> path = os.path.join(tempfile.mkdtemp(), "a.wav")
    >>> with wave.open(path, "wb") as out:
    ...     out.setnchannels(1); out.setsampwidth(2); out.setframerate(8000)
    ...     out.writeframes(np.zeros(5, "<i2").tobytes())
    >>> dataset = AudioDataset([path], [0], "int", ["yes"],
    ...                        output_sequence_length=8)
    >>> audio, labels = next(iter(dataset))
    >>> tuple(audio.shape), labels.tolist()
    ((1, 8, 1), [0])
    """

    def __init__(
        self,
        file_paths: list[str],
        labels: np.ndarray | None,
        label_mode: str | None,
        class_names: list[str] | None,
        batch_size: int | None = 32,
        sampling_rate: int | None = None,
        output_sequence_length: int | None = None,
        ragged: bool = False,
        shuffle_seed: int | None = None,
    ):
        super().__init__(
            file_paths, labels, label_mode, class_names, batch_size, shuffle_seed
        )
        self.sampling_rate = sampling_rate
        self.output_sequence_length = output_sequence_length
        self.ragged = ragged

    def _load_batch(self, paths: list[str]) -> torch.Tensor | list[torch.Tensor]:
        clips = [self.load(path) for path in paths]
        return clips if self.ragged else _pad_batch(clips, paths)

    def load(self, path: str) -> torch.Tensor:
        """Reads one file as a float32 `(samples, channels)` tensor."""
        samples, rate = read_wav(path)
        if self.sampling_rate is not None and rate != self.sampling_rate:
            raise ValueError(
                f"{_NAME} received sampling_rate={self.sampling_rate}, but "
                f"{path!r} is sampled at {rate} Hz, and lamina does not "
                f"resample. Resample the files to {self.sampling_rate} Hz, or "
                f"pass sampling_rate=None."
            )
        length = self.output_sequence_length
        if length is not None:
            fitted = np.zeros((length, samples.shape[1]), dtype=np.float32)
            fitted[: min(length, len(samples))] = samples[:length]
            samples = fitted  # (output_sequence_length, channels)
        return torch.from_numpy(np.ascontiguousarray(samples))


def _pad_batch(clips: list[torch.Tensor], paths: list[str]) -> torch.Tensor:
    channels = {clip.shape[1] for clip in clips}
    if len(channels) > 1:
        found = {path: clip.shape[1] for path, clip in zip(paths, clips, strict=True)}
        raise ValueError(
            f"{_NAME} cannot batch files with different channel counts: "
            f"{found}. Convert the files to one channel layout, or pass "
            f"ragged=True."
        )
    longest = max(len(clip) for clip in clips)
    batch = torch.zeros(len(clips), longest, channels.pop())
    for slot, clip in enumerate(clips):
        batch[slot, : len(clip)] = clip  # zero padding at the end, as Keras
    return batch  # (batch, longest, channels)


def audio_dataset_from_directory(
    directory: str | os.PathLike,
    labels: str | list[int] | None = "inferred",
    label_mode: str | None = "int",
    class_names: list[str] | None = None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> AudioDataset | tuple[AudioDataset, AudioDataset]:
    """Builds a dataset of audio clips from a folder of `.wav` files.

    With `labels="inferred"`, each subfolder of `directory` is a class
    (sorted by name) and its `.wav` files (searched recursively) are the
    samples. Files are listed and shuffled exactly as Keras does, so the
    training/validation split holds the same files. Keras returns a
    `tf.data.Dataset`; lamina returns an `AudioDataset` (see there for the
    batch layout) with a `class_names` attribute.

    Args:
        directory: The root folder.
        labels: `"inferred"`, a list of integer labels (one per file, in the
            sorted order of the files), or `None`. Defaults to `"inferred"`.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
            Defaults to `"int"`.
        class_names: Subfolder names to use (and their order) with
            `labels="inferred"`. Defaults to all subfolders, sorted.
        batch_size: Clips per batch; `None` yields single samples.
            Defaults to `32`.
        sampling_rate: Sampling rate (Hz) every file must have; lamina
            checks it but does not resample. Defaults to `None`.
        output_sequence_length: Cut or zero-pad every clip to this many
            samples; `None` pads each batch to its longest clip.
        ragged: Yield lists of unpadded clips. Defaults to `False`.
        shuffle: Shuffle the files. Defaults to `True`.
        seed: Shuffle seed (required with `validation_split` and shuffling).
        validation_split: Fraction of files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns a tuple
            of two datasets), with `validation_split`.
        follow_links: Follow symbolic links to folders. Defaults to `False`.
        verbose: Log how many files were found. Defaults to `True`.

    Returns:
        An `AudioDataset`, or `(train, validation)` with `subset="both"`.

    Example:
    >>> import tempfile, wave
    >>> root = tempfile.mkdtemp()
    >>> for label in ("no", "yes"):
    ...     os.mkdir(os.path.join(root, label))
    ...     with wave.open(os.path.join(root, label, "1.wav"), "wb") as out:
    ...         out.setnchannels(1); out.setsampwidth(2); out.setframerate(16000)
    ...         out.writeframes(np.zeros(100, "<i2").tobytes())
    >>> dataset = audio_dataset_from_directory(root, shuffle=False, verbose=False)
    >>> audio, labels = next(iter(dataset))
    >>> dataset.class_names, tuple(audio.shape), labels.tolist()
    (['no', 'yes'], (2, 100, 1), [0, 1])
    """
    check_label_arguments(_NAME, labels, label_mode, class_names)
    _check_sequence_options(sampling_rate, output_sequence_length, ragged)
    check_validation_split(_NAME, validation_split, subset, shuffle, seed)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    file_paths, labels, class_names = index_directory(
        directory, labels, ALLOWED_FORMATS, class_names, shuffle, seed, follow_links
    )
    if verbose:
        log_found(_logger, len(file_paths), class_names)
    check_binary_classes(_NAME, label_mode, class_names)
    datasets = []
    for name, paths, subset_labels in split_subsets(
        file_paths, labels, validation_split, subset
    ):
        if not paths:
            raise ValueError(
                f"{_NAME} found no .wav files for subset={name!r} in "
                f"{os.fspath(directory)!r}. Add .wav files (one folder per "
                f"class) or lower validation_split."
            )
        datasets.append(AudioDataset(
            paths, subset_labels, label_mode, class_names, batch_size,
            sampling_rate, output_sequence_length, ragged,
            shuffle_seed=seed if shuffle and name != "validation" else None,
        ))  # fmt: skip
    return tuple(datasets) if subset == "both" else datasets[0]


def _check_sequence_options(
    sampling_rate: Any, output_sequence_length: Any, ragged: bool
) -> None:
    if ragged and output_sequence_length is not None:
        raise ValueError(
            f"{_NAME} received ragged=True and output_sequence_length="
            f"{output_sequence_length}; ragged clips keep their own lengths. "
            f"Pass only one of them."
        )
    if sampling_rate is None:
        return
    if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, int):
        raise ValueError(
            f"{_NAME} expects an integer sampling_rate, but received "
            f"sampling_rate={sampling_rate!r}."
        )
    if sampling_rate <= 0:
        raise ValueError(
            f"{_NAME} expects sampling_rate > 0, but received "
            f"sampling_rate={sampling_rate}."
        )
