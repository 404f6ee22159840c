"""Argument checks shared by the lookup layers and `TextVectorization`."""

from typing import Any

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_lookup_arguments(
    prefix: str,
    max_tokens: Any,
    num_oov_indices: Any,
    output_mode: str,
    invert: bool,
    sparse: bool,
    pad_to_max_tokens: bool,
    idf_weights: Any,
    oov_method: str,
    oov_token: Any,
) -> None:
    """Raises for lookup arguments Keras would reject, naming the layer (`prefix`)."""
    if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens <= 1):
        raise ValueError(
            f"{prefix} expected max_tokens to be None or an integer greater "
            f"than 1 (it counts the mask and OOV slots too), but received "
            f"max_tokens={max_tokens!r}."
        )
    if pad_to_max_tokens and max_tokens is None:
        raise ValueError(
            f"{prefix} received pad_to_max_tokens=True without max_tokens. "
            f"Set max_tokens, the size to pad the output to."
        )
    if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
        raise ValueError(
            f"{prefix} expected num_oov_indices to be an integer >= 0, but "
            f"received num_oov_indices={num_oov_indices!r}."
        )
    if oov_method not in ("floormod", "farmhash"):
        raise ValueError(
            f"{prefix} received oov_method={oov_method!r}. Expected "
            f"'floormod' or 'farmhash'."
        )
    if output_mode not in OUTPUT_MODES:
        raise ValueError(
            f"{prefix} received output_mode={output_mode!r}. Expected one "
            f"of {', '.join(OUTPUT_MODES)}."
        )
    if invert and output_mode != "int":
        raise ValueError(
            f"{prefix} received invert=True with output_mode="
            f"{output_mode!r}; inverting maps indices back to tokens, so it "
            f"needs output_mode='int'."
        )
    if invert and oov_token is None:
        raise ValueError(
            f"{prefix} received invert=True with oov_token=None; inverting "
            f"needs a token to return for unknown indices. Set oov_token."
        )
    if sparse:
        raise ValueError(
            f"{prefix} received sparse=True, but lamina returns dense torch "
            f"tensors only (as Keras on its torch backend). Pass "
            f"sparse=False."
        )
    if idf_weights is not None and output_mode != "tf_idf":
        raise ValueError(
            f"{prefix} received idf_weights, which only output_mode="
            f"'tf_idf' uses; it has output_mode={output_mode!r}."
        )
