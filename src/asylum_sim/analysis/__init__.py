"""Static analysis of machine definitions: ``check`` (validation) and ``paths`` (routes)."""
