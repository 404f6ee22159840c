"""`BaseRNNLayer`: what `SimpleRNN`, `LSTM` and `GRU` share around their cell."""

from typing import Any

import torch

from lamina.layers.recurrent.rnn import RNN
from lamina.layers.regularization.dropout import scaled_keep_mask

Tensor = torch.Tensor


class BaseRNNLayer(RNN):
    """An `RNN` built around one of lamina's cells, with the cell's arguments.

    The layer's config is flat (`units`, `dropout`, ...) as in Keras, its
    weights live in the cell (`lstm/lstm_cell/kernel`), and `use_cudnn`
    chooses PyTorch's fused kernel: `"auto"` where the configuration allows
    it, `True` to require it, `False` to always run the time loop.
    """

    def __init__(self, cell: Any, use_cudnn: Any = "auto", **kwargs: Any) -> None:
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                f"{type(self).__name__} expected use_cudnn to be 'auto', True or "
                f"False, but received use_cudnn={use_cudnn!r}."
            )
        super().__init__(cell, **kwargs)
        self.use_cudnn = use_cudnn

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            if name in _CELL_ATTRIBUTES and "cell" in self._modules:
                return getattr(self._modules["cell"], name)
            raise

    def _can_use_fused(self, training: bool) -> bool:
        eligible = self._fused_eligible(training)
        if self.use_cudnn is True and not eligible:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) was created with "
                f"use_cudnn=True, but its configuration needs the time loop "
                f"(PyTorch's fused kernel takes only the default activations, "
                f"no recurrent_dropout in training, and no mask with gaps). "
                f"Pass use_cudnn='auto' to fall back to the loop."
            )
        return eligible and self.use_cudnn is not False

    def _fused_eligible(self, training: bool) -> bool:
        return False

    def _fused_input(self, sequences: Tensor, training: bool) -> Tensor:
        """Input dropout before the fused kernel: one mask per sequence."""
        rate = self.cell.dropout
        if not training or not 0 < rate < 1:
            return sequences
        keep = scaled_keep_mask(sequences[:, 0].shape, rate, sequences)
        return sequences * keep[:, None, :]  # (batch, time, features)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        return cls(**config)


_CELL_ATTRIBUTES = frozenset(
    {
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "unit_forget_bias",
        "reset_after",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
    }
)
