"""Writes `keras_reference.json` and the `.keras` files beside it from real Keras.

Keras's lookup, hashing and text layers need TensorFlow even on the torch
backend, and the test environment has none. So their expected numbers are
recorded once, with Keras 3.15.1 and TensorFlow 2.21 (CPU):

    pip install keras==3.15.1 tensorflow-cpu==2.21.0
    KERAS_BACKEND=torch python tests/layers/preprocessing/data/make_keras_reference.py

`tests/reference/test_text_preprocessing_reference.py` replays every case on
lamina against the recorded values, and against live Keras where
TensorFlow is installed.
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

TIES = ["b", "a", "c", "a", "d", "c", "b", "e", "[UNK]", "zz", "Z", "é", "e"]
DOCS = [["a", "b", "a"], ["b", "c", "d"], ["a", "a", "e"], ["c", "c", "c"]]
INTEGERS = [3, 1, 2, 1, 3, 7, -1, 7, 9, 1000, -5, 2]
TEXTS = [
    "The quick brown fox; the QUICK dog!",
    "Ünïcödé ÉCOLE straße   tabs\there\nnewline",
    "no\u00a0break\u2003em-space\x1cfile-sep",
    "punct: a-b,c.d'e\"f[g]h\\i{j}k|l~m«n»o—p",
    "the the the fox fox dog dog cat",
    "",
]
QUERIES = ["the fox and the cat", "Ünïcödé école", "zzz", "em space no break"]
WORDS = [f"word{i}" for i in range(40)] + ["", "a", "é", "日本", "x" * 40, "y" * 70]


def _cases() -> list[dict]:
    """Layer, arguments, adapt data and inputs of every recorded case."""
    cases = [
        # ---- Hashing
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 10},
            "inputs": [[w] for w in WORDS],
        },
        {"layer": "Hashing", "kwargs": {"num_bins": 97}, "inputs": [INTEGERS]},
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 11, "salt": [3, 7]},
            "inputs": [WORDS],
        },
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 13, "salt": 42},
            "inputs": [INTEGERS],
        },
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 6, "mask_value": ""},
            "inputs": [WORDS],
        },
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 6, "mask_value": 1},
            "inputs": [INTEGERS],
        },
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 5, "output_mode": "multi_hot"},
            "inputs": [WORDS[:6], WORDS[6:12]],
        },
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 5, "output_mode": "count"},
            "inputs": [WORDS[:6], WORDS[6:12]],
        },
        {
            "layer": "Hashing",
            "kwargs": {"num_bins": 5, "output_mode": "one_hot"},
            "inputs": [[w] for w in WORDS[:8]],
        },
        # ---- HashedCrossing
        {
            "layer": "HashedCrossing",
            "kwargs": {"num_bins": 20},
            "inputs": [WORDS[:10], INTEGERS[:10]],
            "multiple_inputs": True,
        },
        {
            "layer": "HashedCrossing",
            "kwargs": {"num_bins": 9, "output_mode": "one_hot"},
            "inputs": [[[w] for w in WORDS[:5]], [[i] for i in INTEGERS[:5]]],
            "multiple_inputs": True,
        },
        {
            "layer": "HashedCrossing",
            "kwargs": {"num_bins": 1000},
            "inputs": [INTEGERS[:6], WORDS[:6], WORDS[6:12]],
            "multiple_inputs": True,
        },
        # ---- StringLookup
        {
            "layer": "StringLookup",
            "kwargs": {"vocabulary": ["a", "b", "c"]},
            "inputs": [["a", "z"], ["c", "b"]],
        },
        {"layer": "StringLookup", "kwargs": {}, "adapt": TIES, "inputs": [TIES]},
        {
            "layer": "StringLookup",
            "kwargs": {"max_tokens": 5, "mask_token": "[M]"},
            "adapt": TIES,
            "inputs": [["a", "[M]", "e", "q"]],
        },
        {
            "layer": "StringLookup",
            "kwargs": {"output_mode": "tf_idf"},
            "adapt": DOCS,
            "inputs": DOCS,
        },
        {
            "layer": "StringLookup",
            "kwargs": {
                "output_mode": "tf_idf",
                "max_tokens": 8,
                "pad_to_max_tokens": True,
            },
            "adapt_batches": [DOCS[:2], DOCS[2:]],
            "inputs": DOCS,
        },
        {
            "layer": "StringLookup",
            "kwargs": {"output_mode": "multi_hot"},
            "adapt": TIES,
            "inputs": [TIES[:5], TIES[5:10]],
        },
        {
            "layer": "StringLookup",
            "kwargs": {"output_mode": "count", "mask_token": ""},
            "adapt": TIES,
            "inputs": [["a", "", "a", "q"]],
        },
        {
            "layer": "StringLookup",
            "kwargs": {"output_mode": "one_hot", "vocabulary": ["x", "y"]},
            "inputs": [["x"], ["y"], ["q"]],
        },
        {
            "layer": "StringLookup",
            "kwargs": {"vocabulary": ["a", "b"], "num_oov_indices": 4},
            "inputs": [WORDS],
        },
        {
            "layer": "StringLookup",
            "kwargs": {"vocabulary": ["a", "b"], "num_oov_indices": 4, "salt": [5, 6]},
            "inputs": [WORDS],
        },
        {
            "layer": "StringLookup",
            "kwargs": {"vocabulary": ["x", "y"], "mask_token": "", "invert": True},
            "inputs": [0, 1, 2, 3, 7, -3],
        },
        {
            "layer": "StringLookup",
            "kwargs": {
                "output_mode": "tf_idf",
                "vocabulary": ["a", "b", "c"],
                "idf_weights": [0.5, 1.0, 2.0],
            },
            "inputs": [["a", "b", "b", "q"]],
        },
        # ---- IntegerLookup
        {
            "layer": "IntegerLookup",
            "kwargs": {"vocabulary": [12, 36, 1138, 42]},
            "inputs": [[12, 1138, 42, 42], [42, 7, 36, 7]],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {},
            "adapt": INTEGERS,
            "inputs": [INTEGERS],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {"output_mode": "tf_idf", "mask_token": 0},
            "adapt": [[1, 1, 2], [1, 3, 3], [0, 2, 2]],
            "inputs": [[1, 2, 0, 9]],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {
                "vocabulary": [10, 20],
                "num_oov_indices": 3,
                "oov_method": "farmhash",
            },
            "inputs": [INTEGERS],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {
                "vocabulary": [10, 20],
                "num_oov_indices": 3,
                "oov_method": "farmhash",
                "salt": [1, 2],
            },
            "inputs": [INTEGERS],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {"vocabulary": [10, 20], "num_oov_indices": 3},
            "inputs": [INTEGERS],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {"vocabulary": [5, 7, 9], "mask_token": 0, "invert": True},
            "inputs": [[0, 1, 2, 3, 4, 9, -1]],
        },
        {
            "layer": "IntegerLookup",
            "kwargs": {"vocabulary": [5, 7, 9], "output_mode": "count"},
            "inputs": [[5, 5, 8], [9, 7, 7]],
        },
    ]
    text_cases = [
        ({}, None),
        ({"max_tokens": 12, "output_sequence_length": 5}, None),
        ({"output_mode": "tf_idf"}, None),
        ({"output_mode": "count", "max_tokens": 30, "pad_to_max_tokens": True}, None),
        ({"output_mode": "multi_hot"}, None),
        ({"split": "character", "max_tokens": 40}, None),
        ({"ngrams": 3}, None),
        ({"ngrams": [2]}, None),
        ({"standardize": "lower"}, None),
        ({"standardize": "strip_punctuation"}, None),
        ({"standardize": None}, None),
        ({"split": None}, None),
        ({}, [TEXTS[:3], TEXTS[3:]]),
    ]
    for kwargs, batches in text_cases:
        if "ngrams" in kwargs and isinstance(kwargs["ngrams"], list):
            kwargs = {**kwargs, "ngrams": tuple(kwargs["ngrams"])}
        case = {
            "layer": "TextVectorization",
            "kwargs": kwargs,
            "inputs": QUERIES + TEXTS,
        }
        if batches is None:
            case["adapt"] = TEXTS
        else:
            case["adapt_batches"] = batches
        cases.append(case)
    cases.extend(_numeric_cases())
    return [{"id": f"{case['layer']}-{i}", **case} for i, case in enumerate(cases)]


def _numeric_cases() -> list[dict]:
    """Adapting `Discretization` (and batched `Normalization`) needs TensorFlow too."""
    import numpy as np

    rng = np.random.RandomState(0)
    normal = rng.normal(size=(300, 2)).astype("float32").tolist()
    skewed = rng.gamma(2.0, size=2000).astype("float32").tolist()
    queries = normal[:6]
    return [
        {
            "layer": "Discretization",
            "kwargs": {"num_bins": 5},
            "adapt": normal,
            "inputs": queries,
        },
        {
            "layer": "Discretization",
            "kwargs": {"num_bins": 10},
            "adapt": skewed,
            "inputs": skewed[:9],
        },
        {
            "layer": "Discretization",
            "kwargs": {"num_bins": 7, "epsilon": 0.05},
            "adapt_batches": [normal[:120], normal[120:]],
            "inputs": queries,
        },
        {
            "layer": "Discretization",
            "kwargs": {"num_bins": 4, "output_mode": "count"},
            "adapt": normal,
            "inputs": queries,
        },
        {
            "layer": "Normalization",
            "kwargs": {},
            "adapt_batches": [normal[:100], normal[100:250], normal[250:]],
            "inputs": queries,
        },
    ]


def run_keras_case(keras, case: dict) -> dict:
    """Runs one case on Keras; returns output, dtype, vocabulary and config."""
    import numpy as np

    layer = getattr(keras.layers, case["layer"])(**case["kwargs"])
    if "adapt" in case:
        layer.adapt(np.array(case["adapt"]))
    if "adapt_batches" in case:
        layer.adapt(iter([np.array(batch) for batch in case["adapt_batches"]]))
    if case.get("multiple_inputs"):
        output = layer(tuple(np.array(item) for item in case["inputs"]))
    else:
        output = layer(np.array(case["inputs"]))
    if isinstance(output, list):
        values, dtype = output, "string"
    else:
        array = keras.ops.convert_to_numpy(output)
        values, dtype = array.tolist(), str(array.dtype)
    result = {"output": values, "dtype": dtype}
    if hasattr(layer, "get_vocabulary"):
        result["vocabulary"] = [_plain(token) for token in layer.get_vocabulary()]
    config = json.loads(json.dumps(layer.get_config(), default=_plain))
    config.pop("name", None)
    result["config"] = config
    return result


def _plain(value):
    if hasattr(value, "item"):
        return value.item()  # NumPy scalars
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _save_fixtures(keras) -> dict:
    """`.keras` files of adapted text layers, as Keras saves them, and outputs."""
    import numpy as np

    outputs = {}
    for name, kwargs in (
        ("keras_text_vectorization_int", {"max_tokens": 20}),
        ("keras_text_vectorization_tf_idf", {"output_mode": "tf_idf"}),
    ):
        layer = keras.layers.TextVectorization(**kwargs)
        layer.adapt(np.array(TEXTS))
        model = keras.Sequential([layer])
        model.save(os.path.join(HERE, f"{name}.keras"))
        outputs[name] = keras.ops.convert_to_numpy(layer(np.array(QUERIES))).tolist()
    return outputs


def main() -> None:
    import keras
    import tensorflow as tf

    reference = {
        "keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "cases": [
            {**case, "expected": run_keras_case(keras, case)} for case in _cases()
        ],
        "fixtures": _save_fixtures(keras),
        "queries": QUERIES,
    }
    with open(os.path.join(HERE, "keras_reference.json"), "w", encoding="utf-8") as out:
        json.dump(reference, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
