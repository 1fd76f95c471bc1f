"""The engine: steps a case through the machines on a simulated legal calendar."""
