"""The message catalogue: every message in nl, fr and en, with the same placeholders."""

from __future__ import annotations

import string

from asylum_sim.i18n import LANGUAGES, catalogue, tr


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_every_language_and_the_same_placeholders() -> None:
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), key
        assert all(isinstance(t, str) and t.strip() for t in texts.values()), key
        assert len({frozenset(_fields(t)) for t in texts.values()}) == 1, key


def test_tr_fills_placeholders_in_the_language_asked() -> None:
    assert tr("common.yes", "fr") == "oui"
    assert tr("common.no", "nl") == "nee"
