"""Where Graphviz put the labels and the edges, read from its ``-Tjson`` layout.

Used to check that a diagram reads: no edge runs through a label (an edge's, a phase's),
and every edge label sits next to its own edge. Coordinates are points; text boxes come
from the ``T`` (text) drawing operations, edges from their ``b`` (Bézier) operations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

BEZIER_STEPS = 12
"""Straight pieces per Bézier segment: a few points long at most in our drawings."""


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""

    def shrunk(self, by: float) -> Box:
        return Box(self.x0 + by, self.y0 + by, self.x1 - by, self.y1 - by, self.text)


@dataclass(frozen=True)
class EdgeLayout:
    tail: str
    head: str
    path: tuple[tuple[float, float], ...]
    """The edge as a polyline (its Bézier curves cut in :data:`BEZIER_STEPS` pieces)."""
    label: tuple[Box, ...]
    """One box per line of text of the edge's label."""


@dataclass(frozen=True)
class Layout:
    edges: tuple[EdgeLayout, ...]
    cluster_labels: tuple[Box, ...]
    label_nodes: dict[str, tuple[Box, ...]]
    """Text of the nodes that carry an edge's label (see :data:`dot.LABEL_PREFIX`)."""


def _text_boxes(ops: list[dict]) -> tuple[Box, ...]:
    boxes = []
    size = 14.0
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T" and op.get("text", "").strip():
            x, y = op["pt"]
            width = float(op["width"])
            left = {"l": x, "c": x - width / 2, "r": x - width}[op.get("align", "c")]
            # y is the baseline: descenders below it, capitals about 0.75 of the size above.
            boxes.append(Box(left, y - 0.22 * size, left + width, y + 0.75 * size, op["text"]))
    return tuple(boxes)


def _bezier(points: list[list[float]]) -> list[tuple[float, float]]:
    path = [(points[0][0], points[0][1])]
    for i in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[i - 1], points[i], points[i + 1], points[i + 2]
        for step in range(1, BEZIER_STEPS + 1):
            t = step / BEZIER_STEPS
            u = 1 - t
            path.append(
                tuple(  # type: ignore[arg-type]
                    u**3 * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t**3 * p3[k]
                    for k in (0, 1)
                )
            )
    return path


def read_layout(data: bytes, label_prefix: str = "__label_") -> Layout:
    """The edges and labels of a ``dot -Tjson`` layout."""
    layout = json.loads(data)
    names = {obj["_gvid"]: obj["name"] for obj in layout.get("objects", [])}
    edges = []
    for edge in layout.get("edges", []):
        path: list[tuple[float, float]] = []
        for op in edge.get("_draw_", []):
            if op.get("op") in ("b", "B"):
                path += _bezier(op["points"])
        edges.append(
            EdgeLayout(
                names.get(edge["tail"], str(edge["tail"])),
                names.get(edge["head"], str(edge["head"])),
                tuple(path),
                _text_boxes(edge.get("_ldraw_", [])),
            )
        )
    clusters = tuple(
        box
        for obj in layout.get("objects", [])
        if str(obj.get("name", "")).startswith("cluster")
        for box in _text_boxes(obj.get("_ldraw_", []))
    )
    label_nodes = {
        obj["name"]: _text_boxes(obj.get("_ldraw_", []))
        for obj in layout.get("objects", [])
        if str(obj.get("name", "")).startswith(label_prefix)
    }
    return Layout(tuple(edges), clusters, label_nodes)


def _segment_hits(box: Box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment a-b passes through ``box`` (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.x0), (dx, box.x1 - a[0]), (-dy, a[1] - box.y0),
                 (dy, box.y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
        else:
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def crossings(
    layout: Layout, tolerance: float = 1.0, phases: bool = True
) -> list[tuple[str, str]]:
    """(label text, edge ``tail->head``) for every edge that runs through a label.

    Boxes are shrunk by ``tolerance`` points, so an edge that only touches a label's
    margin does not count. ``phases=False`` leaves out the titles of the phase boxes.
    """
    labels = [box for edge in layout.edges for box in edge.label]
    if phases:
        labels += layout.cluster_labels
    labels += [box for boxes in layout.label_nodes.values() for box in boxes]
    found = []
    for box in labels:
        inner = box.shrunk(tolerance)
        for edge in layout.edges:
            pieces = zip(edge.path, edge.path[1:], strict=False)
            if any(_segment_hits(inner, a, b) for a, b in pieces):
                found.append((box.text, f"{edge.tail}->{edge.head}"))
    return found
