"""Colours of the diagrams, shared by the DOT and Mermaid renderers.

Green and red mean an outcome (protection granted, refusal), so no authority may be drawn
in them. The actor colours in events.yaml are the tab10 palette, where the CGVS is green
and the applicant red: light fills of those would read as outcomes. The authorities the
machines use therefore get a fill of their own here, chosen to stay apart from the outcome
colours and from one another; an actor not listed falls back to a light tint of its
events.yaml colour.
"""

from __future__ import annotations

POSITIVE_COLOUR = "#1b7f3b"
NEGATIVE_COLOUR = "#b42318"
POSITIVE_FILL = "#bfe5c7"
NEGATIVE_FILL = "#f6c1bb"
NEUTRAL_BORDER = "#444444"
ACCENT_COLOUR = "#e8590c"
"""Colour of a highlighted case path: orange, apart from the outcome green and red."""
STUB_FILL = "#f2f2f2"
STUB_TEXT = "#555555"
STUB_BORDER = "#9a9a9a"

ACTOR_FILLS: dict[str, tuple[str, str]] = {
    # actor: (fill, name of the colour in the catalogue, for the Mermaid legend)
    "person": ("#ffffff", "white"),  # the applicant plain, the authorities coloured
    "dvz": ("#b9d4ee", "blue"),
    "cgvs": ("#d9c6ec", "violet"),
    "rvv": ("#f6d7a7", "sand"),
    "fedasil": ("#ffe98f", "yellow"),
    "structure": ("#c9e7ee", "cyan"),
    "ocmw": ("#e3d3c3", "beige"),
    "municipality": ("#cfd8f6", "periwinkle"),
    "police": ("#dddddd", "grey"),
    "integration_office": ("#f3d0e6", "lilac"),
}


def light_fill(colour: str) -> str:
    """A fill light enough for black text, keeping the hue of ``colour``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(11):
        mix = step / 10
        r, g, b = (round(c + (255 - c) * mix) for c in (red, green, blue))
        if (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 >= 0.7:
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#ffffff"


def actor_fill(actor: str, data_colour: str | None) -> str:
    """The fill of the states where ``actor`` decides or has to act."""
    if actor in ACTOR_FILLS:
        return ACTOR_FILLS[actor][0]
    return light_fill(data_colour) if data_colour else "#eeeeee"


def colour_name(actor: str) -> str:
    """Catalogue key of the name of ``actor``'s colour (``diagram.colour.blue``)."""
    return f"diagram.colour.{ACTOR_FILLS[actor][1] if actor in ACTOR_FILLS else 'other'}"


def outcome_fill(outcome: str | None) -> str | None:
    """The fill of an outcome state (None when the state is no outcome)."""
    return {"positive": POSITIVE_FILL, "negative": NEGATIVE_FILL}.get(outcome or "")
