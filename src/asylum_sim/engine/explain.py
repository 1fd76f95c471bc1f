"""Reasons in words: how a deadline's last day was counted, why an entitlement holds.

Computed only when a renderer asks (a view holds a ``partial`` of these functions), in
every language at once; the words come from the message catalogue and the data's labels.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from asylum_sim import calendar
from asylum_sim.i18n import LANGUAGES, tr
from asylum_sim.model.catalogue import DATE_REF, DeadlineDef, EventDef, PeriodChoice
from asylum_sim.model.common import Labels

DAY = dt.timedelta(days=1)


def _event(events: Mapping[str, EventDef], event: str, lang: str) -> str:
    spec = events.get(event)
    return spec.labels.get(lang) if spec is not None else event


def deadline_why(events: Mapping[str, EventDef], definition: DeadlineDef,
                 choice: PeriodChoice, start: dt.date, due: dt.date, posted: bool,
                 event: str, counted_from: dt.date) -> dict[str, str]:
    """How the due date was counted, one line per language."""
    texts = {}
    for lang in LANGUAGES:
        period = choice.period.label(lang)
        label = _event(events, event, lang)
        if choice.from_attribute:
            key = ("engine.why.until_date" if choice.period.amount == 0 else
                   "engine.why.before_date" if choice.before else "engine.why.after_date")
            texts[lang] = tr(key, lang, period=period, date=counted_from, event=label)
        elif choice.from_event is not None:
            first = choice.from_event.event[0]
            texts[lang] = tr("engine.why.after", lang, period=period,
                             event=_event(events, first, lang), start=counted_from)
        elif choice.from_previous_due and counted_from != start:
            texts[lang] = tr("engine.why.after_previous", lang, period=period,
                             previous=counted_from, event=label, start=start)
        else:
            text = tr("engine.why.after", lang, period=period, event=label, start=start)
            if posted:
                day_one = calendar.notification_day(start, True) + DAY
                text += tr("engine.why.posted", lang, day_one=day_one)
            amount = -choice.period.amount if choice.before else choice.period.amount
            unrolled = calendar.last_day(start, amount, choice.period.unit, posted=posted)
            if definition.roll_forward and unrolled != due:
                text += tr("engine.why.rolled", lang, unrolled=unrolled, due=due)
            texts[lang] = text
    return texts


def entitlement_why(why: Labels, dates: Mapping[str, dt.date | None]) -> dict[str, str]:
    """The rule's one-line reason with ``{date:EVENT}`` filled in, in each language the
    data gives (a language without a text gets none, rather than another language's)."""

    def one(match: re.Match[str]) -> str:
        day = dates.get(match.group(1))
        return day.isoformat() if day else "?"

    return {lang: DATE_REF.sub(one, text) for lang in LANGUAGES
            if (text := getattr(why, lang, None))}
