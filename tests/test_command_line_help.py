"""What a new user sees from --help and from an example whose optional package is missing (new-user trial 15)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *command], cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=120)


def test_demo_help_says_what_every_part_shows_and_which_parts_each_option_tunes(tmp_path) -> None:
    from lecture.cli_args import OPTION_PARTS

    done = run(str(ROOT / "demo.py"), "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    # The parts are listed after the options, one entry each, with what it shows (the slides' worked examples).
    epilog = text.split("\nparts (", 1)[1]
    entries = {line.split()[0]: line for line in epilog.splitlines() if line.startswith("  ") and line[2] != " "}
    for part in ("worked-example", "mlp", "rnn", "vanishing", "lstm", "gradients", "all"):
        assert part in entries, part
    flat = " ".join(text.split())
    for shown in ("c1 and c2", "w1* and w2* after one SGD step", "BPTT gradients dWxh, dWhh, dWhy", "cross-entropy",
                  "gates f, i, g, o", "Hessian"):
        assert shown in flat, shown
    # Each tuning option names the parts that use it, from the same table the "ignores --epochs" note reads.
    for option, parts in OPTION_PARTS.items():
        assert f"used by {', '.join(parts)}" in flat, option
    assert "(defaults: rnn 8, lstm 24)" in flat  # --hidden's defaults name their parts, not "8 / 24"
    assert not list(tmp_path.iterdir())  # --help wrote nothing


def test_the_examples_help_describes_every_argument_with_its_default_and_writes_nothing(tmp_path) -> None:
    expected = {
        "char_rnn.py": ["text  the string to learn", "(default: 'hello world. ')", "--cell {rnn,lstm}  a vanilla",
                        "(default: rnn)", "(default: 150)"],
        "mlp_two_moons.py": ["(default: 60)"],
        "draw_a_graph.py": ["writes OUT.dot and OUT.svg (default: graph)"],
    }
    for script, shown in expected.items():
        done = run(str(ROOT / "examples" / script), "--help", cwd=tmp_path)
        assert done.returncode == 0, (script, done.stderr)
        flat = " ".join(done.stdout.split())
        for text in shown:
            assert " ".join(text.split()) in flat, (script, text)
    assert not list(tmp_path.iterdir())


def test_the_pytorch_example_without_pytorch_says_how_to_install_it_in_one_line(tmp_path) -> None:
    # As on a fresh `pip install -e .`, whether or not this machine has torch: importing it fails.
    blocked = ("import runpy, sys; sys.modules['torch'] = None; sys.argv = ['torch_char_lstm.py', '--help'];"
               f" runpy.run_path({str(ROOT / 'examples' / 'torch_char_lstm.py')!r}, run_name='__main__')")
    done = run("-c", blocked, cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and 'pip install -e ".[torch]"' in done.stderr, done.stderr
    assert not list(tmp_path.iterdir())


def help_entries(text: str) -> tuple[str, dict[str, str]]:
    """``--help``'s description (the text between usage and the first section) and each argument's entry, flat."""
    description = " ".join(text.split("\n\n")[1].split())
    entries: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("   "):  # an argument's first line
            name = line.split()[0].rstrip(",")
            entries[name] = line
        elif name and line.startswith("   "):
            entries[name] += " " + line.strip()
        else:
            name = ""
    return description, {key: " ".join(value.split()) for key, value in entries.items()}


def test_every_example_describes_itself_in_whole_sentences_and_gives_each_default(tmp_path) -> None:
    # New-user trial 21: torch_style_training.py's description stopped mid-sentence at its docstring's first line
    # ("... an nn.Module subclass built from Sequential,"), and torch_char_lstm.py gave no default and no help
    # for --seed.
    scripts = sorted(path.name for path in (ROOT / "examples").glob("*.py"))
    if importlib.util.find_spec("torch") is None:  # its --help needs torch (without: one line, tested above)
        scripts.remove("torch_char_lstm.py")
    for script in scripts:
        done = run(str(ROOT / "examples" / script), "--help", cwd=tmp_path)
        assert done.returncode == 0, (script, done.stderr)
        description, entries = help_entries(done.stdout)
        assert description.endswith("."), (script, description)
        entries.pop("-h")
        assert entries, script
        for name, entry in entries.items():
            assert "(default: " in entry, (script, name, entry)
    assert not list(tmp_path.iterdir())
