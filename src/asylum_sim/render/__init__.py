"""Renderers: they only read the engine's step objects and the definitions' labels."""
