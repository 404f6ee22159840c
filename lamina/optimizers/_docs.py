"""Shared docstring text for the arguments every optimizer takes."""

BASE_ARGUMENTS = """weight_decay: Float or `None`; if set, weights decay by
            `weight_decay * learning_rate` each step. Defaults to `None`.
        clipnorm: Float or `None`; clip each gradient to this L2 norm.
            Defaults to `None`.
        clipvalue: Float or `None`; clip gradient elements to
            `[-clipvalue, clipvalue]`. Defaults to `None`.
        global_clipnorm: Float or `None`; clip all gradients together to this
            joint L2 norm. Defaults to `None`.
        use_ema: Bool, keep a moving average of the weights. Defaults to
            `False`.
        ema_momentum: Float, the moving average's momentum. Defaults to
            `0.99`.
        ema_overwrite_frequency: Int or `None`; copy the averages into the
            weights every this many steps. Defaults to `None`.
        loss_scale_factor: Float or `None`; gradients are divided by it.
            Defaults to `None`.
        gradient_accumulation_steps: Int >= 2 or `None`; update every this
            many steps with the mean gradient. Defaults to `None`.
        name: String. Defaults to the snake-case class name, made unique.
        **kwargs: The Keras 2 arguments `lr` (same as `learning_rate`) and
            `decay` (`lr / (1 + decay * iterations)`)."""


def with_base_arguments(cls: type) -> type:
    """Fills the `{base_arguments}` slot of a class docstring."""
    cls.__doc__ = cls.__doc__.replace("{base_arguments}", BASE_ARGUMENTS)
    return cls
