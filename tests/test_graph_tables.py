"""The recorded graph's tables (`autograd.replay.graph.Graph`) against a hand-written reference.

The walk looks up a node's parents in bulk and numbers the given leaves in bulk (issue 12 goal 1); these
tests rebuild every table the slow, obvious way from `autograd.backward.topological_order` (numbers in its
order after the given leaves, level = 1 + deepest parent, needs = leads to a parameter) and compare, on
random graphs of every op, dot layers, shared subexpressions, constants, one-input n-ary nodes, repeated
inputs and parameters that are op nodes. A level program whose groups are partly numpy, partly floats is
checked against eager.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from autograd import Value, dot, sum_of
from autograd.backward import topological_order
from autograd.ops import SUM
from autograd.replay import ReplayError, Tape, record
from autograd.replay.graph import Graph
from autograd.value import apply
from nn import MLP

np = pytest.importorskip("numpy")
levels_module = pytest.importorskip("autograd.replay.levels")

from test_replay import eager, random_graph_fn  # noqa: E402  (after the numpy skip, like test_replay)

# Small graphs built to exercise the numpy groups are planned in groups, as a large graph is (conftest.py).
pytestmark = pytest.mark.usefixtures("small_graphs_planned_in_groups")



def reference(root: Value, inputs: Sequence[Value], params: Sequence[Value]) -> dict[str, object]:
    """Every table as the docstring of `graph` defines it, computed one node at a time."""
    number: dict[Value, int] = {}
    position: dict[Value, int] = {}
    for group in (inputs, params):
        for k, v in enumerate(group):
            if v.is_leaf:
                number.setdefault(v, len(number))
                position[v] = k  # the last position a repeated Value was given at
    for v in topological_order(root):
        number.setdefault(v, len(number))
    nodes = sorted(number, key=number.__getitem__)
    param_set = set(params)
    level: dict[Value, int] = {}
    needs: dict[Value, bool] = {}
    for v in nodes:
        level[v] = 1 + max(level[p] for p in v.parents) if v.parents else 0
        needs[v] = v in param_set or any(needs[p] for p in v.parents)
    given_inputs = len({v for v in inputs if v.is_leaf})
    return {
        "ops": [None if v.is_leaf else v.op for v in nodes],
        "levels": [level[v] for v in nodes],
        "needs": [int(needs[v]) for v in nodes],
        "parents": [[number[p] for p in v.parents] for v in nodes],
        "params": [number.get(p, -1) for p in params],
        "inputs": [number.get(x, -1) for x in inputs],
        "names": [(f"i{position[v]}" if number[v] < given_inputs else f"p{position[v]}") if v in position
                  else (f"({float.__repr__(v.data)})" if v.is_leaf else f"v{number[v]}") for v in nodes],
    }


def tables(root: Value, inputs: Sequence[Value], params: Sequence[Value]) -> dict[str, object]:
    """The same tables read from a `Graph` (built as `Tape` builds it: constants are the engine's)."""
    def name(v: Value) -> str:
        assert v.is_constant, "the test graphs use only the engine's constants"
        return f"({float.__repr__(v.data)})"

    graph = Graph(root, name, inputs, params, [], {})
    return {
        "ops": list(graph.ops),
        "levels": list(graph.levels),
        "needs": list(graph.needs),
        "parents": [list(graph.args(n)) for n in range(len(graph))],
        "params": list(graph.params),
        "inputs": list(graph.inputs),
        "names": graph.names(),
    }


@pytest.mark.parametrize("seed", range(12))
def test_tables_of_random_graphs_of_every_op_match_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    params = [Value(rng.uniform(-1, 1)) for _ in range(3)]
    xs = [Value(0.2), Value(0.3)]
    root = random_graph_fn(seed, params)(*xs)
    assert tables(root, xs, params) == reference(root, xs, params)


def test_tables_of_dot_layers_with_shared_inputs_and_a_bias_constant_match_the_reference() -> None:
    # Each layer's dot nodes read the previous layer's outputs, all seen by the first dot of the layer first.
    model = MLP(3, [5, 4, 1], seed=2)
    xs = [Value(0.1), Value(-0.4), Value(0.7)]
    root = (model(xs) - 0.5) ** 2
    params = model.parameters()
    assert tables(root, xs, params) == reference(root, xs, params)


def test_tables_of_dot_nodes_whose_weights_are_runs_of_parameters_or_not_match_the_reference() -> None:
    # A layer's dot nodes are numbered as rows (`replay.dot_rows`) when their weights are consecutive parameters
    # (a Neuron's (b, *w)), or all but the last (Linear's (*row, b)); anything else takes the general path.
    rng = random.Random(4)
    params = [Value(rng.uniform(-1, 1)) for _ in range(40)]
    xs = [Value(0.3), Value(-0.6), Value(0.9)]
    h = [x.tanh() for x in xs]
    bias = params[30:33]
    rows = [
        dot(params[0:3], h),  # a run: reads h, as the next two do (the input vector is looked up once)
        dot(params[3:6], h),
        dot([*params[6:8], bias[0]], h),  # a run but for the last weight (a bias kept elsewhere)
        dot([params[12], params[10], params[11]], h),  # not a run: the general path
        dot(params[13:16], [h[0], xs[1], 2.0]),  # a run reading other inputs (a constant among them)
        dot([params[16], params[17], xs[0]], h),  # an input among the weights: the general path
        dot([params[38], params[39], xs[2]], h),  # the run ends at the last parameter, then an input
        dot(params[37:38], h[:1]),  # one weight
        dot([h[1], h[2]], params[20:22]),  # operands the other way round: weights that are op nodes
        dot([*params[22:24], bias[1]], [h[0], h[0], h[0]]),  # one input repeated
    ]
    second = [dot(params[24:28][k::2] + [bias[2]], [r.tanh() for r in rows[:2]] + [1.0]) for k in range(2)]
    root = sum_of([*rows, *second]) * 0.5
    assert tables(root, xs, params) == reference(root, xs, params)
    # The same graph with the parameters given in another order: no dot node's weights are a run any more.
    shuffled = params[::-1]
    assert tables(root, xs, shuffled) == reference(root, xs, shuffled)


def test_tables_with_shared_subexpressions_one_input_nary_nodes_and_unread_leaves_match_the_reference() -> None:
    w = [Value(0.3), Value(-0.2), Value(0.5), Value(1.5)]  # w[3] is never read by the loss
    x, unused = Value(0.25), Value(9.0)
    shared = (w[0] * x).tanh()
    one = apply(SUM, shared)  # an n-ary node with a single parent
    root = dot([shared, one, w[1]], [w[2], shared, 2.0]) + sum_of([shared, shared * w[1], one]) * 3.0
    assert tables(root, [x, unused], w) == reference(root, [x, unused], w)


def test_tables_when_an_input_repeats_or_a_parameter_is_an_op_node_match_the_reference() -> None:
    w, v = Value(0.4), Value(-1.3)
    x = Value(0.6)
    tied = w * 2.0  # a parameter that is an op node: it and everything computed from it need gradients
    root = (tied * x + v).tanh() * tied
    assert tables(root, [x, x], [w, tied, v]) == reference(root, [x, x], [w, tied, v])
    x2 = Value(0.1)
    root2 = (x2 * 3.0 + x2.exp()) * v
    assert tables(root2, [x2], [v]) == reference(root2, [x2], [v])  # v reached only as the last parent


@pytest.mark.parametrize("repeat", [0, 1])
def test_a_repeated_parameter_and_a_value_both_input_and_parameter_are_refused_by_name(repeat: int) -> None:
    w, v = Value(0.5, label="w"), Value(0.25, label="v")
    x = Value(1.0, label="x")
    tied = w * 2.0
    params = [w, v, tied, w] if repeat else [w, v, tied]  # an op node among them: the one-by-one checks
    root = x * tied + v
    if repeat:
        with pytest.raises(ReplayError, match=r"parameter 3 \(Value 'w'\) is the same Value as parameter 0"):
            Tape(root, [x], params)
    with pytest.raises(ReplayError, match="Value 'v' is given both as an input and as a parameter"):
        Tape(root, [x, v], [w, v])
    with pytest.raises(ReplayError, match=r"parameter 1 \(Value 'v'\) is the same Value as parameter 0"):
        Tape(root, [x], [v, v])


def test_a_parameter_that_is_an_op_node_replays_its_gradient_as_eager() -> None:
    w, v = Value(0.4), Value(-1.3)

    def fn(x: Value) -> Value:
        return (tied * x + v).tanh() * tied

    tied = w * 2.0
    tape = record(fn, [0.6], [tied, v], constants=[w])  # w itself is held fixed
    loss, grads = tape.evaluate([0.6])
    ref_loss, ref_grads = eager(fn, [0.6], [tied, v])
    assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("small_group", [2, 3, 5])
@pytest.mark.parametrize("seed", range(6))
def test_level_programs_mixing_numpy_groups_and_float_runs_equal_eager(seed: int, small_group: int,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Between "every group numpy" and "every node floats" (test_level_interpreter): runs of small groups
    # between large ones become float steps, found for all groups at once.
    monkeypatch.setattr(levels_module, "SMALL_GROUP", small_group)
    rng = random.Random(40 + seed)
    params = [Value(rng.uniform(-1, 1)) for _ in range(3)]

    def side_by_side(x0: Value, x1: Value) -> Value:
        return sum_of([random_graph_fn(seed, params)(x0 * c, x1) for c in (1.0, 0.5, -0.75)])

    tape = record(side_by_side, [0.2, 0.3], params)
    assert tape.strategy == "levels"
    for _ in range(2):
        inputs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        loss, grads = tape.evaluate(inputs)
        ref_loss, ref_grads = eager(side_by_side, inputs, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("small_group", [1, 4, 40, 10**9])
def test_the_level_program_counts_its_numpy_groups_and_lone_nodes_as_a_reference_grouping_does(
        small_group: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # `Tape.compile_seconds` reads these two counts: groups are (level, op, fan-in), large when they read at
    # least SMALL_GROUP parents in all (only dot groups, the layers, where a graph this small is planned as
    # layers and float steps); every other op node runs alone.
    monkeypatch.setattr(levels_module, "SMALL_GROUP", small_group)
    model = MLP(3, [6, 5, 1], seed=4)
    tape = record(lambda a, b, c: (model([a, b, c]) - 0.25) ** 2, [0.1, 0.2, 0.3], model.parameters())
    graph = tape.graph
    groups: dict[tuple[int, object, int], int] = {}
    for n, op in enumerate(graph.ops):
        if op is not None:
            key = (graph.levels[n], op, len(graph.args(n)))
            groups[key] = groups.get(key, 0) + 1
    large = {key: size for key, size in groups.items() if size * key[2] >= small_group}
    if levels_module.LAYERS_ONLY:
        # Planned as layers and float steps: an MLP's layer is its dots at one level, and its activations (one
        # input each, as many as the layer's neurons, at the next level) a group of their own; unless the other
        # nodes number at least max(SMALL_GROUP // 2, 2) at some level, and then the graph is planned in groups.
        layers = {key[0]: size for key, size in large.items() if key[1] == "dot"}
        own = {key: size for key, size in large.items()
               if key[1] == "dot" or (key[2] == 1 and layers.get(key[0] - 1) == size)}
        others: dict[int, int] = {}
        for key, size in groups.items():
            if key not in own:
                others[key[0]] = others.get(key[0], 0) + size
        if max(others.values(), default=0) < max(small_group // 2, 2):
            large = own
    program = tape._program
    assert program.large_groups == len(large)
    assert program.float_nodes == tape.node_count - sum(large.values())
    assert tape.node_count == sum(op is not None for op in graph.ops)


def test_a_tape_with_more_links_than_the_limit_never_compiles_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.replay import tape as tape_module

    model = MLP(2, [4, 1], seed=3)
    tape = record(lambda a, b: (model([a, b]) - 0.5) ** 2, [0.1, 0.2], model.parameters())
    monkeypatch.setattr(Tape, "compile_seconds", lambda self: 0.0)
    monkeypatch.setattr(tape_module, "AUTO_COMPILE_MAX_LINKS", len(tape.graph.parents) - 1)
    for _ in range(3):
        tape.evaluate([0.3, -0.6])
    assert tape.strategy == "levels"
    monkeypatch.setattr(tape_module, "AUTO_COMPILE_MAX_LINKS", len(tape.graph.parents))
    tape.evaluate([0.3, -0.6])
    assert tape.strategy == "vectorized"


def test_the_compile_estimate_grows_with_the_graph_and_exceeds_a_run() -> None:
    # Not a timing: the estimate is a formula of the graph's shape, larger for a larger graph of the same kind.
    small, large = (MLP(2, [w, w, 1], seed=1) for w in (4, 16))
    tapes = [record(lambda a, b, m=m: (m([a, b]) - 0.5) ** 2, [0.1, 0.2], m.parameters()) for m in (small, large)]
    assert 0.0 < tapes[0].compile_seconds() < tapes[1].compile_seconds()


@pytest.mark.parametrize("seed", range(6))
def test_the_distinct_index_test_of_a_block_of_rows_agrees_with_a_set(seed: int) -> None:
    # A group's gradient is added with a fancy-index += only where no index repeats (else np.add.at): a layer's
    # weight block is shown distinct by its rows' ranges; overlapping or repeating rows must not pass as distinct.
    rng = np.random.default_rng(seed)
    blocks = [np.arange(12).reshape(3, 4)[::-1], np.array([[0, 1, 2, 30], [3, 4, 5, 31]]),
              np.array([[0, 1, 2], [2, 3, 4]]), np.array([[0, 5], [1, 6], [2, 7]]), np.array([[4, 3], [1, 0]])]
    blocks += [np.sort(rng.integers(0, 30, size=(4, 3)), axis=1) for _ in range(20)]
    for block in blocks:
        distinct = len(set(block.reshape(-1).tolist())) == block.size
        assert (levels_module._distinct_rows(block) or levels_module._distinct(block.reshape(-1))) == distinct
        if levels_module._distinct_rows(block):
            assert distinct
