"""Passive data: the file formats of machines, the rule catalogue and scenarios."""
