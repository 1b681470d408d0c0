"""The tour's command-line checks: argument types with stated limits, and errors that are the user's to fix.

The limits keep a typo from running for days or exhausting memory: a step
count over `MAX_EPOCHS`, a hidden size over `MAX_HIDDEN`, or a character
model over `MAX_PARAMETERS` weights (hidden size and the text's alphabet
together; a graph of such a model takes about 1 KB per weight and step) is
refused in one line before any work starts.
"""

from __future__ import annotations

import _thread
import argparse
import math
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from autograd.path_errors import SymlinkLoopError, check_link_loop

from .corpus import load_text_file
from .output_folder import UsageError
from .progress import progress_bar

MAX_EPOCHS = 100_000
MAX_HIDDEN = 256
MAX_PARAMETERS = 500_000


#: The parts each tuning option affects (--out, --format and --quiet apply to every part).
OPTION_PARTS = {
    "seed": ("rnn", "vanishing", "lstm"),
    "epochs": ("mlp", "rnn", "lstm"),
    "lr": ("mlp", "rnn", "lstm"),
    "hidden": ("rnn", "lstm"),
    "text": ("lstm",),
    "eager": ("mlp", "rnn", "lstm"),
}


def unused_options_note(args: argparse.Namespace, parts: tuple[str, ...]) -> str | None:
    """One line naming the options the user gave that none of ``parts`` uses (None when every one is used).

    An option counts as given when it differs from "not given": None, or False for a flag.
    """
    unused = [name for name, users in OPTION_PARTS.items()
              if getattr(args, name) is not None and getattr(args, name) is not False  # 0 is given: no `in`
              and not set(users) & set(parts)]
    if not unused:
        return None
    listed = "; ".join(f"--{name} (used by {', '.join(OPTION_PARTS[name])})" for name in unused)
    chosen = " and ".join(parts)
    return f"demo.py: note: the {chosen} part{'s' if len(parts) > 1 else ''} ignore{'' if len(parts) > 1 else 's'}" \
           f" {listed}"


class OutputClosed(Exception):
    """Standard output's reader has gone (``demo.py | head -1``): the tour stops quietly, as Unix tools do."""


def print_line(text: str) -> None:
    """Print ``text`` on standard output; OutputClosed when its reader has gone, UsageError when it cannot be
    written (``> /dev/full``: "No space left on device"), each of which used to end in a traceback.

    Either way standard output is pointed at the null device first: the text that failed is still in its
    buffer, and Python flushes that again at exit, which would print "Exception ignored" with a second error.
    """
    try:
        print(text, flush=True)
    except OSError as err:
        raise output_failure(err) from None


def output_failure(err: OSError) -> Exception:
    """What a failed write to standard output means (OutputClosed for a reader that has gone, else UsageError
    naming the cause), after pointing standard output at the null device: the text that failed is still in its
    buffer, and Python flushes that again at exit, which would print "Exception ignored" with a second error."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    if isinstance(err, BrokenPipeError):
        return OutputClosed()
    return UsageError(f"cannot write to standard output: {err.strerror or err}")


class CheckedHelpParser(argparse.ArgumentParser):
    """argparse whose --help fails as any other output does: argparse drops an OSError from writing the help, so
    ``--help > /dev/full`` exited 0 with nothing written (demo.py's parser; the examples' stdout is checked by
    `script_exit.run_script` instead)."""

    def print_help(self, file: Any = None) -> None:
        """The help on standard output through `print_line` (another ``file`` as argparse writes it)."""
        if file is not None and file is not sys.stdout:
            super().print_help(file)
            return
        print_line(self.format_help().rstrip("\n"))


class OneLineParser(CheckedHelpParser):
    """argparse that reports a bad argument in one line on stderr, exit status 2 (and a --help that cannot be
    written as an error: `CheckedHelpParser`)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print ``demo.py: error: message`` and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def number_type(
    convert: Callable[[str], float], accept: Callable[[float], bool], wanted: str, most: float | None = None
) -> Callable[[str], float]:
    """An argparse type converting with ``convert``, refusing values ``accept`` rejects and values over ``most``."""

    def parse(text: str) -> float:
        try:
            value = convert(text)
        except (ValueError, OverflowError):
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(f"expected at most {most:,} (the stated limit), got {text!r}")
        return value

    limit = f", at most {most:,}" if most is not None else ""
    parse.__doc__ = f"``text`` as {wanted}{limit}, or argparse.ArgumentTypeError quoting it."
    return parse


positive_float = number_type(float, lambda v: v > 0 and math.isfinite(v), "a positive number")
non_negative_int = number_type(int, lambda v: v >= 0, "a whole number >= 0")
step_count = number_type(int, lambda v: v >= 1, "a positive whole number", most=MAX_EPOCHS)
hidden_size = number_type(int, lambda v: v >= 1, "a positive whole number", most=MAX_HIDDEN)


def folder_path(text: str) -> Path:
    """An argparse type for a folder: any non-empty path (``""`` would silently mean the current folder)."""
    if not text:
        raise argparse.ArgumentTypeError("expected a folder, got an empty name")
    return Path(text)


def file_path(text: str) -> Path:
    """An argparse type for a file: any non-empty path (``--text=`` used to be read as the current folder and
    refused as "text file '.' is a folder")."""
    if not text:
        raise argparse.ArgumentTypeError("expected a file, got an empty name")
    return Path(text)


def no_link_loop(text: str, folders_only: bool = False) -> None:
    """ArgumentTypeError when ``text`` (or a folder on its way; only those with ``folders_only``) is a loop of
    symbolic links, saying which part.

    pathlib reads a loop as "does not exist" (the checks said "folder a does not exist") and mkdir then failed
    with "File exists"; the OS itself says only "Too many levels of symbolic links".
    """
    try:
        check_link_loop("cannot use", text, folders_only)
    except SymlinkLoopError as err:
        raise argparse.ArgumentTypeError(err.strerror) from None


def writable_file(text: str, wanted: str = "a file name") -> str:
    """An argparse type for a file the script writes (a checkpoint, or the base name of NAME.dot and NAME.svg),
    checked before any work: ``wanted`` (not empty, not a folder) in a folder that exists and takes new files.

    A folder that refuses new files (``/proc``, a read-only mount) failed only when the file was written, after
    training, naming the hidden temporary file (``/proc/.x.dot.f66....tmp``), or as a FileNotFoundError traceback.
    """
    path = Path(text)
    no_link_loop(text, folders_only=True)  # a base name: NAME.dot and NAME.svg are written, not NAME
    try:  # a name too long for the file system: OSError
        if not text or text.endswith(("/", "\\")) or path.is_dir():
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}"
                                             + (", a folder" if text and path.is_dir() else ""))
        folder = path.parent
        if not folder.is_dir():
            raise argparse.ArgumentTypeError(f"{folder} is a file, not a folder" if folder.exists()
                                             else f"folder {folder} does not exist")
        folder_takes_files(folder, text)
    except OSError as err:
        raise argparse.ArgumentTypeError(f"cannot use {text!r}: {err.strerror or err}") from None
    return text


def picture_parser(description: str, default: str) -> argparse.ArgumentParser:
    """The command line of a script that draws one picture: an optional NAME (it writes NAME.dot and NAME.svg),
    checked by `writable_file` when parsed (``''`` or a name in a missing folder were tracebacks from the drawing
    code)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("name", nargs="?", default=default, help=f"writes NAME.dot and NAME.svg (default: {default})",
                        type=lambda text: writable_file(text, f"a file name such as {default}"))
    return parser


def folder_takes_files(folder: Path, text: str) -> None:
    """ArgumentTypeError unless a new file can be made in ``folder`` (where ``text`` is to be written): the one
    sure test is making one, as os.access says yes to root for a folder it cannot write (/proc)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: folder {str(folder)!r} takes no new files"
                                         f" ({err.strerror or err})") from None


def char_model_parameters(vocab_size: int, hidden: int, cell: str) -> int:
    """How many weights `nn.CharModel(vocab_size, hidden, cell)` has, without building it."""
    gates = 4 if cell == "lstm" else 1
    head = hidden * vocab_size + vocab_size
    return gates * (hidden * (vocab_size + hidden) + hidden) + head


def check_model_size(vocab_size: int, hidden: int, cell: str) -> None:
    """UsageError when a character model this size would pass `MAX_PARAMETERS`, naming both causes."""
    count = char_model_parameters(vocab_size, hidden, cell)
    if count > MAX_PARAMETERS:
        raise UsageError(f"an {cell.upper()} with hidden size {hidden} on a text of {vocab_size:,} distinct characters"
                         f" has {count:,} weights, over the limit of {MAX_PARAMETERS:,}:"
                         " use a smaller --hidden or a text with fewer distinct characters")


@contextmanager
def diverging_lr_is_usage_error(lr: float | None) -> Iterator[None]:
    """Turn an overflow during training into a UsageError when the user chose the learning rate.

    With the default learning rate (``lr`` None) an overflow is a bug and stays a traceback.
    """
    try:
        yield
    except ArithmeticError as err:
        if lr is None:
            raise
        raise UsageError(f"training diverged with --lr {lr:g} ({type(err).__name__}: {err});"
                         " try a smaller --lr") from None


#: A loss this many times its first value (or 1.0, if larger) means a user's --lr made training diverge.
DIVERGED = 1e6

Training = AbstractContextManager[Callable[[int, float], None]]


@contextmanager
def training(steps: int, what: str, quiet: bool, lr: float | None) -> Iterator[Callable[[int, float], None]]:
    """A `progress_bar` callback for a training loop whose overflow is a UsageError when the user set ``lr``."""
    with progress_bar(steps, what, quiet) as progress, diverging_lr_is_usage_error(lr):
        if lr is None:
            yield progress
            return
        first: list[float] = []

        def checked(step: int, loss: float) -> None:
            # A stable loss (logsumexp shifts by the largest logit) stays finite however far the weights run
            # off, so an overflow no longer signals divergence: a loss grown a million-fold does.
            if not first:
                first.append(loss)
            if loss - loss != 0.0 or loss > DIVERGED * max(1.0, first[0]):
                # An ArithmeticError, so diverging_lr_is_usage_error words it as every other divergence.
                raise OverflowError(f"the loss went from {first[0]:.4g} to {loss:.4g} by step {step}")
            progress(step, loss)

        yield checked


def text_argument(path: str | os.PathLike[str] | None) -> str | None:
    """The --text file's contents (None when not given); UsageError naming the problem with the file."""
    if path is None:
        return None
    try:
        return load_text_file(path)
    except ValueError as err:
        raise UsageError(str(err)) from None


#: Set while `install_interrupt_handler`'s hook runs: an exception raised inside a sys.unraisablehook is
#: itself dropped, so a Ctrl-C arriving there waits for the hook's thread to ask for it again.
_in_unraisable_hook = threading.Event()
#: Set once `interrupt_once` has raised outside that hook; the asking-again thread stops then.
_interrupt_raised = threading.Event()


def interrupt_once(signum: int, frame: FrameType | None) -> None:
    """SIGINT handler: stop with KeyboardInterrupt (temporary files get removed); a second Ctrl-C ends at once."""
    if _in_unraisable_hook.is_set():
        return  # raising here would be dropped with nothing left to ask again: the hook's thread will
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _interrupt_raised.set()
    raise KeyboardInterrupt


def _ask_again_until_raised() -> None:
    """Ask for SIGINT every 5 ms until `interrupt_once` has raised where the exception survives.

    A request handled in another dropping place is dropped again and re-asked by the hook. Stops as soon as
    SIGINT's handler is no longer `interrupt_once` (it raised and reset it, or the program put its own back),
    so it never interrupts anyone else, and after 10 s whatever happens.
    """
    for _ in range(2000):
        if _interrupt_raised.wait(0.005) or signal.getsignal(signal.SIGINT) is not interrupt_once:
            return
        _thread.interrupt_main()


def install_interrupt_handler() -> None:
    """Ctrl-C stops the run with `interrupt_once`, and is never lost.

    Python runs a signal handler wherever the main thread is, and some places print and drop any exception
    raised in them: a `gc.callbacks` entry (the engine installs one, `autograd.collector`), a weakref callback,
    a ``__del__``. A Ctrl-C handled there would vanish and the run go on to its end. `sys.unraisablehook` sees
    those exceptions: a dropped KeyboardInterrupt re-arms the handler and asks for the signal again a few
    milliseconds later, and again every few milliseconds until it is raised where it survives (from a thread,
    so it is handled once that place has been left). While the hook itself runs the handler stays quiet: an
    exception raised inside the hook would be dropped too (seen under load: the timer thread was slow to
    start, and the signal it asked for landed in the hook).
    """
    signal.signal(signal.SIGINT, interrupt_once)
    previous = sys.unraisablehook

    def keep_interrupts(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            _in_unraisable_hook.set()
            try:
                _interrupt_raised.clear()
                signal.signal(signal.SIGINT, interrupt_once)
                threading.Thread(target=_ask_again_until_raised, name="ask-for-ctrl-c-again", daemon=True).start()
            finally:
                _in_unraisable_hook.clear()
            return
        previous(unraisable)

    sys.unraisablehook = keep_interrupts
