"""Mixed precision training (`keras.mixed_precision`).

`set_global_policy("mixed_float16")` (or `"mixed_bfloat16"`) makes the
layers created afterwards compute in half precision under `torch.autocast`
while their weights stay float32; `compile()` then wraps the optimizer in
a `LossScaleOptimizer` for float16, as Keras does.

Example:
>>> from lamina import mixed_precision
>>> mixed_precision.global_policy()
<DTypePolicy "float32">
"""

from lamina.backend.config import dtype_policy
from lamina.backend.config import dtype_policy as global_policy
from lamina.backend.config import set_dtype_policy
from lamina.backend.config import set_dtype_policy as set_global_policy
from lamina.dtype_policies.dtype_policy import DTypePolicy
from lamina.dtype_policies.dtype_policy import DTypePolicy as Policy
from lamina.optimizers.loss_scale_optimizer import LossScaleOptimizer

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
