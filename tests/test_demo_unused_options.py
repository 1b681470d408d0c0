"""An option the chosen parts do not use is named in one note on stderr, never silently dropped."""

from __future__ import annotations

from conftest import svg_renderer_available

import demo
from lecture.cli_args import unused_options_note
from viz import RenderError, render


def no_renderer_error() -> RenderError:
    """The error rendering gives on this machine (only asked where no renderer is available)."""
    try:
        render.render_source("digraph { a }", "svg")
    except RenderError as err:
        return err
    raise AssertionError("a renderer is available after all")


def note_for(*argv: str) -> str | None:
    args = demo.build_parser().parse_args(list(argv))
    parts = demo.PARTS if args.part == "all" else (args.part,)
    return unused_options_note(args, parts)


def test_gradients_with_training_options_says_they_are_ignored(capsys, tmp_path) -> None:
    code = demo.main(["gradients", "--epochs", "5", "--hidden", "3", "--out", str(tmp_path), "--quiet"])
    err = capsys.readouterr().err
    assert code == 0
    expected = ["demo.py: note: the gradients part ignores --epochs (used by mlp, rnn, lstm);"
                " --hidden (used by rnn, lstm)"]
    if not svg_renderer_available():  # Python 3.10 without Graphviz: --quiet still says the pictures were skipped
        expected.append("demo.py: note: graph pictures skipped, DOT sources kept: " + str(no_renderer_error()))
    assert err.splitlines() == expected


def test_options_a_chosen_part_uses_are_not_named() -> None:
    assert note_for("lstm", "--epochs", "5", "--hidden", "3", "--lr", "0.1", "--seed", "2", "--eager") is None
    assert note_for("all", "--text", "x.txt", "--seed", "1", "--hidden", "4") is None
    assert note_for("gradients", "--format", "png", "--quiet") is None
    assert note_for("vanishing", "--seed", "0") is None  # --seed 0 given explicitly is used: no note


def test_each_ignored_option_is_named_once_with_the_parts_that_use_it() -> None:
    assert note_for("mlp", "--hidden", "3", "--epochs", "4") == \
        "demo.py: note: the mlp part ignores --hidden (used by rnn, lstm)"
    assert note_for("worked-example", "--seed", "0") == \
        "demo.py: note: the worked-example part ignores --seed (used by rnn, vanishing, lstm)"
    assert note_for("rnn", "--text", "book.txt") == "demo.py: note: the rnn part ignores --text (used by lstm)"
