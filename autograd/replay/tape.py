"""Replay a recorded graph instead of rebuilding it every step.

A training loop builds the same graph every step: thousands of `Value`
objects made and freed for the same arithmetic. A `Tape` records the graph
once and compiles it, from the op table's own expressions, into one
straight-line Python function that runs the forward pass and the backward
pass on plain floats (or, in batch mode, on numpy arrays holding many samples
at once). No `Value` is created per step.

    tape = record(lambda x0, x1, y: (model([x0, x1]) - y) ** 2,
                  example=[0.0, 0.0, 0.0], parameters=model.parameters())
    loss = tape.run([0.3, -0.2, 1.0])      # adds d loss / d p to every p.grad
    losses = tape.run_batch([xs0, xs1, ys])  # numpy: many samples in one pass

Limits, checked where they can be:
- The tape is valid while the model's structure does not change: the same
  parameter Values (their data may change: updates are read every run).
  A tape made by `record` checks on every run that the variables the
  recorded function read (``model``) still hold the same objects, and raises
  `StructureChanged` naming the variable after a rebuild;
  `Tape.check_parameters` compares a parameter list explicitly.
- Branches in the model's Python code are baked in. Comparisons between
  Values (``if s > 0``, ``max(logits)``) made while recording are re-checked
  on every run: inputs that take the other branch raise `BranchChanged`.
  Converting a Value to a float while recording (``float(v)``,
  ``math.tanh(v)``) warns (`TracerWarning`, naming the line): that number is
  baked in. Decisions made on ``.data`` floats cannot be seen; keep them out of models
  you replay (the softmax family's shift is not one: the largest logit is a
  node, one ``largest`` op over the logits, and ``logsumexp`` shifts by its
  inputs on every run).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import linecache
import math
import operator
import re
import sys
import time
import weakref
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any, NoReturn, SupportsFloat, TypeVar, cast

from ..backward import VALUE_HOOKS, refuse_bad_grads
from ..grad_mode import is_grad_enabled
from ..helpers import scalar_namespace
from ..value import Value
from .bindings import Bindings
from .codegen import MIN_GROUP_WEIGHTS, TapeSource, generate
from .errors import BranchChanged, ReplayError, StructureChanged
from .float_steps import FloatSteps
from .graph import Graph
from .recording import Guard, start_recording, stop_recording
from .source_store import CompressedLines, register_compressed
from .tape_arguments import (
    as_scale,
    copy_parameters,
    describe,
    kind_of,
    listed,
    refuse_double_roles,
    refuse_hooked_parameters,
    refuse_hooked_values,
    refuse_non_collection,
    refuse_non_values,
    refuse_repeats,
    refuse_wrong_arity,
    refused_as_data,
    sequence_of,
)

# The argument checks lived here until review27 moved them to `tape_arguments`: their old names stay readable as
# attributes of this module.
(_refuse_hooked_values, _refuse_hooked_parameters, _refused, _refuse_wrong_arity, _copy_parameters, _listed,
 _refuse_non_collection, _refuse_non_values, _refuse_repeats, _kind_of, _sequence_of, _as_scale, _describe) = (
    refuse_hooked_values, refuse_hooked_parameters, refused_as_data, refuse_wrong_arity, copy_parameters, listed,
    refuse_non_collection, refuse_non_values, refuse_repeats, kind_of, sequence_of, as_scale, describe)

_tape_count = itertools.count(1)
T = TypeVar("T")
#: A tape whose graph has more parent links than this is never compiled by itself (`Tape.compile` still can):
#: generated code peaks at a few KB per link while compiling, and the level interpreter needs no code.
AUTO_COMPILE_MAX_LINKS = 250_000


def record(
    fn: Callable[..., Value],
    example: Sequence[float],
    parameters: Sequence[Value],
    constants: Sequence[Value] = (),
    vectorize: bool | None = None,
) -> Tape:
    """Run ``fn`` once on input leaves made from ``example`` and compile what it built.

    ``fn`` takes one Value per input and returns the loss (a Value). Value
    comparisons it makes are logged and re-checked on every replay. A leaf
    that ``fn`` itself creates (no parents, not a parameter: a recurrent
    model's zero initial state, a one-hot input) is a constant, baked in with
    the value it had. Leaves made before the call that are fixed numbers go
    in ``constants``; plain numbers need nothing. So a recurrent model records
    in one call: ``record(lambda: model.sequence_loss(xs, ts)[0], example=[],
    parameters=model.parameters())``. ``vectorize``: see `Tape`.

    The variables ``fn`` reads (``model`` above) are noted, and every run
    checks they still hold the same objects: after ``model = MLP(...)`` the
    tape raises `StructureChanged` naming ``model`` instead of training the
    old parameters.
    """
    if not is_grad_enabled():
        raise ReplayError("record needs the graph the function builds: call it outside no_grad()")
    if not callable(fn):
        raise TypeError(f"record: fn must be a function returning the loss, got {type(fn).__name__}")
    bindings = Bindings(fn)
    # A list (what model.parameters() returns) passes without the Iterable ABC's Python-level instance check.
    # A dict gave its keys (names), refused as "parameters must be Values, got str at position 0".
    if type(parameters) is not list and (isinstance(parameters, (Value, str, bytes, dict))
                                         or not isinstance(parameters, Iterable)):
        raise TypeError(f"record: parameters must be a list of Values, got {type(parameters).__name__}")
    if not isinstance(parameters, list):  # a generator (as optimizers take) would be used up by the first reader
        parameters = list(parameters)  # (a list is copied once, by the Tape)
    # A dict or set would give its keys, in no fixed order, as the inputs.
    if isinstance(example, (str, bytes, dict, set, frozenset)) or not isinstance(example, Iterable):
        raise TypeError(f"record: example must be a sequence of numbers (one per input), got {type(example).__name__}")
    if isinstance(constants, (Value, str, bytes, dict)) or not isinstance(constants, Iterable):  # a dict: its keys
        raise TypeError(f"record: constants must be a list of Values, got {type(constants).__name__}")
    if vectorize is not None and not isinstance(vectorize, bool):
        raise TypeError(f"record: vectorize must be True, False or None, got {type(vectorize).__name__}")
    try:
        example = list(example)  # any iterable of numbers (read once)
    except TypeError:  # a 0-d numpy array is Iterable to the ABC but refuses iteration
        raise TypeError(f"record: example must be a sequence of numbers (one per input), got {kind_of(example)}")\
            from None
    try:
        inputs = _input_leaves(example)
    except (TypeError, ValueError, OverflowError) as err:  # named as a run names its inputs
        bad = next(i for i, x in enumerate(example) if refused_as_data(x))
        raise type(err)(f"record: example entry {bad}: {err}") from None
    # The cyclic collector is paused while the graph is built and read, as `backward` pauses it: neither makes
    # reference cycles, and each collection re-traversed the young nodes' parents (33-66 per dot node, out of the
    # CPU caches): 20-25% of recording 5,000-20,000 dot nodes (issue 12 goal 1). The graph dies by reference
    # counting when the record ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        listed_before = len(parameters) if type(parameters) is list or type(parameters) is tuple else -1
        guards, made_inside = start_recording()
        try:
            root = fn(*inputs)
        except TypeError:
            refuse_wrong_arity(fn, len(inputs))  # checked only once the call failed: a success pays nothing
            raise
        finally:
            stop_recording()
        if not isinstance(root, Value):
            raise TypeError(f"record: fn must return a Value, got {type(root).__name__}")
        if VALUE_HOOKS:  # looked for only while some hook exists anywhere: recording without hooks pays nothing
            refuse_hooked_values(root)
        # The leaves fn made cannot be inputs (made before fn ran) nor parameters listed before it ran, so they
        # are not checked for a second role: that check touched every parameter, on cold caches 20 us of a
        # 32-neuron record. A list fn added to might hold them (or a list subclass doing anything): then they
        # are checked too.
        if listed_before >= 0 and len(parameters) == listed_before:
            tape = Tape(root, inputs, parameters, constants=list(constants), guards=guards, vectorize=vectorize,
                        _made_inside=made_inside)
        else:
            tape = Tape(root, inputs, parameters, constants=[*constants, *made_inside], guards=guards,
                        vectorize=vectorize)
        del root, made_inside
    finally:
        if collecting:
            gc.enable()
    # The graph dies here: the tape holds flat tables, and the guards' Values are let go.
    guards.clear()
    tape.bindings = bindings
    # The input leaves die with the graph: the tape keeps the example's numbers (what a run without inputs
    # replays), 8 bytes an input rather than a Value of 80 (a tenth of a 97-node tape's memory).
    # (The example itself where every number is a plain float: what the leaves hold, read without a pass over them.)
    plain = [x.__class__ for x in example].count(float) == len(example)
    tape._example = array("d", example if plain else [v._data for v in inputs])
    tape._inputs = None
    return tape


def _input_leaves(example: list[Any]) -> list[Value]:
    """The leaves a recorded function is called with: ``Value(x, label="input<k>")`` per number of ``example``.

    Plain finite floats (what an example nearly always holds) are set into new leaves' slots directly, in one loop:
    two Python calls per leaf (``__init__`` and its number check) were a tenth of the fixed cost of recording a
    small graph (issue 12 goal 1). Anything else goes through `Value`, which converts it or names the problem."""
    labels = _input_labels(len(example))
    leaves = []
    for x, label in zip(example, labels):
        if x.__class__ is not float or x - x != 0.0:  # not a plain float, or inf or NaN: Value decides
            return [Value(x, label=label) for x, label in zip(example, labels)]
        leaf = _new_leaf(Value)
        leaf._data = x  # type: ignore[misc]  # the data slot under its engine name, as Value.__init__ sets it
        leaf.grad = 0.0
        leaf._op = leaf._a = leaf._b = None
        leaf.label = label
        leaves.append(leaf)
    return leaves


_new_leaf = object.__new__
_INPUT_LABELS: list[str] = []


def _input_labels(count: int) -> list[str]:
    """``["input0", "input1", ...]``, made once and shared by every tape: a label apiece per record cost 0.5 us and
    about 55 bytes kept per input (a tape holds its input leaves), 18 of a 97-node tape's bytes per op node."""
    while len(_INPUT_LABELS) < count:
        _INPUT_LABELS.append(f"input{len(_INPUT_LABELS)}")
    return _INPUT_LABELS


class Tape:
    """A graph compiled to one function: forward and backward on floats, no Values per step."""

    #: Dot groups with fewer weights than this stay scalar lines (see `codegen.MIN_GROUP_WEIGHTS`).
    min_group_weights = MIN_GROUP_WEIGHTS

    def __init__(
        self,
        root: Value,
        inputs: Sequence[Value],
        parameters: Sequence[Value],
        constants: Sequence[Value] = (),
        guards: Sequence[Guard] = (),
        outputs: Sequence[Value] = (),
        vectorize: bool | None = None,
        _made_inside: Collection[Value] = (),
    ) -> None:
        """Read the graph below ``root`` into tables and make it ready to replay.

        Every leaf must be one of ``inputs`` (fed anew each run), one of
        ``parameters`` (read from ``.data`` each run, gradients returned), a
        constant the engine made from a number, or one of ``constants``
        (leaves whose current data is baked in). Anything else is an error
        naming the leaf, rather than a silently frozen value. ``outputs`` are further
        nodes whose values each run reports in `last_outputs` (an RNN's final
        state, to carry into the next chunk).

        ``_made_inside`` is `record`'s own: the leaves its function made, taken as constants without the check
        that a constant is not also an input or a parameter (they are newer than both).

        ``vectorize`` picks how the tape runs. ``None`` (the default, with
        numpy installed): level by level with numpy (`levels.LevelProgram`;
        a graph of at most `levels.SMALL_GRAPH` nodes node by node on floats, `float_steps.FloatSteps`),
        ready at once, and compiled to code with each layer's dot nodes as
        matrix-vector products once the runs so far have taken as long as
        compiling is estimated to take (`compile_seconds`), so compiling never
        costs more than it can have saved. ``True``: that compiled code at
        once. ``False``: code with every op a float operation in the eager
        engine's own order (bit-identical results).
        """
        if not isinstance(root, Value):
            raise TypeError(f"Tape needs a Value to replay, got {type(root).__name__}")
        # What record passes (lists, and outputs=()) takes one test; anything else is checked and listed (a
        # generator of inputs was used up by the type check below, leaving the tape no inputs).
        if not (type(inputs) is list and type(constants) is list and type(guards) is list and type(outputs) is tuple
                and type(parameters) is list):
            for what, given in (("inputs", inputs), ("parameters", parameters), ("constants", constants),
                                ("outputs", outputs), ("guards", guards)):
                refuse_non_collection(what, given)
            inputs, constants, outputs = (listed(x) for x in (inputs, constants, outputs))
            guards = listed(guards)
        if vectorize is not None and vectorize is not True and vectorize is not False:  # "no" was taken as True
            raise TypeError(f"Tape: vectorize must be True, False or None, got {type(vectorize).__name__}")
        if guards and not all(isinstance(g, Guard) for g in guards):
            bad = next(g for g in guards if not isinstance(g, Guard))
            raise TypeError(f"Tape: guards must be Guard records (made by record), got {type(bad).__name__}")
        # Copied first (a generator is read once); a model's weights are most of what a tape is given.
        self._parameters, leaves = copy_parameters(parameters)
        for what, given in (("inputs", inputs), ("constants", constants), ("outputs", outputs)):
            refuse_non_values(what, given)
        if constants:
            refuse_double_roles(constants, inputs, self._parameters)
        if _made_inside:  # `record`'s own: leaves its function made, constants that cannot have another role
            constants = [*constants, *_made_inside]
        if root.is_leaf:
            # Every program reads the loss as the graph's last node, but an input or a parameter is numbered
            # first: a loss that is one of them is replayed as itself times 1.0 (exact, gradient 1).
            root = root * 1.0
        self._inputs: list[Value] | None = list(inputs)
        #: The example's numbers, for a tape made by `record` (set there; then ``_inputs`` is let go).
        self._example: array | None = None
        self.input_count = len(self._inputs)
        self.last_outputs: list[float] = []
        #: The variables the recorded function read (set by `record`), re-checked on every run.
        self.bindings: Bindings | None = None
        # The graph is read into flat tables and then let go: a tape never keeps the recorded Values alive.
        number: dict[Value, int] = {}
        namer = self._leaf_namer(constants)
        compared = [side for g in guards for side in (g.left, g.right) if isinstance(side, Value)]
        self.graph = Graph(root, namer, self._inputs, self._parameters, outputs, number, self._refuse_repeats,
                           also=compared, leaf_parameters=leaves)
        for v, n in zip(outputs, self.graph.outputs):
            if n < 0:
                raise ReplayError(f"output {describe(v)} is not part of the recorded graph")
        self._guards = self._check_guards(guards, number)
        guard_specs = self._guard_specs(guards, number) if vectorize is None else []
        del number
        self._run_numpy: dict[str, Callable] = {}
        self._compiled: Callable | None = None
        self._program: Any = None
        self._interpreted_seconds = 0.0
        #: Nodes run alone and groups run by numpy (see `compile_seconds`); every node alone until planned.
        self._shape = (self.node_count, 0)
        if vectorize is None and _wants_vectors(None):
            levels = _levels()
            self.vectorized = True
            if len(self.graph) <= levels.SMALL_GRAPH:  # run unplanned anyway: lists, no numpy set-up (`float_steps`)
                self._program = FloatSteps(self.graph, guard_specs, self._constant_values())
                self.graph.release()  # the program holds the full tables it reads; the rest need not stay
            else:
                self._program = levels.LevelProgram(self.graph, guard_specs, self._constant_values())
            self._shape = self._program.code_shape
            self._program.on_branch_changed = self._branch_changed
            self.graph.forget_levels()  # planned: no program reads them again
            self._run = self._interpret
        else:
            self.vectorized = _wants_vectors(vectorize)
            self._run = self._compile_now()

    @property
    def parameters(self) -> tuple[Value, ...]:
        """The parameter Values, in the order of the gradients every run returns (read-only).

        A tuple, not the tape's own list: the compiled program reads parameter k's data from slot k, so
        ``tape.parameters.pop()`` or ``.reverse()`` on a shared list made later runs read the wrong weights and
        return gradients for the wrong Values, with no error (`check_parameters` compares with a model's list).
        """
        return tuple(self._parameters)

    def __reduce__(self) -> NoReturn:
        """Refused with a TypeError: a tape holds compiled code, and its parameters are the model's own Values
        (a copy would replay and train copies, not the model); record the tape again where it is needed."""
        raise TypeError("a Tape cannot be pickled or deep-copied: it holds compiled code and the model's own "
                        "parameter Values (a copy would train copies); record it again from the model instead")

    def __copy__(self) -> Tape:
        """A shallow copy (as before `__reduce__` refused pickling): it replays the same program on the same
        parameter Values."""
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        return twin

    @property
    def inputs(self) -> list[Value]:
        """The input leaves: those given to `Tape`; for a tape made by `record`, new leaves holding the example's
        numbers (the leaves the recorded function was called with are let go with the graph)."""
        if self._inputs is not None:
            return self._inputs
        example = cast(array, self._example)
        return [Value(x, label=label) for x, label in zip(example, _input_labels(len(example)))]

    @property
    def strategy(self) -> str:
        """How the tape runs now: ``"levels"`` (numpy, level by level), ``"vectorized"`` or ``"scalar"`` code."""
        if self._compiled is None:
            return "levels"
        return "vectorized" if self.vectorized else "scalar"

    def compile_seconds(self) -> float:
        """The estimated time to generate and compile this tape's code, from the shape the level interpreter found.

        Generated code is about one line per numpy group (a layer's dot nodes, the tanh of their rows) and one
        per node run alone on floats (and per member of a group, in code with no matrix products to make
        blocks of: `levels.LevelProgram.code_shape`), plus tables that grow with the links and the parameters.
        Fitted on 2 cores, Python 3.11 (`bench/bench_record.py`'s graphs: binary-op graphs of 1,000-40,000 nodes, dot
        graphs of 224-4,992 dot nodes, W3 and W5 at h16-h64) as 20 us per lone node (plus 0.4 ns per lone
        node squared: Python compiles one long function more slowly per line), 250 us per numpy group, 0.18
        us per link and 0.7 us per parameter. Over those 12 tapes, in two runs, the estimate came out 0.79-1.14x
        the measured compile time (the former 30 us per op node + 0.35 us per link: 0.87-4.0x, 3.3-3.9x on W3
        and W5). Since a layer's dot nodes compile in bulk (dotrec14) it reads 0.9-1.4x (0.58 at 97 dot nodes,
        where fixed costs dominate; W3 and W5 1.2x): a tape compiles a little later than it could, never much
        earlier. `bench/bench_record.py` prints the ratio for its graphs.
        """
        lone, groups = self._shape
        return (20e-6 + 0.4e-9 * lone) * lone + 250e-6 * groups + 0.18e-6 * self.graph.link_count \
            + 0.7e-6 * len(self._parameters)

    def compile(self) -> None:
        """Generate and compile the tape's code now instead of when it has paid for itself."""
        if self._compiled is None:
            self._run = self._compile_now()

    def _compile_now(self) -> Callable:
        self._compiled = self._vector_runner() if self.vectorized else self._scalar_runner()
        self._program = None  # the interpreter's index arrays are not needed any more
        self.graph.release()  # nor the full tables code generation read
        return self._compiled

    def _interpret(self, inputs: Sequence[float], params: Sequence[float]) -> tuple[float, list[float], list[float]]:
        """One run by the level interpreter; compiles (once) when the time spent so far would have paid for it."""
        program = self._program
        if program is None:  # compiled meanwhile (a caller may hold on to this method, as `run_many` does)
            return cast(Callable, self._compiled)(inputs, params)
        start = time.perf_counter()
        result = program.run(inputs, params)
        self._interpreted_seconds += time.perf_counter() - start
        if self._interpreted_seconds >= self.compile_seconds() and self.graph.link_count <= AUTO_COMPILE_MAX_LINKS:
            self.compile()
        return cast(tuple[float, list[float], list[float]], result)

    def _leaf_constants(self) -> Any:
        """Each node's baked-in value where it is a constant leaf (0.0 elsewhere: inputs, parameters, op nodes),
        as a numpy array (the level interpreter's only user)."""
        import numpy as np

        values = np.zeros(len(self.graph))
        walked = self.graph.walked_leaves
        values[walked] = [value for _, value in self._constant_values()]
        return values

    def _constant_values(self) -> list[tuple[int, float]]:
        """(node, baked-in value) for every constant leaf, in the order of ``graph.walked_leaves``."""
        names = self.graph.leaf_names
        # A literal from `literal`: float.__repr__ in parentheses, exact.
        return [(n, float(names[n][1:-1])) for n in self.graph.walked_leaves]

    def _guard_specs(self, guards: Sequence[Guard], number: dict[Value, int]) -> list[tuple[int, float, str, int, float,
                                                                                           bool]]:
        """The comparisons by node number (-1 with the number itself for a constant side), for the interpreter."""
        specs = []
        for g in guards:
            left = (number[g.left], 0.0) if isinstance(g.left, Value) else (-1, float(g.left))
            right = (number[g.right], 0.0) if isinstance(g.right, Value) else (-1, float(g.right))
            specs.append((left[0], left[1], g.op, right[0], right[1], g.result))
        return specs

    # --- building --------------------------------------------------------

    def _refuse_repeats(self) -> None:
        """Refuse a parameter listed twice, or a Value given both as an input and as a parameter (the graph calls
        this only when its bulk numbering of the given Values finds a repeat or an op node among them)."""
        refuse_repeats(self._parameters)
        both = set(self._inputs or ()).intersection(self._parameters)
        if both:
            raise ReplayError(f"{describe(next(iter(both)))} is given both as an input and as a parameter")

    def _leaf_namer(self, constants: Sequence[Value]) -> Callable[[Value], str]:
        """The name of each leaf the graph walk meets (inputs and parameters are numbered before it): a constant's
        number as a literal; a leaf the tape cannot take is an error naming it."""
        fixed = set(constants)

        def name(v: Value) -> str:
            if v.is_constant or v in fixed:
                return literal(v.data, v)  # described only if refused: most graphs' constants never are
            raise ReplayError(
                f"{describe(v)} is a leaf of the graph but neither an input, a parameter nor a constant:"
                " pass it in inputs=, parameters= or constants="
            )

        return name

    def _check_guards(self, guards: Sequence[Guard], number: dict[Value, int]) -> list[tuple[str, str, str, bool]]:
        checked = []
        for g in guards:
            sides = []
            for side in (g.left, g.right):
                if isinstance(side, Value):
                    if side not in number:
                        raise ReplayError(
                            f"the model compared {describe(side)}, which the loss does not depend on:"
                            " such a branch cannot be checked on replay"
                        )
                    n = number[side]
                    sides.append(self.graph.leaf_name(n) if side.is_leaf else f"v{n}")
                else:
                    sides.append(literal(side, "a number the model compared with"))
            checked.append((sides[0], g.op, sides[1], g.result))
        return checked

    def _generate(self, matmul_groups: bool, batch: bool = False) -> TapeSource:
        return generate(self.graph, self._guards, matmul_groups, batch, self.min_group_weights)

    @property
    def source(self) -> str:
        """The generated Python source of the tape's one-sample function, a string (``print(tape.source)``;
        generated now if not compiled yet)."""
        if self._compiled is None:
            return self._generate(matmul_groups=self.vectorized).text
        return self._lines.text

    def _scalar_runner(self) -> Callable:
        """Straight-line code on floats: the same operations in the same order as the eager engine."""
        return self._compile(self._generate(matmul_groups=False).text, scalar_namespace())

    def _vector_runner(self) -> Callable:
        """A layer's dot nodes as numpy matrix-vector products, the rest on floats (needs numpy)."""
        from . import batch_numpy

        source = self._generate(matmul_groups=True)
        scope = scalar_namespace()
        scope.update(batch_numpy.vector_tools(source.tables))
        return self._compile(source.text, scope)

    def _compile(self, source: str, namespace: dict[str, object]) -> Callable:
        scope = dict(namespace)
        scope["branch_changed"] = self._branch_changed
        scope["overflowed"] = _overflowed
        scope["nonfinite"] = _nonfinite
        scope["batch_branch_check"] = self._batch_branch_check
        scope["itemgetter"] = operator.itemgetter  # chunked code hands values over with it (see `chunks`)
        # A file name of its own, with the source registered, so that a traceback shows the failing line.
        filename = f"<valuegrad tape {next(_tape_count)}>"
        lines = CompressedLines(source)
        register_compressed(filename, lines)
        weakref.finalize(self, linecache.cache.pop, filename, None)
        self._lines = lines  # the latest compiled source (the float one: batch sources are compiled later)
        exec(compile(source, filename, "exec"), scope)  # noqa: S102 - our own generated code
        return cast(Callable, scope["run"])  # the generated source defines `run`, a function

    def _quiet(self, arrays: bool = False) -> contextlib.AbstractContextManager[object]:
        """numpy's overflow warnings off while array code runs: a non-finite result is refused by name instead."""
        if not (self.vectorized or arrays):
            return contextlib.nullcontext()
        import numpy as np

        return np.errstate(all="ignore")

    def _branch_changed(self, k: int) -> None:
        left, op, right, result = self._guards[k]
        raise BranchChanged(
            f"the recorded model compared {left} {op} {right} and got {result}; these inputs give {not result},"
            " so the model would build a different graph: record the tape again (or run eagerly)"
        )

    def _batch_branch_check(self, k: int, outcome: Any, result: bool) -> None:
        """Batch mode: ``outcome`` holds the comparison for every sample (or one bool for all)."""
        import numpy as np

        differs = np.asarray(outcome) != result
        if differs.any():
            sample = int(np.flatnonzero(differs)[0]) if differs.ndim else 0
            left, op, right, _ = self._guards[k]
            raise BranchChanged(
                f"sample {sample} (and {int(differs.sum()) - 1} more) makes the recorded comparison {left} {op}"
                f" {right} come out {not result} instead of {result}, so the model would build a different"
                " graph for it: record the tape again (or run those samples eagerly)"
            )

    # --- running ---------------------------------------------------------

    def check_parameters(self, parameters: Sequence[Value]) -> None:
        """Raise StructureChanged unless ``parameters`` are exactly the recorded Values, in order."""
        parameters = list(sequence_of(parameters, "check_parameters: parameters", "Values"))
        if len(parameters) != len(self._parameters):
            raise StructureChanged(
                f"the model now has {len(parameters)} parameters; the tape recorded {len(self._parameters)}:"
                " record it again after changing the model"
            )
        for k, (now, then) in enumerate(zip(parameters, self._parameters)):
            if now is not then:
                raise StructureChanged(f"parameter {k} ({describe(now)}) is not the one recorded: record again")

    def _input_values(self, inputs: Sequence[float] | None) -> list[float]:
        if inputs is None:
            if self._example is not None:
                return self._example.tolist()
            return [v.data for v in cast(list[Value], self._inputs)]
        # A dict or set iterates its keys or in no fixed order: no sequence of inputs either.
        if isinstance(inputs, (str, bytes, dict, set, frozenset)) or not hasattr(inputs, "__iter__"):
            raise TypeError(f"tape inputs must be a sequence of {self.input_count} numbers,"
                            f" got {type(inputs).__name__}")
        try:
            values = list(inputs)
        except TypeError:  # a 0-d numpy array has __iter__ but refuses it ("iteration over a 0-d array")
            raise TypeError(f"tape inputs must be a sequence of {self.input_count} numbers, got"
                            f" {kind_of(inputs)}") from None
        if len(values) != self.input_count:
            raise ReplayError(f"the tape takes {self.input_count} inputs, got {len(values)}")
        try:
            return [Value(x).data for x in values]  # the engine's own checks: real, finite
        except (TypeError, ValueError, OverflowError) as err:  # named as run_batch names a column
            bad = next(i for i, x in enumerate(values) if refused_as_data(x))
            raise type(err)(f"tape input {bad}: {err}") from None

    def evaluate(self, inputs: Sequence[float] | None = None) -> tuple[float, list[float]]:
        """Forward and backward on ``inputs`` (default: the input leaves' current data; for a tape made by `record`,
        the example it was recorded with).

        Returns the loss and d loss / d parameter for every parameter, without
        touching any ``.grad``.
        """
        if self.bindings is not None:
            self.bindings.check()
        if VALUE_HOOKS:  # one dict's truth per run: a hook added to a parameter after recording
            refuse_hooked_parameters(self._parameters)
        params = [p._data for p in self._parameters]  # the slot itself: specialized, half map(attrgetter)'s time
        with self._quiet(), _blaming_parameters(self._parameters, params), _naming_registered_ops(self.graph):
            loss, grads, outs = self._run(self._input_values(inputs), params)
            _check_finite(loss, grads, self._parameters)
        self.last_outputs = list(outs)
        return loss, list(grads)

    def run(self, inputs: Sequence[float] | None = None, scale: float = 1.0) -> float:
        """Like `evaluate`, then add ``scale`` x each gradient to the parameter's ``.grad``; return the loss."""
        scale = as_scale(scale)
        loss, grads = self.evaluate(inputs)
        _add_to_grads(self._parameters, grads, scale)
        return loss

    def run_many(self, rows: Sequence[Sequence[float]], scale: float = 1.0) -> float:
        """`run` over many input rows, summing; the parameters' ``.grad`` get scale x the summed gradient."""
        scale = as_scale(scale)
        rows = sequence_of(rows, "run_many: rows", "input rows")
        if self.bindings is not None:
            self.bindings.check()
        if VALUE_HOOKS:  # one dict's truth per run: a hook added to a parameter after recording
            refuse_hooked_parameters(self._parameters)
        params = [p._data for p in self._parameters]  # the slot itself: specialized, half map(attrgetter)'s time
        total = 0.0
        acc = [0.0] * len(self._parameters)
        run = self._run
        with self._quiet(), _blaming_parameters(self._parameters, params), _naming_registered_ops(self.graph):
            for i, row in enumerate(rows):
                try:
                    values = self._input_values(row)
                except (TypeError, ValueError, OverflowError) as err:  # (ReplayError is a ValueError) named by row:
                    raise type(err)(f"run_many row {i}: {err}") from None  # one bad row of thousands was unnamed
                loss, grads, _ = run(values, params)
                total += loss
                acc = list(map(operator.add, acc, grads))
            _check_finite(total, acc, self._parameters)
        _add_to_grads(self._parameters, acc, scale)
        return total

    def run_batch(self, columns: Sequence[Sequence[float]], reduce: str = "sum") -> tuple[Any, list[Any]]:
        """Evaluate many samples at once with numpy: ``columns[k]`` holds input k for every sample.

        Returns ``(losses, gradients)``: per-sample losses (an array), and per
        parameter the gradient summed over samples (``reduce="sum"``) or one
        per sample (``reduce="none"``, arrays). ``.grad`` is not touched.
        Needs numpy (``pip install "valuegrad[batch]"``).
        """
        from . import batch_numpy  # numpy is an optional extra

        if reduce not in ("sum", "none"):
            raise ValueError(f"reduce must be 'sum' or 'none', got {reduce!r}")
        columns = sequence_of(columns, "run_batch: columns", "input columns")
        if len(columns) != self.input_count:
            raise ReplayError(f"the tape takes {self.input_count} input columns, got {len(columns)}")
        if self.bindings is not None:
            self.bindings.check()
        if VALUE_HOOKS:
            refuse_hooked_parameters(self._parameters)
        # Every node's values and gradients are arrays over the samples (and with reduce="none" one row per
        # parameter): a lower bound of what the run keeps, checked against the machine's memory first.
        per_sample = 8 * (2 * (self.node_count + self.input_count) + (len(self._parameters) if reduce == "none"
                                                                      else 0))
        arrays, n = batch_numpy.as_columns(columns, per_sample)
        run = self._run_numpy.get(reduce)
        if run is None:
            source = generate(self.graph, self._guards, True, True, self.min_group_weights, reduce == "none")
            self.graph.release()  # the full tables code generation read (a program holds what it reads)
            run = self._run_numpy[reduce] = self._compile(source.text, batch_numpy.namespace(source.tables))
        params = [p._data for p in self._parameters]  # the slot itself: specialized, half map(attrgetter)'s time
        with (self._quiet(arrays=True), _blaming_parameters(self._parameters, params),
              _naming_registered_ops(self.graph)):
            loss, grads, _, *summed = run(arrays, params)
            return batch_numpy.finish(loss, grads, summed[0] if summed else None, n, reduce,
                                      lambda k: describe(self._parameters[k]))

    def op_counts(self) -> dict[str, int]:
        """How many nodes of each op the recorded graph has (by op name)."""
        return self.graph.op_counts()

    @property
    def node_count(self) -> int:
        """The number of op nodes (not leaves) in the recorded graph."""
        # Every node after the given leaves is an op or a leaf the walk met (a constant): no pass over the ops,
        # whose ``list.count(None)`` compared each op (a str) with None through rich comparison, about 5 us at
        # 100 nodes (issue 12 goal 1: a record reads this once).
        graph = self.graph
        return len(graph.tail_ops) - len(graph.walked_leaves)

    def __repr__(self) -> str:
        interior = self.node_count
        return (f"Tape({interior} ops, {self.input_count} inputs, {len(self._parameters)} parameters,"
                f" {len(self._guards)} branch checks)")


def _add_to_grads(parameters: Sequence[Value], grads: Sequence[float], scale: float) -> None:
    """``p.grad += scale * g`` for each parameter, all or nothing; a .grad set to None or to no number is named
    (`refuse_bad_grads`), and a sum that is not finite is a FloatingPointError naming the parameter, as
    ``backward()`` refuses one (``run(x, scale=1e308)`` wrote inf into ``.grad``, then nan)."""
    try:
        new = [p.grad + scale * g for p, g in zip(parameters, grads)]
    except TypeError:
        refuse_bad_grads(parameters, "replay")
        raise
    total = sum(new, 0.0)
    if total - total != 0.0:  # some sum is inf or NaN, or finite ones overflowed when added up: look closer
        for p, g, n in zip(parameters, grads, new):
            if isinstance(n, float) and n - n != 0.0:
                raise FloatingPointError(f"replay: adding scale {scale!r} x gradient {g!r} to the .grad of "
                                         f"{_describe(p)} ({p.grad!r}) gives {n!r}, not a finite number; no .grad "
                                         "was changed")
    for p, n in zip(parameters, new):
        p.grad = n


def _wants_vectors(vectorize: bool | None) -> bool:
    """Vectorize when asked, or by default whenever numpy can be imported."""
    if vectorize is not None:
        return bool(vectorize)
    if sys.modules.get("numpy") is not None:  # imported already: no import statement (machinery) per record
        return True
    try:
        import numpy  # noqa: F401
    except ImportError:  # pragma: no cover - numpy is an optional extra
        return False
    return True


_LEVELS: list[ModuleType] = []


def _levels() -> ModuleType:
    """The `levels` module, imported on first use (it imports numpy, an optional extra) and then held: an import
    statement in `Tape.__init__` ran the import machinery (importlib's Python-level ``from . import`` handling) on
    every record, a few of a 100-node record's microseconds on cold caches (issue 12 goal 1)."""
    if not _LEVELS:
        from . import levels

        _LEVELS.append(levels)
    return _LEVELS[0]


def literal(x: object, what: str | Value) -> str:
    """Source text for a number baked into generated code: only ever ``repr`` of a plain finite float.

    The text comes from ``float.__repr__`` and is checked to be a number, so a float subclass (or any
    object) with its own ``__repr__`` cannot get text of its choosing into a tape. ``what`` names the number in
    an error: a description, or the Value holding it (described only then).
    """
    try:
        # Any object may arrive (whatever the model compared with): float() refuses the rest with TypeError.
        f = float(cast(SupportsFloat, x))
    except (TypeError, ValueError) as error:
        raise ReplayError(f"{_what(what)} is not a real number: {error}") from None
    text = float.__repr__(f)  # never a subclass's own __repr__
    if not math.isfinite(f):
        raise ReplayError(f"{_what(what)} is {text}: a tape can only bake in finite numbers")
    if not _FLOAT_TEXT.fullmatch(text):  # belt and braces: the text can only be a number
        raise ReplayError(f"{_what(what)}: unexpected number text {text!r}")
    return f"({text})"


def _what(what: str | Value) -> str:
    return describe(what) if isinstance(what, Value) else what


_FLOAT_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?")


def _check_finite(loss: float, grads: Sequence[float], parameters: Sequence[Value]) -> None:
    if not math.isfinite(loss):
        raise FloatingPointError(f"replay: the loss is {loss!r}: run the model eagerly to find the op")
    for p, g in zip(parameters, grads):
        if not math.isfinite(g):
            raise FloatingPointError(f"replay: the gradient of {describe(p)} is {g!r}")


@contextlib.contextmanager
def _blaming_parameters(parameters: Sequence[Value], values: Sequence[float]) -> Iterator[None]:
    """If a run fails on a number that is not finite, and a parameter's data is not finite (set by hand: a Value
    refuses NaN when made, not when assigned), say so by name: every mode then gives the interpreter's message,
    not "an op overflowed" from compiled code. Checked only on the error path, so a run pays nothing."""
    try:
        yield
    except (OverflowError, FloatingPointError, ValueError) as error:
        # Not sum(values): finite parameters near 1e308 (a huge learning rate's step) sum to inf, and no
        # parameter would then be found to blame (next() raised StopIteration out of this generator).
        k = next((k for k, v in enumerate(values) if v - v != 0.0), None)  # v - v is NaN for inf and NaN
        if k is not None:
            raise ValueError(f"replay: the data of parameter {k} ({describe(parameters[k])}) is {values[k]!r};"
                             " a NaN or infinity must not spread through the graph") from error
        raise


@contextlib.contextmanager
def _naming_registered_ops(graph: Graph) -> Iterator[None]:
    """If a run fails with a TypeError and the tape holds ops added by `register_op`, say which: compiled code and
    run_batch inline the ops' expressions, so a helper giving a complex number (or None, or a str) failed as
    "must be real number, not complex" in the finiteness check, or inside numpy's vectorize, naming no op (the
    eager engine and the level interpreter call the checked op and name it, op, expression and point).
    Checked only on the error path, so a run pays nothing."""
    try:
        yield
    except TypeError as error:
        registered = {op.name: op for op in graph.tail_ops if op is not None and getattr(op.forward, "__checked__",
                                                                                         False)}
        if not registered or str(error).startswith(("tape input", *(f"op {name}:" for name in registered))):
            raise  # no op of the user's, a bad input (named), or the checked op named itself already
        ops = ", ".join(f"op {op.name} ({op.forward_code!r}, derivatives "
                        f"{', '.join(map(repr, op.derivative_code_for(cast(int, op.arity))))})"
                        for op in registered.values())
        raise TypeError(f"replay: a result is no real number ({error}): the tape holds {ops}, registered with "
                        "register_op, whose expressions must give real numbers; the model run eagerly names the op "
                        "and the point") from error


def _overflowed(op: str) -> None:
    """Raised by generated code where an op that can hide an overflow (tanh, div, ...) meets a non-finite input."""
    raise OverflowError(
        f"replay: an input of a {op} node is not finite: an op before it overflowed (the eager engine refuses"
        " the overflowing op itself: run the model eagerly to see which)"
    )


def _nonfinite(x: Any) -> bool:
    """True if any number of ``x`` (an array of samples or a vector) is infinite or NaN."""
    import numpy as np

    return not bool(np.isfinite(x).all())


