"""The training loops behind `Model.fit`, `evaluate` and `predict`."""
