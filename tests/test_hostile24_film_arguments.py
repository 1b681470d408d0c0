"""Hostile input, round 24: ``film_page`` given arguments of the wrong type.

A network that is not a FilmNetwork failed as "'str' object has no attribute 'edges'", frames that are not
FilmFrames (a string, a list of numbers) as "'str' object has no attribute 'weights'", and edges that are not
FilmEdges as "'float' object has no attribute 'name'". Each is now a TypeError naming the argument.
"""

from __future__ import annotations

import pytest

from viz.film import FilmEdge, FilmFrame, FilmNetwork, film_page

NET = FilmNetwork([["a", "b"], ["c"]], [FilmEdge("a", "c", "w1"), FilmEdge("b", "c", "w2")])
FRAME = FilmFrame([0.1, 0.2], [0.01, 0.02], 1.0, "epoch 0")


@pytest.mark.parametrize("network", [None, "net", [["a"], ["c"]], {"edges": []}])
def test_a_network_that_is_not_a_film_network_is_named(network: object) -> None:
    with pytest.raises(TypeError, match=r"^film_page: network must be a FilmNetwork, got "):
        film_page(network, [FRAME])  # type: ignore[arg-type]


@pytest.mark.parametrize("edges", [(1.0, 2.0), ["a->c", "b->c"], [("a", "c", "w1")]])
def test_edges_that_are_not_film_edges_are_named(edges: object) -> None:
    with pytest.raises(TypeError, match=r"^film_page: network edge 0 must be a FilmEdge, got "):
        film_page(FilmNetwork(NET.layers, edges), [FRAME])  # type: ignore[arg-type]


@pytest.mark.parametrize(("frames", "message"), [
    ("frames", r"^film_page: frames must be a sequence of FilmFrames, got str"),
    (FRAME, r"^film_page: frames must be a sequence of FilmFrames, got FilmFrame"),
    ([FRAME, None], r"^film_page: frame 1 must be a FilmFrame, got NoneType"),
    ([[0.1, 0.2]], r"^film_page: frame 0 must be a FilmFrame, got list"),
])
def test_frames_that_are_not_film_frames_are_named(frames: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        film_page(NET, frames)  # type: ignore[arg-type]


def test_a_good_film_still_plays_its_frames() -> None:
    page = film_page(NET, [FRAME, FilmFrame([0.3, -0.4], [0.0, 0.1], 0.5, "epoch 1")])
    assert page.startswith("<!DOCTYPE html>")
    assert '"w1"' in page and '"w2"' in page and "epoch 1" in page
