"""The bibliography (``machines/sources.yaml``) and the grammar of ``source:`` texts.

Every ``source`` in the machine files cites one or more documents of the bibliography::

    source      := citation ("; " citation)*
    citation    := SOURCE-ID [" " locator]
    SOURCE-ID   := the id of a source, written as lawyers cite it: ``brochure``, ``opvang``,
                   ``Vw.``, ``Opvangwet``, ``KB 2/9/2018``, ``Cass. 26/11/2012``, ``cgrs.be``
    locator     := where in it, in free text: a section (``§2.5``), a heading in quotes
                   (``"Code 207 no show"``), an article (``art. 39/57 §1 al. 2``)

e.g. ``brochure §2.5; Vw. art. 39/57 §1 al. 1; cgrs.be "The Council for Alien Law
Litigation"``. An id may hold spaces and dots; the longest id that starts a citation wins.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from asylum_sim.model.common import Strict

SourceKind = Literal["guide", "web page", "law", "royal decree", "regulation", "case law",
                     "report", "website"]


class SourceDef(Strict):
    """One document cited by the data, with what a lawyer needs to find it."""

    id: str = Field(min_length=2, pattern=r"^[^;\s](?:[^;]*[^;\s])?$")
    """How it is cited (the start of a citation)."""
    kind: SourceKind
    title: str = Field(min_length=3)
    """The full title, in the document's language."""
    publisher: str = Field(min_length=2)
    """Author, publisher or issuing body."""
    date: dt.date | None = None
    """Date of the act, judgment or version used; None when the document is undated."""
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    language: str = Field(pattern=r"^[a-z]{2}(/[a-z]{2})*$")
    """The language(s) of the text cited: ``nl``, ``en``, ``nl/fr`` (an official bilingual
    text)."""
    cite: str | None = None
    """How places in it are cited (e.g. sections, headings, articles)."""
    note: str | None = None


class SourcesFile(Strict):
    kind: Literal["sources"]
    sources: list[SourceDef] = Field(min_length=1)


def citations(text: str) -> list[str]:
    """The citations of a ``source`` text (split on ``;``)."""
    return [part.strip() for part in text.split(";") if part.strip()]


def cited_id(citation: str, ids: Iterable[str]) -> str | None:
    """The source id a citation starts with (the longest that fits), or None."""
    found = [i for i in ids
             if citation == i or citation.startswith((f"{i} ", f"{i},", f"{i}:"))]
    return max(found, key=len) if found else None


def did_you_mean(citation: str, ids: Iterable[str]) -> str:
    """``; did you mean 'Vw.'?`` for a citation no id starts: an id found later in it
    (``law: Vw. art. 39/57``), or the id closest to its start; else nothing."""
    ids = sorted(ids, key=len, reverse=True)
    for i in ids:
        if f" {i} " in f" {citation} ":
            return f"; did you mean {i!r}?"
    best, score = None, 0.0
    for i in ids:
        ratio = difflib.SequenceMatcher(None, citation[: len(i)].lower(), i.lower()).ratio()
        if ratio > score:
            best, score = i, ratio
    return f"; did you mean {best!r}?" if best is not None and score >= 0.6 else ""


def unknown_citations(text: str, ids: Iterable[str]) -> list[str]:
    """The citations of ``text`` that start with no known id."""
    ids = list(ids)
    return [c for c in citations(text) if cited_id(c, ids) is None]


def sources_cited(texts: Iterable[str], sources: dict[str, SourceDef]) -> list[SourceDef]:
    """The bibliography entries cited by ``texts``, in the order of the bibliography."""
    used: set[str] = set()
    for text in texts:
        for citation in citations(text or ""):
            if (found := cited_id(citation, sources)) is not None:
                used.add(found)
    return [s for i, s in sources.items() if i in used]
