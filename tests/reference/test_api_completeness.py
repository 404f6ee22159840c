"""Every name tutorials import from Keras's data and utility modules exists in lamina.

The Keras 3 names are enumerated from the installed `keras` package; the
Keras 2 `preprocessing` names (which Keras 3 dropped) are listed by hand.
"""

import importlib

import pytest

import lamina.datasets
import lamina.preprocessing
import lamina.utils

DATASET_FUNCTIONS = ("load_data", "get_word_index", "get_label_names")

# keras.utils names lamina deliberately does not provide, with the reason.
UTILS_NOT_PROVIDED = {
    # A preprocessing *layer* whose adapt/call pipeline is built on tf.data;
    # it belongs with the preprocessing layers, not the data utilities.
    "FeatureSpace": "tf.data-based preprocessing layer",
    # Box-format helpers for KerasCV-style augmentation layers, which lamina
    # does not have; nothing in issue 4 consumes them.
    "bounding_boxes": "bounding-box ops of the augmentation layers",
    # Keras 2-format (de)serialisers of `keras.utils.legacy`; lamina.saving
    # reads and writes that format itself (`model.save("m.h5")`).
    "legacy": "Keras 2 serialisation, provided by lamina.saving",
}

# Keras 2's keras.preprocessing API (keras_preprocessing), used by tutorials.
KERAS2_PREPROCESSING = {
    "sequence": [
        "TimeseriesGenerator", "make_sampling_table", "pad_sequences", "skipgrams",
    ],
    "text": [
        "Tokenizer", "hashing_trick", "one_hot", "text_to_word_sequence",
        "tokenizer_from_json",
    ],
    "image": [
        "DataFrameIterator", "DirectoryIterator", "ImageDataGenerator", "Iterator",
        "NumpyArrayIterator", "apply_affine_transform", "apply_brightness_shift",
        "apply_channel_shift", "array_to_img", "img_to_array", "load_img",
        "random_brightness", "random_channel_shift", "random_rotation",
        "random_shear", "random_shift", "random_zoom", "save_img", "smart_resize",
    ],
}  # fmt: skip


def _public(module):
    return sorted(name for name in dir(module) if not name.startswith("_"))


def _missing(keras_module, lamina_module, allowed=()):
    return [
        name
        for name in _public(keras_module)
        if name not in allowed and not hasattr(lamina_module, name)
    ]


def test_every_keras_dataset_loader_exists(keras):
    missing = []
    for name in _public(keras.datasets):
        keras_module = getattr(keras.datasets, name)
        lamina_module = getattr(lamina.datasets, name, None)
        for function in DATASET_FUNCTIONS:
            if not hasattr(keras_module, function):
                continue
            if lamina_module is None or not callable(
                getattr(lamina_module, function, None)
            ):
                missing.append(f"lamina.datasets.{name}.{function}")
    assert not missing, f"lamina lacks: {missing}"


def test_every_keras_utils_name_exists(keras):
    missing = _missing(keras.utils, lamina.utils, UTILS_NOT_PROVIDED)
    assert not missing, f"lamina.utils lacks: {missing}"


def test_utils_allow_list_names_real_keras_names(keras):
    stale = [name for name in UTILS_NOT_PROVIDED if not hasattr(keras.utils, name)]
    assert not stale, f"allow-list names Keras no longer has: {stale}"


def test_every_keras3_preprocessing_name_exists(keras):
    missing = _missing(keras.preprocessing, lamina.preprocessing)
    for submodule in ("image", "sequence"):
        keras_module = importlib.import_module(f"keras.preprocessing.{submodule}")
        lamina_module = getattr(lamina.preprocessing, submodule)
        missing += [
            f"{submodule}.{name}" for name in _missing(keras_module, lamina_module)
        ]
    assert not missing, f"lamina.preprocessing lacks: {missing}"


@pytest.mark.parametrize("submodule", sorted(KERAS2_PREPROCESSING))
def test_every_keras2_preprocessing_name_exists(submodule):
    module = importlib.import_module(f"lamina.preprocessing.{submodule}")
    missing = [
        name for name in KERAS2_PREPROCESSING[submodule] if not hasattr(module, name)
    ]
    assert not missing, f"lamina.preprocessing.{submodule} lacks: {missing}"


# Public names of Keras's model-building modules that lamina does not provide,
# with the reason. Everything else `dir(keras.<family>)` lists must exist.
FAMILY_NOT_PROVIDED = {
    "layers": {
        "FlaxLayer": "wraps a Flax module: JAX only",
        "JaxLayer": "wraps a JAX function: JAX only",
        "MaxNumBoundingBoxes": "reshapes bounding boxes, which the image "
        "layers refuse with a clear error",
        "TFSMLayer": "loads a TensorFlow SavedModel: TensorFlow only",
    },
    "callbacks": {"OrbaxCheckpoint": "writes Orbax (JAX) checkpoints"},
    "optimizers": {"legacy": "Keras 2's TensorFlow optimizers"},
}


@pytest.mark.parametrize(
    "family",
    [
        "activations",
        "callbacks",
        "constraints",
        "initializers",
        "layers",
        "losses",
        "metrics",
        "models",
        "optimizers",
        "regularizers",
        "saving",
    ],
)
def test_every_keras_model_building_name_exists(keras, family):
    missing = _missing(
        getattr(keras, family),
        importlib.import_module(f"lamina.{family}"),
        FAMILY_NOT_PROVIDED.get(family, {}),
    )
    assert not missing, f"lamina.{family} lacks: {missing}"


def test_every_learning_rate_schedule_exists(keras):
    import lamina.optimizers

    missing = _missing(keras.optimizers.schedules, lamina.optimizers.schedules)
    assert not missing, f"lamina.optimizers.schedules lacks: {missing}"
