"""asylum-sim: the Belgian procedure for international protection as state machines."""

__version__ = "0.1.0"
