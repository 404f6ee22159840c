"""Keras 3 options that lamina accepts only switched off: LoRA and quantization.

Keras 3 writes `quantization_config` (and, once enabled, `lora_rank` and
`lora_alpha`) into the configs of `Dense`, `Embedding` and the convolutions.
A file with these options off loads as the plain layer; a file with them on
gets an error that says so, rather than a model that silently differs.
"""

from typing import Any


def check_lora_off(owner: str, lora_rank: Any) -> None:
    """Raises unless `lora_rank` is off (`None` or `0`), as Keras treats it.

    Example:
    >>> check_lora_off("Dense", None)
    """
    if lora_rank:
        raise ValueError(
            f"{owner} received lora_rank={lora_rank!r}, but lamina does not "
            f"implement LoRA adapters yet. Pass lora_rank=None (the default). "
            f"To move a LoRA fine-tuned Keras model to lamina, rebuild it in "
            f"Keras without lora_rank and copy its weights: the saved kernel "
            f"already includes the adapters."
        )


def check_quantization_off(owner: str, quantization_config: Any) -> None:
    """Raises unless `quantization_config` is `None`.

    Example:
    >>> check_quantization_off("Embedding", None)
    """
    if quantization_config is not None:
        raise ValueError(
            f"{owner} received quantization_config={quantization_config!r}, "
            f"but lamina has no quantized layers yet. Pass "
            f"quantization_config=None (the default) and load the float model."
        )
