"""How the examples end, as demo.py does: a reader that has gone (``| head -1``) stops them quietly with status
141, a full disk under standard output (``> /dev/full``) is one line and status 2, Ctrl-C is one line and 130.

Without this a closed pipe printed a BrokenPipeError traceback, and ``--help > /dev/full`` exited 0, silently.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn, TextIO

from .cli_args import OutputClosed, output_failure
from .output_folder import UsageError


class _CheckedOutput:
    """Standard output whose write and flush turn an OSError into what it means (`cli_args.output_failure`): so a
    failed print is told from a failed write of the script's own files, which keep their own errors."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text``, or raise OutputClosed / UsageError."""
        try:
            return self._stream.write(text)
        except OSError as err:
            raise output_failure(err) from None

    def flush(self) -> None:
        """Flush, or raise OutputClosed / UsageError."""
        try:
            self._stream.flush()
        except OSError as err:
            raise output_failure(err) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run_script(main: Callable[[], int | None], prog: str) -> NoReturn:
    """Run ``main`` and exit with its status (None: 0), standard output checked as `print_line` checks it and
    flushed before the exit, so that what is still buffered fails here, not in Python's exit ("Exception ignored").
    """
    stdout = sys.stdout
    sys.stdout = _CheckedOutput(stdout)
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:  # a stream taken before the swap: only a pipe's reader going away raises this
        status = 141
        output_failure(BrokenPipeError())
    except (OutputClosed, UsageError) as err:
        status = _failed(err, prog)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        status = 130
    finally:
        sys.stdout = stdout
    sys.exit(status)


def _failed(err: Exception, prog: str) -> int:
    """The exit status for ``err``, saying what went wrong on stderr unless the reader has simply gone."""
    if isinstance(err, OutputClosed):
        return 141  # 128 + SIGPIPE, the status a shell reports for a tool its reader's exit stopped
    print(f"{prog}: error: {err}", file=sys.stderr)
    return 2
