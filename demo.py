"""valuegrad's tour: every slide of "Recurrent Neural Networks", executable and drawn.

    python demo.py                      # the whole tour, about 7-12 s
    python demo.py worked-example       # one part: worked-example | mlp | rnn | vanishing | lstm | gradients | all
    python demo.py lstm --text book.txt --hidden 32 --epochs 600

Pictures, pages and each part's printed report go under out/ (--out DIR), with an index.html that
links them. This file is the command line only: each part is one call into `lecture` (the numbers) and
calls into `viz` (the pictures).
"""

# `_signal` is built in; `signal` imports enum, a few ms in which Ctrl-C would still be a traceback.
import _signal  # type: ignore[import-not-found]  # (typeshed has no stub for it)
import os
import sys


def _interrupted_while_loading(signum: int, frame: object) -> None:
    """Ctrl-C while the libraries load: one line and status 130, as later on (nothing is written yet)."""
    sys.stderr.write("demo.py: interrupted\n")
    os._exit(130)


if __name__ == "__main__":  # first, so that Ctrl-C in the first milliseconds is not a traceback
    _signal.signal(_signal.SIGINT, _interrupted_while_loading)

import argparse
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

OURS = {"autograd", "nn", "viz", "lecture"}
SETUP = 'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[demo]" && python demo.py'

try:
    from lecture import cli_args as checks
    from lecture.activation_slide import activation_slide_rows, activation_slide_text
    from lecture.bptt_slides import bptt_general_rows, bptt_general_text, bptt_slides_report
    from lecture.corpus import default_text
    from lecture.graph_pictures import (
        STEP_KEY,
        batch_picture,
        hello_unrolled_picture,
        line_up_inputs_with_weights,
        lstm_step_picture,
        row_inputs,
        row_picture,
    )
    from lecture.hello_rnn import HELLO_VOCAB, hello_rnn_example, train_hello
    from lecture.index_page import index_page
    from lecture.lstm_cells import cells_page, lstm_study
    from lecture.mlp_hessian import gradient_picture, mlp_hessian
    from lecture.newton import EXAMPLE_MINIMUM, newton_minimise, newton_table
    from lecture.output_folder import OutputFolder, UsageError
    from lecture.rnn_slide_shapes import rnn_slide_shapes
    from lecture.sequence_shapes import sequence_shapes, sequence_shapes_picture
    from lecture.sigmoid_gates import sigmoid_gates_report
    from lecture.slide_names import mlp_names
    from lecture.slides_mlp import worked_example
    from lecture.tanh_derivatives import MAX_ORDER, tanh_derivative_curves
    from lecture.tour_files import INDEX, REPORTS, part_of_file, tour_files
    from lecture.training import train_slides_mlp
    from lecture.training_film import (
        MLP_FILM_EPOCHS,
        MLP_FILM_LR,
        RNN_FILM_LR,
        RNN_FILM_STEPS,
        hello_rnn_film_page,
        slides_mlp_film_page,
    )
    from lecture.vanishing import connectivity, gradient_reach
    from lecture.vanishing_factors import vanishing_factors
    from viz import step_through_page, system_dot
    from viz.charts import gradient_reach_figure, loss_curve
    from viz.derivative_chart import derivative_curves_chart
    from viz.render import FORMATS, INSTALL_GRAPHVIZ
except ModuleNotFoundError as missing:  # run before setting up: one sentence with the command, not a traceback
    if missing.name is None or missing.name.split(".")[0] in OURS:
        raise
    sys.exit(f"demo.py: the package {missing.name.split('.')[0]!r} is not installed in this Python"
             f" ({sys.executable}): set up first, as the README's first command does:\n  {SETUP}")

PER_CHAR = "cross-entropy per char"
MEAN_STEPS = 10  # the LSTM's report and chart give the loss as a mean over this many steps (one chunk each)
PARTS = ("worked-example", "mlp", "rnn", "vanishing", "lstm", "gradients")
DEFAULTS = {  # per part: training steps and learning rate when --epochs / --lr are not given
    "mlp": {"epochs": 300, "lr": 0.05},
    "rnn": {"epochs": 100, "lr": 0.05, "hidden": 8},
    "lstm": {"epochs": 500, "lr": 0.06, "hidden": 24},
}


def settings(args: argparse.Namespace, part: str) -> tuple[int, float, int]:
    """A part's (steps, learning rate, hidden size): the user's --epochs/--lr/--hidden, else its defaults."""
    given = {name: getattr(args, name) for name in ("epochs", "lr", "hidden")}
    value = {name: DEFAULTS[part].get(name, 0) if v is None else v for name, v in given.items()}
    return int(value["epochs"]), value["lr"], int(value["hidden"])


@dataclass
class Tour:
    """The command line's options, the checked --text, and the folder the parts' files go to."""

    args: argparse.Namespace
    text: str | None = None  # the --text file's contents, read and checked before any part runs
    folder: OutputFolder = field(init=False)
    lines: list[str] = field(default_factory=list)  # what the running part has said, for its report file

    def __post_init__(self) -> None:
        self.folder = OutputFolder(self.args.out, self.args.format, self.say, self.notice)

    def say(self, text: str = "") -> None:
        """Print unless --quiet; either way the line goes into the running part's report file."""
        self.lines.append(text)
        if not self.args.quiet:
            checks.print_line(text)

    def notice(self, message: str) -> None:
        """Say what was skipped (pictures, a chart): on stderr as a note under --quiet, which hid it."""
        if self.args.quiet:
            self.lines.append(f"  ({message})")
            print(f"demo.py: note: {message}", file=sys.stderr, flush=True)
        else:
            self.say(f"  ({message})")

    def settings(self, part: str) -> tuple[int, float, int]:
        """The part's (steps, learning rate, hidden size): see `settings`."""
        return settings(self.args, part)

    def training(self, steps: int, what: str) -> checks.Training:
        """A progress bar for a training loop, in which an overflow caused by the user's --lr is a UsageError."""
        return checks.training(steps, what, self.args.quiet, self.args.lr)


def part_worked_example(tour: Tour) -> None:
    """Slides' MLP: the report table, row 1's graph, its step-through, and the batch graph."""
    tour.say("== 1. The slides' MLP worked example (3 inputs + bias -> 2 sigmoid -> 2 sigmoid) ==")
    ex, out = worked_example(), tour.folder
    tour.say(str(ex.report))
    tour.say(sigmoid_gates_report().text())
    tour.say(activation_slide_text(activation_slide_rows()))
    out.picture("worked-example", row_picture(ex), "worked_example_row1",
                "row 1's graph: every value and gradient, local derivatives on the edges")
    params = ex.row_model.parameters()
    out.page("worked-example", "worked_example_step_through.html",
             lambda: step_through_page(ex.row.E, parameters=params, first_column=row_inputs(ex),
                                       names=mlp_names(ex.row_model, ex.row.E),
                                       arrange=lambda graph: line_up_inputs_with_weights(graph, ex.row_model),
                                       title="Row 1 of the slides' MLP: backpropagation one node at a time",
                                       key=STEP_KEY),
             "step through row 1's backward pass node by node")
    out.picture("worked-example", batch_picture(ex), "worked_example_batch",
                "the batch graph: rows r = 1..4 each in a cluster, named with r, whose parameter grads are c1 and c2")
    tour.say()


def part_mlp(tour: Tour) -> None:
    """Train the slides' MLP on its six rows and plot the loss."""
    epochs, lr, _ = tour.settings("mlp")
    how = "graph rebuilt every epoch" if tour.args.eager else "one row's graph recorded once, then replayed"
    tour.say(f"== 2. Training the slides' MLP on its 6 rows ({epochs} epochs, Adam lr={lr}; {how}) ==")
    with tour.training(epochs, "MLP") as progress:
        run = train_slides_mlp(epochs=epochs, lr=lr, progress=progress, replay=not tour.args.eager)
    final = run.final_loss if run.final_loss is not None else run.losses[-1]
    tour.say(f"  loss E (summed over rows): {run.losses[0]:.4f} at the slides' weights -> {final:.6f} after"
             f" {epochs} epochs ({run.losses[0] / final:.0f}x lower)")
    tour.folder.chart("mlp", lambda p: loss_curve(run.losses, p, "Slides' MLP: E summed over 6 rows", ylabel="E",
                                                  xlabel="epoch"),
                      "mlp_loss", "the MLP's loss falling")
    # The film retrains on a schedule of its own (a frame per epoch: --epochs 100000 would be a page of 100,001
    # frames), so the index says so: a user who set --epochs or --lr looked for them there (new-user trial 21).
    tour.folder.page("mlp", "mlp_training_film.html", slides_mlp_film_page,
                     "training film: weights (colour = sign, thickness = size), gradients and E, one frame per epoch"
                     f" (its own {MLP_FILM_EPOCHS} Adam epochs at lr {MLP_FILM_LR:g} from the slides' weights;"
                     " --epochs and --lr set the training above)")
    tour.say()


def part_rnn(tour: Tour) -> None:
    """The "hello" RNN: worked numbers, the unrolled graph, training and generation."""
    tour.say('== 3. The "hello" RNN (vocabulary h, e, l, o; hidden size 3; the tutorial\'s matrices) ==')
    tour.say(rnn_slide_shapes().text())
    r = hello_rnn_example()
    tour.say(r.tables())
    tour.say(bptt_slides_report().text())
    tour.say(bptt_general_text(bptt_general_rows()))
    shapes = sequence_shapes()
    tour.say(shapes.text())
    tour.folder.picture("rnn", hello_unrolled_picture(), "rnn_hello_unrolled",
                        "the hello RNN unrolled: x_t, h_t, logits s2_t, y-hat_t, L_t; time steps top to bottom")
    tour.folder.picture("rnn", hello_unrolled_picture(collapsed=True), "rnn_hello_unrolled_collapsed",
                        "the same, each time step collapsed into one box")
    tour.folder.picture("rnn", sequence_shapes_picture(shapes), "rnn_sequence_shapes",
                        "the slides' sequence shapes: one-to-one, one-to-many, many-to-one, many-to-many, each"
                        " unrolled with its loss and |dL/dx_t| at every input")
    epochs, lr, hidden = tour.settings("rnn")
    with tour.training(epochs, "RNN on hello") as progress:
        run, text = train_hello(hidden, epochs, lr, tour.args.seed, progress, replay=not tour.args.eager)
    tour.say(f"  trained {epochs} steps (hidden {hidden}): loss per char {run.losses[0]:.4f} -> {run.losses[-1]:.4f}")
    tour.say(f'  from "h" it generates "{text}"')
    tour.folder.chart("rnn", lambda p: loss_curve(run.losses, p, 'RNN learning "hello"', ylabel=PER_CHAR),
                      "rnn_hello_loss", "the hello RNN's loss falling")
    tour.folder.page("rnn", "rnn_hello_training_film.html", hello_rnn_film_page,
                     "training film of the hello RNN: Wxh, Whh, Why, their gradients and L, one frame per step"
                     f" (the tutorial's matrices, hidden 3, its own {RNN_FILM_STEPS} Adam steps at lr {RNN_FILM_LR:g};"
                     " --epochs, --lr and --hidden set the RNN trained above)")
    tour.say()


def part_vanishing(tour: Tour) -> None:
    """Gradient norm reaching each earlier time step, vanilla RNN against LSTM."""
    tour.say("== 4. Vanishing gradients: vanilla RNN against LSTM ==")
    reach = gradient_reach(length=40, hidden=8, seed=tour.args.seed)
    tour.say(reach.summary())
    tour.say(vanishing_factors().text())
    links = connectivity(length=20, hidden=8, seed=tour.args.seed)
    tour.folder.chart("vanishing", lambda p: gradient_reach_figure(reach.steps, reach.norms, links.maps, p),
                      "vanishing_gradients", "gradient norm reaching each time step, RNN vs LSTM, and beside it the"
                      " connectivity maps |d loss_t / d input_k| for every t >= k")
    tour.say()


def part_lstm(tour: Tour) -> None:
    """Train an LSTM on a text, sample from it, and find cells that track quotes and line position."""
    text = tour.text if tour.text is not None else default_text()
    source = str(tour.args.text) if tour.args.text else "the Zen of Python + the slides' War and Peace quotes"
    epochs, lr, hidden = tour.settings("lstm")
    tour.say(f"== 5. An LSTM (hidden {hidden}) trained on {source} ({len(text)} characters, {epochs} steps) ==")
    with tour.training(epochs, "LSTM") as progress:
        study = lstm_study(text, hidden, epochs, lr, seed=tour.args.seed, progress=progress,
                           replay=not tour.args.eager)
    first, last = study.mean_loss(first=MEAN_STEPS), study.mean_loss(last=MEAN_STEPS)
    tour.say(f"  cross-entropy per char: {first:.3f} -> {last:.3f} (uniform guessing: {study.uniform_loss:.3f})")
    how = "one chunk's graph recorded once, then replayed" if study.run.replayed else "the graph rebuilt every step"
    tour.say(f"  trained with {how}")
    for temperature, sample in study.samples.items():
        tour.say(f"  sample at temperature {temperature}: {sample!r}")
    tour.folder.chart("lstm", lambda p: loss_curve(study.run.losses, p, "LSTM on the text (one chunk per step)",
                                                   ylabel=PER_CHAR, mean_over=MEAN_STEPS),
                      "lstm_loss", "the LSTM's loss falling")
    tour.folder.picture("lstm", lstm_step_picture(), "lstm_step",
                        "one LSTM step: gates f, i, g, o (the slides' order), cell c and h named")
    for signal_name, u in study.units.items():
        unranked = f"  (no unit ranked for '{signal_name}': the text never changes it)"
        tour.say(unranked if u is None else f"  {u.heading()}")
    if any(u is not None for u in study.units.values()):
        tour.folder.page("lstm", "lstm_cells.html", cells_page(study, text),
                         "each signal's best unit, with its correlation and whether it passes the threshold")
    tour.say()


def part_gradients(tour: Tour) -> None:
    """Gradients of gradients: tanh's derivatives 1..6, Newton's method, the MLP's Hessian, a gradient's graph."""
    tour.say("== 6. Gradients of gradients: the backward pass is a graph too (grad(..., create_graph=True)) ==")
    curves = tanh_derivative_curves()
    tour.folder.chart("gradients", lambda p: derivative_curves_chart(
        curves.xs, curves.curves, p, f"tanh and its derivatives 1..{MAX_ORDER}, each the gradient of the one before"),
        "gradients_tanh_derivatives", f"tanh and its derivatives 1..{MAX_ORDER} as curves, by repeated grad")
    steps = newton_minimise()
    tour.say(f"  Newton's method on f(x) = e^x - 2x from x = {steps[0].x:g} (f' and f'' from the engine;"
             f" minimum at ln 2 = {EXAMPLE_MINIMUM:.16f}):")
    tour.say(newton_table(steps))
    tour.say(mlp_hessian().table())
    tour.folder.picture("gradients", gradient_picture(1, 1), "gradients_dE_dw1_1_1",
                        "row 1's dE/dw1[1,1] as a computation: the backward pass's gates beside the faded forward"
                        " graph")
    tour.say()


#: What each part shows, for --help (the README's tour section says the same at length).
PART_HELP = {
    "worked-example": "the slides' sigmoid MLP (3 inputs + bias -> 2 -> 2): forward pass, E, the chain-rule "
                      "results, the batch tables c1 and c2, w1* and w2* after one SGD step, each beside the "
                      "slide's number (a slip on a slide is said plainly); row 1's graph, a page stepping through "
                      "its backward pass, the graph of rows 1..4",
    "mlp": "that MLP trained on the slides' 6 rows (Adam): loss curve and a training film",
    "rnn": "the RNN slides' one-hots and matrix sizes checked (a slip said plainly); "
           "the 'hello' RNN with the tutorial's matrices: hidden states, softmax probabilities, cross-entropy, "
           "the BPTT gradients dWxh, dWhh, dWhy; the unrolled graph; training, generation and a training film",
    "vanishing": "how far back the gradient reaches, vanilla RNN against LSTM; connectivity maps",
    "lstm": "one LSTM step drawn (gates f, i, g, o, cell c); an LSTM trained on --text (default: the Zen of "
            "Python + the slides' War and Peace quotes), samples, and which units track 'inside quotes' and "
            "'position in line'",
    "gradients": "gradients of gradients: tanh's derivatives 1..6, Newton's method, the MLP's Hessian, "
                 "dE/dw1[1,1] drawn as a computation",
}


def parts_epilog() -> str:
    """--help's closing text: one entry per part, what it writes, and two example command lines."""
    lines = ["parts (each writes its pictures, pages and <part>_report.txt into --out,",
             "whose index.html links every file):"]
    for part in PARTS:
        first, *rest = textwrap.wrap(PART_HELP[part], width=60)
        lines.append(f"  {part:<16}{first}")
        lines.extend(f"  {'':<16}{line}" for line in rest)
    lines.append(f"  {'all':<16}every part in this order (the default; about 7-12 s)")
    lines += ["", "examples:", "  python demo.py worked-example --out class_pictures",
              "  python demo.py lstm --text book.txt --hidden 32 --epochs 600"]
    return "\n".join(lines)


def used_by(option: str) -> str:
    """"used by rnn, vanishing, lstm": the parts an option tunes, from `lecture.cli_args.OPTION_PARTS`."""
    return f"used by {', '.join(checks.OPTION_PARTS[option])}"


RUNNERS = {"worked-example": part_worked_example, "mlp": part_mlp, "rnn": part_rnn,
           "vanishing": part_vanishing, "lstm": part_lstm, "gradients": part_gradients}


def build_parser() -> argparse.ArgumentParser:
    """The command line: one optional part and the tour's options."""
    parser = checks.OneLineParser(
        prog="demo.py",
        description=textwrap.fill("valuegrad's tour of the 'Recurrent Neural Networks' slides: the MLP worked"
                                  " example, training, the hello RNN, vanishing gradients, an LSTM and gradients"
                                  " of gradients, with pictures under --out.", width=78),
        epilog=parts_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("part", nargs="?", default="all", choices=(*PARTS, "all"), metavar="PART",
                        help=f"which part to run: {' | '.join(PARTS)} | all (default: all; each is described below)")
    parser.add_argument("--out", type=checks.folder_path, default=Path("out"),
                        help="folder for pictures and pages (default: out); only demo.py's own files are replaced")
    parser.add_argument("--seed", type=checks.non_negative_int, help=f"random seed, {used_by('seed')} (default: 0)")
    parser.add_argument("--epochs", type=checks.step_count, help=f"training steps, {used_by('epochs')}; at most"
                        f" {checks.MAX_EPOCHS:,} (defaults: mlp {DEFAULTS['mlp']['epochs']},"
                        f" rnn {DEFAULTS['rnn']['epochs']}, lstm {DEFAULTS['lstm']['epochs']})")
    parser.add_argument("--lr", type=checks.positive_float,
                        help=f"learning rate, {used_by('lr')} (defaults: mlp {DEFAULTS['mlp']['lr']},"
                             f" rnn {DEFAULTS['rnn']['lr']}, lstm {DEFAULTS['lstm']['lr']})")
    parser.add_argument("--hidden", type=checks.hidden_size,
                        help=f"hidden size of the trained RNN/LSTM, {used_by('hidden')}; at most {checks.MAX_HIDDEN}"
                             f" (defaults: rnn {DEFAULTS['rnn']['hidden']}, lstm {DEFAULTS['lstm']['hidden']})")
    parser.add_argument("--text", type=checks.file_path, metavar="FILE",
                        help="UTF-8 text file for the LSTM to learn, used by lstm"
                             " (default: the Zen of Python and the slides' War and Peace quotes)")
    parser.add_argument("--format", choices=FORMATS, default="svg",
                        help="picture format (pdf needs system Graphviz; default svg)")
    parser.add_argument("--quiet", action="store_true", help="print only where the pictures are")
    parser.add_argument("--eager", action="store_true",
                        help="rebuild every training graph instead of replaying a recorded one (slower, same"
                             f" numbers), {used_by('eager')}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the chosen parts; return the exit status (2: a problem with the user's arguments or files; 130: Ctrl-C)."""
    try:
        return run_tour(build_parser().parse_args(argv))
    except UsageError as err:  # anything else is a bug: it surfaces as a traceback, exit status 1
        print(f"demo.py: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("demo.py: interrupted", file=sys.stderr)
        return 130
    except checks.OutputClosed:  # the reader of our output has gone (demo.py | head): stop, as a shell tool would
        return 141  # 128 + SIGPIPE, the status a shell reports for a tool its reader's exit stopped


def run_part(tour: Tour, part: str) -> None:
    """Run one part, then write what it printed (its tables and numbers) to its report file."""
    tour.lines = []
    RUNNERS[part](tour)
    report = tour.folder.write_text(REPORTS[part], "\n".join(tour.lines).rstrip("\n") + "\n")
    tour.folder.record(part, report, "what this part prints: its tables and numbers, as plain text")


def run_tour(args: argparse.Namespace) -> int:
    """Check every argument, file and output name, then run the parts and write the index page."""
    parts = PARTS if args.part == "all" else (args.part,)
    if args.format == "pdf" and system_dot() is None:
        raise UsageError(f"--format pdf needs Graphviz: {INSTALL_GRAPHVIZ}; or use --format svg or png")
    note = checks.unused_options_note(args, parts)
    if note:  # said, not refused: a tuning option beside the wrong part is harmless, but should not pass unseen
        print(note, file=sys.stderr)
    if args.seed is None:  # None until here so that a --seed the parts do not use can be noticed
        args.seed = 0
    text = checks.text_argument(args.text)  # read and checked before any work is done
    for part, vocabulary in (("rnn", HELLO_VOCAB), ("lstm", text or default_text())):
        if part in parts:
            checks.check_model_size(len(set(vocabulary)), settings(args, part)[2], part)
    tour = Tour(args, text)
    tour.folder.reserve(tour_files(parts, args.format))  # a clash stops the tour now, not after training
    start = time.perf_counter()
    for part in parts:
        run_part(tour, part)
    # Files earlier runs wrote here (other parts, other formats) stay linked: the index lists all of the tour's.
    earlier = tour.folder.earlier_files(lambda name: part_of_file(name, FORMATS))
    index = tour.folder.write_text(INDEX, index_page([*tour.folder.made, *earlier], PARTS, tour.folder.skipped))
    made = len(tour.folder.made)
    checks.print_line(f"Done in {time.perf_counter() - start:.0f} s: {made} files (pictures, pages, reports, DOT"
                      f" sources) in {args.out}/")
    checks.print_line(f"Open {index} to see them all.")
    return 0


if __name__ == "__main__":
    checks.install_interrupt_handler()
    sys.exit(main())
