"""Where the shipped machine definitions are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "ASYLUM_SIM_MACHINES"


def default_machines_dir() -> Path:
    """The machine definitions to use when none are named.

    In order: ``$ASYLUM_SIM_MACHINES``; the ``machines/`` folder of the source checkout
    (editable installs and running from the tree); the copy a ``pip install .`` places under
    ``<prefix>/share/asylum-sim/machines``.
    """
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    checkout = Path(__file__).resolve().parents[3] / "machines"
    if (checkout / "procedure.yaml").is_file():
        return checkout
    for prefix in (sys.prefix, sys.base_prefix):
        installed = Path(prefix) / "share" / "asylum-sim" / "machines"
        if installed.is_dir():
            return installed
    return checkout
