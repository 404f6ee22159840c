"""Regularization layers: dropout and noise."""
