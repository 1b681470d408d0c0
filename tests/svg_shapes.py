"""Where Graphviz drew things, read back from its SVG: node boxes, cluster frames and edges as polylines.

The picture tests check layout properties a reader sees (an edge loops around a frame, two edges cross),
not pixels: each edge's cubic Bézier path is sampled into short straight pieces, precise enough to tell
whether two edges cross or how far an edge strays above its ends.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in SVG coordinates (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    def contains(self, p: Point, margin: float = 0.0) -> bool:
        """Whether ``p`` lies inside the box shrunk by ``margin`` on each side."""
        return self.left + margin < p[0] < self.right - margin and self.top + margin < p[1] < self.bottom - margin


@dataclass(frozen=True)
class Drawing:
    """A rendered picture: node boxes by DOT id, cluster frames by label, edge polylines by (tail, head)."""

    nodes: dict[str, Box]
    clusters: dict[str, Box]
    edges: dict[tuple[str, str], list[list[Point]]]


def _box(points: list[Point]) -> Box:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _pairs(text: str) -> list[Point]:
    numbers = [float(n) for n in _NUMBER.findall(text)]
    return list(zip(numbers[0::2], numbers[1::2]))


def _outline(group: ET.Element) -> list[Point]:
    points: list[Point] = []
    for shape in group.iter():
        tag = shape.tag.removeprefix(SVG)
        if tag == "polygon":
            points += _pairs(shape.get("points", ""))
        elif tag == "path":
            points += _pairs(shape.get("d", ""))
        elif tag == "ellipse":
            cx, cy = float(shape.get("cx", 0)), float(shape.get("cy", 0))
            rx, ry = float(shape.get("rx", 0)), float(shape.get("ry", 0))
            points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
        elif tag == "text":  # a plaintext node (a plain number) has no outline: its text's anchor stands in
            points.append((float(shape.get("x", 0)), float(shape.get("y", 0))))
    return points


def bezier_points(d: str, steps: int = 16) -> list[Point]:
    """A Graphviz edge path ("M x,y C x1,y1 x2,y2 x3,y3 ...", cubic pieces) sampled ``steps`` times a piece."""
    pts = _pairs(d)
    out = [pts[0]]
    for k in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[k - 1], pts[k], pts[k + 1], pts[k + 2]
        for s in range(1, steps + 1):
            t = s / steps
            u = 1 - t
            out.append((u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                        u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1]))
    return out


def read_drawing(svg: bytes | str) -> Drawing:
    """Parse Graphviz's SVG output into a `Drawing`."""
    root = ET.fromstring(svg)
    nodes: dict[str, Box] = {}
    clusters: dict[str, Box] = {}
    edges: dict[tuple[str, str], list[list[Point]]] = {}
    for g in root.iter(f"{SVG}g"):
        kind, title = g.get("class"), g.find(f"{SVG}title")
        if title is None or title.text is None:
            continue
        if kind == "node":
            nodes[title.text] = _box(_outline(g))
        elif kind == "cluster":
            label = next((t.text for t in g.iter(f"{SVG}text")), None) or title.text
            clusters[label] = _box(_outline(g))
        elif kind == "edge":
            path = g.find(f"{SVG}path")
            if path is not None:
                tail, head = title.text.split("->")
                edges.setdefault((tail.split(":")[0], head.split(":")[0]), []).append(bezier_points(path.get("d", "")))
    return Drawing(nodes, clusters, edges)


def _cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd cross at a point inside both (touching ends do not count)."""
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def crossings(first: list[Point], second: list[Point], ends: float = 4.0) -> int:
    """How many times two polylines cross, leaving out pieces within ``ends`` of either line's ends.

    Two edges into one gate meet at its border: those last few points are not a crossing.
    """
    def trimmed(line: list[Point]) -> list[Point]:
        start, end = line[0], line[-1]
        return [p for p in line if min(abs(p[0] - q[0]) + abs(p[1] - q[1]) for q in (start, end)) > ends]
    a, b = trimmed(first), trimmed(second)
    return sum(_cross(a[i], a[i + 1], b[j], b[j + 1]) for i in range(len(a) - 1) for j in range(len(b) - 1))
