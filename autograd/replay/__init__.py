"""Replay a recorded graph instead of rebuilding it every step (`record`, `Tape`).

One idea per module:

- `tape`: `record` and `Tape`, compiling a graph and running it on floats;
- `codegen`: the straight-line source of a recorded graph, built from the op table's expressions;
- `errors`: what can go wrong (`ReplayError` and its kinds);
- `recording`: the branch checks, logged while a graph is recorded;
- `batch_numpy`: the numpy helpers that run a tape over many samples at once (optional extra).
"""

from .errors import BranchChanged, ReplayError, StructureChanged, TracerWarning
from .recording import Guard
from .tape import Tape, record

__all__ = ["BranchChanged", "Guard", "ReplayError", "StructureChanged", "Tape", "TracerWarning", "record"]
