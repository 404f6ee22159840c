import os
import wave

import numpy as np
import pytest
import torch

import lamina
from lamina.utils.audio_dataset import audio_dataset_from_directory
from lamina.utils.audio_dataset import read_wav


def _write_wav(path, samples, rate=16000, width=2):
    samples = np.asarray(samples)
    samples = samples.reshape(len(samples), -1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(width)
        out.setframerate(rate)
        if width == 3:
            raw = samples.astype("<i4").reshape(-1, 1).view(np.uint8)[:, :3]
            out.writeframes(raw.tobytes())
        else:
            kind = {1: "<u1", 2: "<i2", 4: "<i4"}[width]
            out.writeframes(samples.astype(kind).tobytes())


def _tree(root, lengths=None):
    lengths = lengths or {"down": [3, 5], "up": [4, 2, 6]}
    for label, sizes in lengths.items():
        os.makedirs(root / label)
        for index, size in enumerate(sizes):
            _write_wav(root / label / f"{index}.wav", np.full(size, 1000 * (index + 1)))
    return root


@pytest.mark.parametrize(
    "width, raw, expected",
    [
        (1, [128, 192, 0], [0.0, 0.5, -1.0]),
        (2, [0, -32768, 16384], [0.0, -1.0, 0.5]),
        (3, [0, -(2**23), 2**22], [0.0, -1.0, 0.5]),
        (4, [0, -(2**31), 2**30], [0.0, -1.0, 0.5]),
    ],
)
def test_read_wav_scales_pcm_to_unit_range(tmp_path, width, raw, expected):
    _write_wav(tmp_path / "a.wav", raw, rate=8000, width=width)
    audio, rate = read_wav(tmp_path / "a.wav")
    assert rate == 8000 and audio.dtype == np.float32
    assert audio[:, 0].tolist() == expected


def test_read_wav_keeps_channels(tmp_path):
    _write_wav(tmp_path / "s.wav", np.array([[0, 16384], [-16384, 0]]))
    audio, _ = read_wav(tmp_path / "s.wav")
    assert audio.tolist() == [[0.0, 0.5], [-0.5, 0.0]]


def test_read_wav_rejects_non_wav(tmp_path):
    (tmp_path / "bad.wav").write_bytes(b"not a wav file at all")
    with pytest.raises(ValueError, match="16-bit PCM"):
        read_wav(tmp_path / "bad.wav")


def test_audio_dataset_pads_each_batch_to_its_longest_clip(tmp_path):
    dataset = audio_dataset_from_directory(
        _tree(tmp_path), batch_size=2, shuffle=False, verbose=False
    )
    assert dataset.class_names == ["down", "up"] and len(dataset) == 3
    shapes = [tuple(audio.shape) for audio, _ in dataset]
    assert shapes == [(2, 5, 1), (2, 4, 1), (1, 6, 1)]
    audio, labels = next(iter(dataset))
    assert audio.dtype == torch.float32 and labels.dtype == torch.int32
    assert audio[0, 3:].abs().sum() == 0  # the 3-sample clip is zero-padded
    assert labels.tolist() == [0, 0]


def test_audio_dataset_output_sequence_length_cuts_and_pads(tmp_path):
    dataset = audio_dataset_from_directory(
        _tree(tmp_path), output_sequence_length=4, batch_size=None,
        shuffle=False, verbose=False,
    )  # fmt: skip
    clips = [audio for audio, _ in dataset]
    assert all(tuple(clip.shape) == (4, 1) for clip in clips) and len(clips) == 5


def test_audio_dataset_label_modes(tmp_path):
    root = _tree(tmp_path)
    options = {"shuffle": False, "verbose": False, "batch_size": 5}
    _, labels = next(
        iter(audio_dataset_from_directory(root, label_mode="binary", **options))
    )
    assert labels.shape == (5, 1) and labels.dtype == torch.float32
    _, labels = next(
        iter(audio_dataset_from_directory(root, label_mode="categorical", **options))
    )
    assert labels.tolist()[0] == [1.0, 0.0]
    audio = next(iter(audio_dataset_from_directory(root, label_mode=None, **options)))
    assert isinstance(audio, torch.Tensor) and audio.shape[0] == 5


def test_audio_dataset_ragged_yields_lists(tmp_path):
    dataset = audio_dataset_from_directory(
        _tree(tmp_path), ragged=True, shuffle=False, verbose=False
    )
    clips, _ = next(iter(dataset))
    assert [len(clip) for clip in clips] == [3, 5, 4, 2, 6]


def test_audio_dataset_file_order_matches_keras_index_directory(tmp_path):
    root = _tree(tmp_path)
    dataset = audio_dataset_from_directory(root, seed=3, verbose=False)
    rng = np.random.RandomState(3)
    expected = [str(root / "down" / f"{i}.wav") for i in range(2)]
    expected += [str(root / "up" / f"{i}.wav") for i in range(3)]
    rng.shuffle(expected)
    assert dataset.file_paths == expected


def test_audio_dataset_validation_split_both(tmp_path):
    train, val = audio_dataset_from_directory(
        _tree(tmp_path), validation_split=0.4, subset="both", seed=1, verbose=False
    )
    assert len(train.file_paths) == 3 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)


def test_audio_dataset_sampling_rate_is_checked(tmp_path):
    root = _tree(tmp_path)
    good = audio_dataset_from_directory(root, sampling_rate=16000, verbose=False)
    next(iter(good))
    bad = audio_dataset_from_directory(root, sampling_rate=8000, verbose=False)
    with pytest.raises(ValueError, match="does not resample"):
        next(iter(bad))
    with pytest.raises(ValueError, match="integer sampling_rate"):
        audio_dataset_from_directory(root, sampling_rate=8000.0)


@pytest.mark.parametrize(
    "kwargs, phrase",
    [
        ({"label_mode": "sparse"}, "label_mode in"),
        ({"ragged": True, "output_sequence_length": 5}, "Pass only one"),
        ({"validation_split": 0.2, "subset": "training"}, "needs seed="),
        ({"labels": "folders"}, "labels='inferred'"),
        ({"label_mode": "binary", "class_names": ["down", "up", "x"]}, "must name"),
    ],
)
def test_audio_dataset_rejects_bad_arguments(tmp_path, kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        audio_dataset_from_directory(_tree(tmp_path), verbose=False, **kwargs)


def test_audio_dataset_mixed_channels_say_ragged(tmp_path):
    os.makedirs(tmp_path / "a")
    _write_wav(tmp_path / "a" / "1.wav", np.zeros(3))
    _write_wav(tmp_path / "a" / "2.wav", np.zeros((3, 2)))
    dataset = audio_dataset_from_directory(tmp_path, shuffle=False, verbose=False)
    with pytest.raises(ValueError, match="ragged=True"):
        next(iter(dataset))


def test_audio_dataset_trains_with_fit(tmp_path):
    dataset = audio_dataset_from_directory(
        _tree(tmp_path), output_sequence_length=8, batch_size=2, verbose=False, seed=0
    )
    model = lamina.Sequential(
        [lamina.layers.Flatten(input_shape=(8, 1)), lamina.layers.Dense(2)]
    )
    model.compile("sgd", lamina.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(dataset, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
