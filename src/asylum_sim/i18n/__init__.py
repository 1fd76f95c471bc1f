"""The message catalogue: every user-facing string of the program, in Dutch, French and
English.

Messages live in ``messages/*.yaml`` beside this module (one file per part of the program,
loaded together): ``part.key: {nl: ..., fr: ..., en: ...}`` with ``{name}`` placeholders filled
by :func:`tr`. The labels of the data (states, events, documents, ...) stay in
``machines/*.yaml``; this catalogue holds the words of the program itself.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Lang = Literal["nl", "fr", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "fr", "en")
DEFAULT_LANG: Lang = "nl"
ENV_VAR = "ASYLUM_SIM_LANG"
"""Environment variable that sets the default language of every command."""

_FOLDER = Path(__file__).with_name("messages")


def default_lang() -> Lang:
    """The language of ``ASYLUM_SIM_LANG`` when it names one of ours, else Dutch."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    return value if value in LANGUAGES else DEFAULT_LANG  # type: ignore[return-value]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every message by key, from all files of ``messages/`` (read once)."""
    import yaml

    found: dict[str, dict[str, str]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(_FOLDER.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in data.items():
            if not isinstance(key, str):  # `yes:` / `no:` read as booleans in YAML 1.1
                raise ValueError(f"{path.name}: message key {key!r} must be text")
            if key in found:
                raise ValueError(f"{path.name}: message {key!r} is defined twice")
            found[key] = texts
    return found


def tr(key: str, lang: str, /, **params: Any) -> str:
    """The message ``key`` in ``lang``, its ``{placeholders}`` filled from ``params``."""
    texts = catalogue()[key]
    text = texts.get(lang) or texts[DEFAULT_LANG]
    return text.format(**params) if params else text
