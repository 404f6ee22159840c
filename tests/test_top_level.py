"""The `lamina` namespace: Keras's top-level names, lazy submodules, version."""

import importlib.metadata
import subprocess
import sys

import pytest

import lamina


def _run_fresh(code: str) -> str:
    """Runs `code` in a new interpreter, so lazy imports start from scratch."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_top_level_submodules_reachable_after_plain_import():
    output = _run_fresh(
        "import lamina\n"
        "print(lamina.datasets.mnist.load_data.__name__, "
        "lamina.preprocessing.sequence.pad_sequences.__name__, "
        "lamina.ops.mean.__name__, lamina.random.normal.__name__, "
        "lamina.config.floatx(), lamina.tree.flatten([1, [2]]))"
    )
    assert output == "load_data pad_sequences mean normal float32 [1, 2]"


def test_top_level_import_leaves_heavy_submodules_unloaded():
    output = _run_fresh(
        "import sys, lamina\n"
        "print(sorted(name for name in ('lamina.datasets', 'lamina.preprocessing')"
        " if name in sys.modules))"
    )
    assert output == "[]"


def test_top_level_from_import_of_lazy_names():
    from lamina import __version__
    from lamina import config
    from lamina import datasets
    from lamina import tree

    assert datasets.mnist is lamina.datasets.mnist
    assert config.floatx is lamina.backend.floatx
    assert tree.flatten is lamina.tree.flatten
    assert __version__ == lamina.version()


def test_top_level_dir_lists_lazy_names():
    names = dir(lamina)
    for name in ("config", "datasets", "preprocessing", "tree", "__version__"):
        assert name in names


def test_top_level_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'Denseee'"):
        lamina.Denseee  # noqa: B018 -- the attribute access is the test


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("Initializer", lamina.initializers),
        ("Loss", lamina.losses),
        ("Metric", lamina.metrics),
        ("Optimizer", lamina.optimizers),
        ("Regularizer", lamina.regularizers),
        ("InputSpec", lamina.layers),
        ("Layer", lamina.layers),
    ],
)
def test_top_level_classes_are_the_family_classes(name, home):
    assert getattr(lamina, name) is getattr(home, name)


def test_top_level_keras_tensor_is_what_input_returns():
    assert isinstance(lamina.Input((3,)), lamina.KerasTensor)


def test_top_level_version_comes_from_package_metadata():
    assert lamina.version() == importlib.metadata.version("lamina")
    assert lamina.__version__ == lamina.version()


def test_top_level_device_is_a_scope_for_new_weights():
    with lamina.device("cpu"):
        layer = lamina.layers.Dense(2)
        layer.build((None, 3))
    assert layer.kernel.device.type == "cpu"


def test_top_level_name_scope_prefixes_weight_paths():
    with lamina.name_scope("encoder"):
        layer = lamina.layers.Dense(2, name="proj")
        layer.build((None, 3))
    assert [weight.path for weight in layer.weights] == [
        "encoder/proj/kernel",
        "encoder/proj/bias",
    ]
