"""Which alternative of an entry applies when several hold: exceptions before the rules
they override, the default last (Catala's default/exception, said out loud in the data).

An alternative with ``exception_to: [B]`` overrides B (and what B overrides) when it holds;
a ``default`` applies only when no other alternative holds. Alternatives unrelated by
either must not hold together; ``asylum-sim check`` looks for pairs that could, and the
tests replay every shipped scenario with :func:`choose`, which reports any that do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class AlternativeLike(Protocol):
    rule: str
    default: bool
    exception_to: list[str]


def overrides(alternatives: Sequence[AlternativeLike]) -> list[set[int]]:
    """For each alternative, the indexes it overrides, directly or through the rules it
    overrides (A over B over C: A over C)."""
    index = {a.rule: i for i, a in enumerate(alternatives)}
    direct = [{index[r] for r in a.exception_to if r in index} for a in alternatives]
    closed = [set(d) for d in direct]
    changed = True
    while changed:
        changed = False
        for found in closed:
            more = set().union(*(direct[j] for j in found)) - found if found else set()
            if more:
                found |= more
                changed = True
    return closed


def precedence(alternatives: Sequence[AlternativeLike]) -> list[int]:
    """The order in which to try the alternatives so that the first that holds is the one
    :func:`choose` picks: exceptions before what they override, defaults last, otherwise
    file order. Raises ValueError on a cycle of exceptions."""
    over = overrides(alternatives)
    if any(i in found for i, found in enumerate(over)):
        rules = [alternatives[i].rule for i, found in enumerate(over) if i in found]
        raise ValueError(f"exceptions override each other in a cycle: {', '.join(rules)}")
    waiting = set(range(len(alternatives)))
    order: list[int] = []
    while waiting:
        # Ready: nothing still waiting overrides it.
        ready = [i for i in waiting if not any(i in over[j] for j in waiting if j != i)]
        first = min(ready, key=lambda i: (alternatives[i].default, i))
        order.append(first)
        waiting.remove(first)
    return order


def choose(alternatives: Sequence[AlternativeLike], holding: Sequence[int]
           ) -> tuple[int | None, list[int]]:
    """The alternative that applies among those that hold (indexes), and the ambiguous
    rest: alternatives that also remain, which the data should have related."""
    over = overrides(alternatives)
    remaining = [i for i in holding if not any(i in over[j] for j in holding)]
    if any(not alternatives[i].default for i in remaining):
        remaining = [i for i in remaining if not alternatives[i].default]
    if not remaining:
        return None, []
    return remaining[0], remaining[1:]
