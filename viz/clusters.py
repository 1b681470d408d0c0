"""Grouping graph nodes into clusters: by module (layer / neuron) or by time step.

`draw_graph(groups=...)` takes a mapping node -> path such as
"layers.1/neurons.0"; these helpers build it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from autograd import Value, topological_order

from .arguments import check_root, shown


def groups_from_parameters(root: Value, named_parameters: Iterable[tuple[str, Value]]) -> dict[Value, str]:
    """Cluster each node with the module whose parameters it reads.

    ``named_parameters`` is a module's ``named_parameters()`` (any object that
    yields (name, Value) pairs). A parameter's group is its module path
    ("layers.0.neurons.1.w.2" -> "layer 1/neuron 2",
    counted from 1 as the slides count); an op node that reads
    parameters of one group joins it; a one-input op (an activation) joins its
    input's group. Other nodes (losses, sums across groups) stay outside.
    """
    check_root("groups_from_parameters", root)
    if isinstance(named_parameters, (str, bytes, Value)) or not isinstance(named_parameters, Iterable):
        raise TypeError("groups_from_parameters takes a module's named_parameters() ((name, Value) pairs), got "
                        f"{type(named_parameters).__name__} {shown(named_parameters)}")  # was "not iterable"
    groups: dict[Value, str] = {}
    for entry in named_parameters:
        # A bare Value list (parameters() for named_parameters()) or a name that is not a str failed deep
        # below as "cannot unpack" or "'int' object has no attribute 'split'".
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str)
                and isinstance(entry[1], Value)):
            raise TypeError("groups_from_parameters takes (name, Value) pairs, as named_parameters() yields, got "
                            f"{type(entry).__name__} {shown(entry)}")
        name, p = entry
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
    if not isinstance(prefix, str):
        raise TypeError(f"groups_by_time_step: prefix must be a str, got {type(prefix).__name__} {shown(prefix)}")
    if isinstance(steps, (str, bytes, Value)) or not isinstance(steps, Iterable):
        raise TypeError(f"groups_by_time_step takes a sequence of steps (each an iterable of Values), got "
                        f"{type(steps).__name__} {shown(steps)}")
    groups: dict[Value, str] = {}
    for t, outputs in enumerate(steps, start=1):
        if isinstance(outputs, (str, bytes, Value)) or not isinstance(outputs, Iterable):
            raise TypeError(f"groups_by_time_step: step {t} must be an iterable of the Values it produced, got "
                            f"{type(outputs).__name__} {shown(outputs)}")
        outputs = list(outputs)
        for v in outputs:
            if not isinstance(v, Value):
                raise TypeError(f"groups_by_time_step: step {t} holds {type(v).__name__} {shown(v)}, not a Value")
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
