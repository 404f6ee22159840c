"""Activation layers: activations with their own arguments or weights."""
