"""Analysts' event logs: read exports of case-management systems, replay every case with
conformance, write cases, steps and deviations back, at scale.

``readers`` (CSV/TSV, JSON Lines, Parquet, XES) -> ``grouping`` (rows into cases, in
bounded memory) -> ``parallel`` (chunks of cases through worker processes) -> ``replay``
(one case: ``columns``, ``timestamps``, ``activities``, the engine) -> ``writers`` (the
``tables``, written as they come, atomically) and ``summary``. ``pipeline`` runs the whole.
"""
