"""Grouping graph nodes into clusters: by module (layer / neuron) or by time step.

`draw_graph(groups=...)` takes a mapping node -> path such as
"layers.1/neurons.0"; these helpers build it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from autograd import Value, topological_order


def groups_from_parameters(root: Value, named_parameters: Iterable[tuple[str, Value]]) -> dict[Value, str]:
    """Cluster each node with the module whose parameters it reads.

    ``named_parameters`` is a module's ``named_parameters()`` (any object that
    yields (name, Value) pairs). A parameter's group is its module path
    ("layers.0.neurons.1.w.2" -> "layer 1/neuron 2",
    counted from 1 as the slides count); an op node that reads
    parameters of one group joins it; a one-input op (an activation) joins its
    input's group. Other nodes (losses, sums across groups) stay outside.
    """
    groups: dict[Value, str] = {}
    for name, p in named_parameters:
        groups[p] = _module_path(name)
    for v in topological_order(root):
        if v in groups or v.is_leaf:
            continue
        parents = v.parents
        from_params = {groups[p] for p in parents if p.is_leaf and p in groups}
        if len(from_params) == 1:
            groups[v] = from_params.pop()
        elif len(parents) == 1 and parents[0] in groups and not parents[0].is_leaf:
            groups[v] = groups[parents[0]]
    return groups


def groups_by_time_step(steps: Sequence[Iterable[Value]], prefix: str = "t=") -> dict[Value, str]:
    """Cluster an unrolled sequence: step t holds the nodes first needed by its outputs.

    ``steps[t]`` are the values step t produced (its hidden state, logits,
    loss term). Each interior node goes to the earliest step whose outputs
    depend on it; leaves (shared parameters, inputs) stay outside the clusters.
    """
    groups: dict[Value, str] = {}
    for t, outputs in enumerate(steps, start=1):
        stack = [v for v in outputs if v not in groups and not v.is_leaf]
        while stack:
            v = stack.pop()
            if v in groups:
                continue
            groups[v] = f"{prefix}{t}"
            stack.extend(p for p in v.parents if p not in groups and not p.is_leaf)
    return groups


def _module_path(parameter_name: str) -> str:
    parts = parameter_name.split(".")
    # Drop the parameter's own attribute and its indices: keep the modules holding it.
    while len(parts) > 1 and parts[-1].isdigit():
        parts.pop()
    if len(parts) > 1:
        parts.pop()
    names = []
    i = 0
    while i < len(parts):
        if i + 1 < len(parts) and parts[i + 1].isdigit():
            # "layers.0" reads as the slides count: "layer 1".
            singular = parts[i][:-1] if parts[i].endswith("s") else parts[i]
            names.append(f"{singular} {int(parts[i + 1]) + 1}")
            i += 2
        else:
            names.append(parts[i])
            i += 1
    return "/".join(names)
