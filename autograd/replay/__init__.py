"""Replay a recorded graph instead of rebuilding it every step (`record`, `Tape`).

One idea per module:

- `tape`: `record` and `Tape`, choosing how a recorded graph runs; `tape_arguments`: what they accept;
- `graph`: the recorded graph as flat tables (no `Value` kept); `dot_rows`, `given_index`, `identities`: a
  layer's dot nodes and many parameters recorded in bulk;
- `float_steps`: a small graph run node by node on floats;
- `levels`: the level interpreter's plan (same-op groups per level, layers as matrix products), and
  `level_groups`: what one group computes with numpy;
- `codegen`: the straight-line source of a recorded graph, built from the op table's expressions, with
  `blocks` (a layer's elementwise nodes as one array op), `row_reductions` (a softmax's reductions over a
  layer's rows), `loops` (repeated time steps rolled into loops), `chunks` (long functions cut so compiling
  stays linear) and `source_store` (the source kept compressed, readable by tracebacks);
- `batch_numpy`: the numpy helpers that run a tape over many samples at once (optional extra);
- `recording`: the branch checks, logged while a graph is recorded; `bindings`: the variables a recorded
  function read, re-checked on every run;
- `errors`: what can go wrong (`ReplayError` and its kinds).
"""

from .errors import BranchChanged, ReplayError, StructureChanged, TracerWarning
from .recording import Guard
from .tape import Tape, record

__all__ = ["BranchChanged", "Guard", "ReplayError", "StructureChanged", "Tape", "TracerWarning", "record"]
