"""`LoadError`: the one error a loader raises for a file it cannot trust or read."""


class LoadError(ValueError):
    """A model, weights or config file could not be loaded.

    Raised for truncated or corrupted files, for content lamina refuses to
    load (bytecode without `safe_mode=False`, classes outside the registry,
    HDF5 external links), and for configs that do not describe a model. The
    message names the file and says how to fix it.

    Example:
    >>> isinstance(LoadError("m.keras: truncated"), ValueError)
    True
    """
