"""valuegrad's tour: every slide of "Recurrent Neural Networks", executable and drawn.

    python demo.py                      # the whole tour, about a minute
    python demo.py worked-example       # one part: worked-example | mlp | rnn | lstm | vanishing | all
    python demo.py lstm --text book.txt --hidden 32 --epochs 600

Pictures go under out/ (--out DIR), with an index.html that links them.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from autograd import no_grad, topological_order
from nn.corpus import default_text, load_text_file
from nn.hello_rnn import HELLO_INPUTS, HELLO_TARGETS, HELLO_VOCAB, hello_rnn_example
from nn.slides_mlp import BATCH_ROWS, row_graph, slides_network, worked_example_report
from nn.training import train_char_model, train_slides_mlp
from nn.vanishing import gradient_reach
from viz import RenderError, draw_graph, groups_by_time_step, groups_from_parameters, step_through_page, system_dot
from viz.charts import loss_curve, vanishing_gradient_chart
from viz.heatmap import inside_quotes, position_in_line, rank_units, text_heatmap_html, text_heatmap_page
from viz.render import INSTALL_GRAPHVIZ

MANIFEST = ".valuegrad-demo-files.json"  # names of the files earlier tours made in --out
PARTS = ("worked-example", "mlp", "rnn", "vanishing", "lstm")
DEFAULTS = {  # per part: training steps and learning rate when --epochs / --lr are not given
    "mlp": {"epochs": 300, "lr": 0.05},
    "rnn": {"epochs": 100, "lr": 0.05, "hidden": 8},
    "lstm": {"epochs": 500, "lr": 0.06, "hidden": 24},
}


class DemoError(Exception):
    """A problem the user can fix: printed as one line on stderr, exit status 2."""


@dataclass
class Tour:
    """Settings shared by all parts, and the files they make (for index.html)."""

    out: Path
    seed: int
    epochs: int | None
    lr: float | None
    hidden: int | None
    text_file: Path | None
    format: str
    quiet: bool
    eager: bool = False
    told_no_renderer: bool = False
    made: list[tuple[str, str, str]] = field(default_factory=list)  # (part, file, description)

    def say(self, text: str = "") -> None:
        """Print unless --quiet."""
        if not self.quiet:
            print(text, flush=True)

    def setting(self, part: str, name: str) -> float:
        """A user's --epochs/--lr/--hidden, else the part's default."""
        given = getattr(self, name)
        return given if given is not None else DEFAULTS[part][name]

    def record(self, part: str, path: Path, description: str) -> Path:
        """Remember a file the tour made."""
        self.made.append((part, path.relative_to(self.out).as_posix(), description))
        return path

    def claim(self, *names: str) -> None:
        """Refuse to overwrite a file in --out that an earlier tour did not make (see MANIFEST)."""
        manifest = self.out / MANIFEST
        try:
            ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.exists() else set()
        except (OSError, ValueError):
            ours = set()
        for name in names:
            if (self.out / name).exists() and name not in ours:
                raise DemoError(f"{self.out / name} already exists and was not made by demo.py:"
                                " move it or choose another --out")
        manifest.write_text(json.dumps(sorted(ours | set(names)), indent=0), encoding="utf-8")

    def picture(self, part: str, graph: object, name: str, description: str) -> None:
        """Render a graph picture in the chosen format (the .dot is always written too)."""
        self.claim(f"{name}.dot", f"{name}.{self.format}")
        try:
            path = Path(graph.save_picture(str(self.out / name), self.format))  # type: ignore[attr-defined]
        except RenderError as err:
            if self.format != "svg":
                raise DemoError(str(err)) from None
            # No Graphviz of any kind here: keep the DOT source (already written), say so once, go on.
            self.no_renderer(err)
            path = self.out / f"{name}.dot"
            description += " (DOT source: no Graphviz to draw it here)"
        self.record(part, path, description)

    def no_renderer(self, err: Exception) -> None:
        """Tell once that pictures are skipped, and why."""
        if not self.told_no_renderer:
            self.say(f"  (graph pictures skipped, DOT sources kept: {err})")
            self.told_no_renderer = True

    def chart(self, part: str, draw: Callable[[Path], Path], name: str, description: str) -> None:
        """Draw a matplotlib chart, or say how to get matplotlib."""
        self.claim(f"{name}.{self.format}")
        try:
            self.record(part, draw(self.out / f"{name}.{self.format}"), description)
        except ImportError as err:
            self.say(f"  (chart skipped: {err})")

    def page(self, part: str, name: str, content: str, description: str) -> None:
        """Write an HTML page."""
        self.claim(name)
        path = self.out / name
        path.write_text(content, encoding="utf-8")
        self.record(part, path, description)

    @contextmanager
    def progress(self, total: int, what: str) -> Iterator[Callable[[int, float], None]]:
        """A progress bar (tqdm when installed and not --quiet) fed by a training loop's callback."""
        bar = None
        if not self.quiet:
            try:
                from tqdm import tqdm

                # disable=None: no bar when stdout is not a terminal (logs, pipes, CI).
                bar = tqdm(total=total, desc=f"  {what}", unit="step", leave=False, file=sys.stdout, disable=None)
            except ImportError:
                bar = None

        def update(step: int, loss: float) -> None:
            if bar is not None:
                bar.update(1)
                if step % 10 == 0:
                    bar.set_postfix(loss=f"{loss:.4f}")

        try:
            yield update
        finally:
            if bar is not None:
                bar.close()


def table(rows: list[list[float]], row_names: list[str], col_names: list[str], decimals: int = 4) -> str:
    """A plain-text matrix with headers, numbers to ``decimals``."""
    width = max(decimals + 4, *(len(c) for c in col_names))
    head = " " * 8 + "".join(f"{c:>{width}}" for c in col_names)
    body = [f"{name:<8}" + "".join(f"{v:>{width}.{decimals}f}" for v in row) for name, row in zip(row_names, rows)]
    return "\n".join([head, *body])


def part_worked_example(tour: Tour) -> None:
    """Slides' MLP: the report table, row 1's graph, its step-through, and the batch graph."""
    tour.say("== 1. The slides' MLP worked example (3 inputs + bias -> 2 sigmoid -> 2 sigmoid) ==")
    report = worked_example_report()
    tour.say(str(report))
    model = slides_network()
    g = row_graph(model, 1)
    g.E.backward()
    groups = groups_from_parameters(g.E, model.named_parameters())
    tour.picture("worked-example", draw_graph(g.E, parameters=model.parameters(), groups=groups,
                                              edge_derivatives=True, title="Row 1: forward values and dE/d(node)"),
                 "worked_example_row1", "row 1's graph: every value and gradient, local derivatives on the edges")
    try:
        tour.page("worked-example", "worked_example_step_through.html",
                  step_through_page(g.E, parameters=model.parameters(), groups=groups,
                                    title="Row 1 of the slides' MLP: backpropagation one node at a time"),
                  "step through row 1's backward pass node by node")
    except RenderError as err:
        tour.no_renderer(err)
    model.zero_grad()
    rows = [row_graph(model, r) for r in range(1, BATCH_ROWS + 1)]
    batch = rows[0].E
    for row in rows[1:]:
        batch = batch + row.E
    batch.label = "E(r=1..4)"
    batch.backward()
    tour.picture("worked-example",
                 draw_graph(batch, parameters=model.parameters(), color_by_gradient=True, max_nodes=600,
                            groups=groups_from_parameters(batch, model.named_parameters()),
                            title="The batch step: E summed over rows 1..4; parameter grads are c1, c2"),
                 "worked_example_batch", "the batch graph (rows 1..4) whose parameter gradients are c1 and c2")
    tour.say()


def part_mlp(tour: Tour) -> None:
    """Train the slides' MLP on its six rows and plot the loss."""
    epochs, lr = int(tour.setting("mlp", "epochs")), tour.setting("mlp", "lr")
    how = "graph rebuilt every epoch" if tour.eager else "one row's graph recorded once, then replayed"
    tour.say(f"== 2. Training the slides' MLP on its 6 rows ({epochs} epochs, Adam lr={lr}; {how}) ==")
    with tour.progress(epochs, "MLP") as progress:
        run = train_slides_mlp(epochs=epochs, lr=lr, progress=progress, replay=not tour.eager)
    tour.say(f"  loss E (summed over rows): {run.losses[0]:.4f} -> {run.losses[-1]:.6f}"
             f" ({run.losses[0] / run.losses[-1]:.0f}x lower)")
    tour.chart("mlp", lambda p: loss_curve(run.losses, p, "Slides' MLP: E summed over 6 rows", ylabel="E"),
               "mlp_loss", "the MLP's loss falling")
    tour.say()


def part_rnn(tour: Tour) -> None:
    """The "hello" RNN: worked numbers, the unrolled graph, training and generation."""
    tour.say('== 3. The "hello" RNN (vocabulary h, e, l, o; hidden size 3; the tutorial\'s matrices) ==')
    r = hello_rnn_example()
    steps = [f"t={t}" for t in range(1, 5)]
    vocab_cols = list(HELLO_VOCAB)
    tour.say(f"  inputs {HELLO_INPUTS!r} -> targets {HELLO_TARGETS!r}")
    tour.say("  hidden states h_t:\n" + table(r.hidden, steps, ["h[0]", "h[1]", "h[2]"]))
    tour.say("  softmax probabilities p_t:\n" + table(r.probabilities, steps, vocab_cols))
    tour.say(f"  summed cross-entropy loss: {r.loss:.4f}")
    hid = ["h[0]", "h[1]", "h[2]"]
    tour.say("  dWxh:\n" + table(r.dWxh, hid, vocab_cols))
    tour.say("  dWhh:\n" + table(r.dWhh, hid, hid))
    tour.say("  dWhy:\n" + table(r.dWhy, vocab_cols, hid))
    step_outputs = _hello_step_outputs(r)
    tour.picture("rnn", draw_graph(r.loss_node, parameters=r.model.parameters(), decimals=3, max_nodes=800,
                                   groups=groups_by_time_step(step_outputs), show_parameters=False,
                                   show_constants=False,
                                   title='"hell" -> "ello": the RNN unrolled over 4 time steps'
                                         " (shared weights not drawn; their gradients are the tables)"),
                 "rnn_hello_unrolled", "the hello RNN unrolled, one cluster per time step")
    epochs, lr = int(tour.setting("rnn", "epochs")), tour.setting("rnn", "lr")
    hidden = int(tour.setting("rnn", "hidden"))
    with tour.progress(epochs, "RNN on hello") as progress:
        run = train_char_model("hello", cell="rnn", hidden=hidden, steps=epochs, seq_len=4, lr=lr,
                               seed=tour.seed, progress=progress, replay=not tour.eager)
    vocab = run.vocab
    assert vocab is not None
    generated = vocab.decode(run.model.sample(vocab.index("h"), 4, temperature=0))
    tour.say(f"  trained {epochs} steps (hidden {hidden}): loss per char {run.losses[0]:.4f} -> {run.losses[-1]:.4f}")
    tour.say(f'  from "h" it generates "{generated}"')
    tour.chart("rnn", lambda p: loss_curve(run.losses, p, 'RNN learning "hello"', ylabel="cross-entropy per char"),
               "rnn_hello_loss", "the hello RNN's loss falling")
    tour.say()


def _hello_step_outputs(r: object) -> list[list]:
    """Each time step's hidden state and loss term, for clustering by time step."""
    nodes = {}
    for v in topological_order(r.loss_node):  # type: ignore[attr-defined]
        if v.label:
            nodes[v.label] = v
    return [[nodes[f"h{t}[{k}]"] for k in range(3)] + [nodes[f"L{t}"]] for t in range(1, 5)]


def part_vanishing(tour: Tour) -> None:
    """Gradient norm reaching each earlier time step, vanilla RNN against LSTM."""
    tour.say("== 4. Vanishing gradients: vanilla RNN against LSTM ==")
    reach = gradient_reach(length=40, hidden=8, seed=tour.seed)
    rnn, lstm = reach.norms["rnn"], reach.norms["lstm"]
    tour.say(f"  gradient reaching step 1 of 40, relative to step 40: RNN {rnn[0] / rnn[-1]:.1e},"
             f" LSTM {lstm[0] / lstm[-1]:.1e}")
    tour.say("  The RNN's error signal shrinks by a factor at every step back through tanh and Whh, so early"
             " inputs barely learn; the LSTM's additive cell path carries it much further.")
    tour.chart("vanishing", lambda p: vanishing_gradient_chart(reach.steps, reach.norms, p), "vanishing_gradients",
               "gradient norm reaching each time step, RNN vs LSTM")
    tour.say()


def part_lstm(tour: Tour) -> None:
    """Train an LSTM on a text, sample from it, and find cells that track quotes and line position."""
    text = load_text_file(tour.text_file) if tour.text_file else default_text()
    source = str(tour.text_file) if tour.text_file else "the Zen of Python + the slides' War and Peace quotes"
    epochs, lr = int(tour.setting("lstm", "epochs")), tour.setting("lstm", "lr")
    hidden = int(tour.setting("lstm", "hidden"))
    tour.say(f"== 5. An LSTM (hidden {hidden}) trained on {source} ({len(text)} characters, {epochs} steps) ==")
    with tour.progress(epochs, "LSTM") as progress:
        run = train_char_model(text, cell="lstm", hidden=hidden, steps=epochs, seq_len=24, lr=lr,
                               optimizer="adam", seed=tour.seed, progress=progress)
    vocab, model = run.vocab, run.model
    assert vocab is not None
    first, last = sum(run.losses[:10]) / min(10, len(run.losses)), sum(run.losses[-10:]) / min(10, len(run.losses))
    tour.say(f"  cross-entropy per char: {first:.3f} -> {last:.3f} (uniform guessing: {math.log(len(vocab)):.3f})")
    for temperature in (0.5, 1.0):
        sample = vocab.decode(model.sample(vocab.index(text[0]), 160, temperature=temperature, seed=tour.seed))
        tour.say(f"  sample at temperature {temperature}: {text[0] + sample!r}")
    tour.chart("lstm", lambda p: loss_curve(run.losses, p, "LSTM on the text", ylabel="cross-entropy per char"),
               "lstm_loss", "the LSTM's loss falling")
    activations = _unit_activations(model, vocab.encode(text))
    blocks = []
    for signal_name, signal in (("inside quotes", inside_quotes(text)), ("position in line", position_in_line(text))):
        if len(set(signal)) < 2:
            tour.say(f"  (no unit ranked for '{signal_name}': the text never changes it)")
            continue
        unit, r = rank_units([a for a, _ in activations], signal)[0]
        name = activations[0][1][unit]
        tour.say(f"  best unit for '{signal_name}': {name} (correlation {r:+.2f})")
        blocks.append(text_heatmap_html(text, [a[unit] for a, _ in activations],
                                        f"{name}: tracks '{signal_name}' (correlation {r:+.2f})"))
    if blocks:
        tour.page("lstm", "lstm_cells.html", text_heatmap_page("What the LSTM's cells track", blocks),
                  "heat maps of the units that best track quotes and line position")
    tour.say()


def _unit_activations(model: object, indices: list[int]) -> list[tuple[list[float], list[str]]]:
    """For each character: every hidden unit h and cell unit tanh(c), as floats, with their names."""
    rows = []
    with no_grad():
        state = model.initial_state()  # type: ignore[attr-defined]
        for x in indices:
            _, state = model.step(x, state)  # type: ignore[attr-defined]
            h, c = state
            values = [v.data for v in h] + [math.tanh(v.data) for v in c]
            names = [f"hidden unit {k}" for k in range(len(h))] + [f"cell unit {k}" for k in range(len(c))]
            rows.append((values, names))
    return rows


def write_index(tour: Tour) -> Path:
    """out/index.html linking every file the tour made, by part."""
    items = []
    for part in PARTS:
        files = [(f, d) for p, f, d in tour.made if p == part]
        if files:
            links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(f)}</a> - {html.escape(d)}</li>'
                            for f, d in files)
            items.append(f"<h2>{html.escape(part)}</h2><ul>{links}</ul>")
    page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>valuegrad tour</title></head>"
            "<body style=\"font-family: system-ui, sans-serif; margin: 1.5em\"><h1>valuegrad: the tour</h1>"
            + "".join(items) + "</body></html>\n")
    tour.claim("index.html")
    path = tour.out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


RUNNERS = {"worked-example": part_worked_example, "mlp": part_mlp, "rnn": part_rnn,
           "vanishing": part_vanishing, "lstm": part_lstm}


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line on stderr, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print ``demo.py: error: message`` and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def number_type(convert: Callable[[str], float], accept: Callable[[float], bool], wanted: str) -> Callable:
    """An argparse type converting with ``convert`` and refusing values ``accept`` rejects."""

    def parse(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    return parse


positive_int = number_type(int, lambda v: v >= 1, "a positive whole number")
positive_float = number_type(float, lambda v: v > 0 and math.isfinite(v), "a positive number")
non_negative_int = number_type(int, lambda v: v >= 0, "a whole number >= 0")


def build_parser() -> argparse.ArgumentParser:
    """The command line: one optional part and the tour's options."""
    parser = OneLineParser(
        prog="demo.py",
        description="valuegrad's tour of the 'Recurrent Neural Networks' slides: the MLP worked example, "
                    "training, the hello RNN, vanishing gradients and an LSTM, with pictures under --out.",
    )
    parser.add_argument("part", nargs="?", default="all", choices=(*PARTS, "all"), metavar="PART",
                        help=f"which part to run: {' | '.join(PARTS)} | all (default: all)")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for pictures and pages (default: out)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default: 0)")
    parser.add_argument("--epochs", type=positive_int, help="training steps for the chosen part(s) "
                        f"(defaults: mlp {DEFAULTS['mlp']['epochs']}, rnn {DEFAULTS['rnn']['epochs']},"
                        f" lstm {DEFAULTS['lstm']['epochs']})")
    parser.add_argument("--lr", type=positive_float, help="learning rate (defaults: mlp 0.05, rnn 0.05, lstm 0.06)")
    parser.add_argument("--hidden", type=positive_int, help="hidden size of the trained RNN/LSTM (defaults 8 / 24)")
    parser.add_argument("--text", type=Path, metavar="FILE", help="UTF-8 text file for the LSTM part")
    parser.add_argument("--format", choices=("svg", "png", "pdf"), default="svg",
                        help="picture format (png/pdf need system Graphviz; default svg)")
    parser.add_argument("--quiet", action="store_true", help="print only where the pictures are")
    parser.add_argument("--eager", action="store_true",
                        help="rebuild every training graph instead of replaying a recorded one (slower, same numbers)")
    return parser


def prepare_output(out: Path) -> None:
    """Create the output folder and check it can be written; never touches files already there."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".valuegrad-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as err:
        raise DemoError(f"cannot write to output folder {str(out)!r}: {err.strerror or err}") from None


def main(argv: list[str] | None = None) -> int:
    """Run the chosen parts; return the exit status."""
    args = build_parser().parse_args(argv)
    parts = PARTS if args.part == "all" else (args.part,)
    try:
        if args.format != "svg" and system_dot() is None:
            raise DemoError(f"--format {args.format} needs Graphviz: {INSTALL_GRAPHVIZ}; or use --format svg")
        if args.text is not None:
            load_text_file(args.text)  # check before any work is done
        prepare_output(args.out)
        tour = Tour(args.out, args.seed, args.epochs, args.lr, args.hidden, args.text, args.format, args.quiet,
                    args.eager)
        start = time.perf_counter()
        for part in parts:
            RUNNERS[part](tour)
        index = write_index(tour)
    except (DemoError, ValueError) as err:
        print(f"demo.py: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("demo.py: interrupted", file=sys.stderr)
        return 130
    print(f"Done in {time.perf_counter() - start:.0f} s: {len(tour.made)} files in {args.out}/")
    print(f"Open {index} to see them all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
