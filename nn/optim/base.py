"""`Optimizer`: torch's parameter groups, the step counts, and the all-or-nothing step every optimizer shares.

A subclass validates its options (`_checked_options`) and computes, from the
gradients, every parameter's new value and its new state buffers for one
group (`_proposal`); `step` checks all of them are finite before assigning
any, so an update that would overflow leaves the model and the optimizer
exactly as they were and names the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from autograd import Value, enable_grad

from ..numbers_in_messages import short_repr
from .options import (
    GROUP_KEYS,
    flag,
    learning_rate,
    option_name,
    scheduler_entries,
)
from .saved_state import checked_state

#: What `_proposal` returns: every parameter's new ``.data`` and every buffer's new list.
Proposal = tuple[list[float], dict[str, list[float]]]


class StepOverflowError(OverflowError, ValueError):
    """A step refused because a new parameter value or optimizer state would not be finite.

    An OverflowError (what an overflowing float operation raises, so training
    loops that treat ArithmeticError as divergence keep doing so) and a
    ValueError (what `Optimizer.step` raises for a non-finite gradient).
    """


class MissingParamsError(KeyError, ValueError):
    """A parameter group without its ``'params'`` entry: torch's KeyError (``'params'``), and the ValueError it has
    always been here, so either ``except`` catches it."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""  # KeyError's own str would quote the sentence


class Optimizer:
    """Base class: parameter groups as torch's, per-parameter state, and the all-or-nothing step.

    ``param_groups`` is a list of dicts ``{'params': [Value, ...], 'lr': ...,
    <the optimizer's other hyperparameters>}``; ``defaults`` holds the
    constructor's hyperparameters, which fill what a group leaves out. As in
    torch, changing ``opt.param_groups[i]['lr']`` (or any other option) takes
    effect on the next `step` (the options are checked again there, so a typo
    or a negative number is an error, not a silent NaN). Parameters are added
    with `add_param_group`; a group's ``'params'`` list must not be edited in
    place (the optimizer keeps each parameter's state by position).

    State (momentum buffers, moments, sums of squares) is kept as one flat
    list of floats per buffer, in the order of the groups' parameters, so
    ``state_dict()`` is plain JSON-ready data. Each parameter counts its own
    steps, as torch's: a parameter whose gradient is None is skipped (neither
    it nor its state moves, and its count does not advance), and a group
    added after some training starts its bias corrections and first-step
    rules afresh.
    """

    # Buffers that hold sums of squares: a negative entry in a loaded file
    # would make the next step take the square root of a negative number.
    _nonnegative_buffers: frozenset[str] = frozenset()
    # Buffers a saved state may leave out (they load as zeros), e.g. AMSGrad's running maximum.
    _optional_buffers: frozenset[str] = frozenset()

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]] | Iterable[dict[str, Any]],
        defaults: dict[str, Any],
    ) -> None:
        """Optimize ``params`` with hyperparameters ``defaults`` (checked by `_checked_options`).

        ``params`` is, as in torch, either a list of Values (or of ``(name, Value)``
        pairs, ``model.named_parameters()``: errors then name a parameter by that
        name, else by its label, and always by its index), or a list of group
        dicts ``{'params': [...], 'lr': 0.1, ...}`` whose missing options are
        taken from ``defaults``. A Value listed twice is an error (it would be
        stepped twice; in two groups torch raises too).
        """
        self.defaults: dict[str, Any] = self._checked_options(dict(defaults), "")
        self.param_groups: list[dict[str, Any]] = []
        self.params: list[Value] = []
        self.names: list[str] = []
        self.steps = 0
        # Each parameter's own step count, as torch's state['step']: bias corrections and lr_decay use it.
        self._param_steps: list[int] = []
        # Each group's Values as added: a 'params' list edited by hand is caught (Values compare by identity).
        self._group_params: list[list[Value]] = []
        # parameter -> its index in self.params, kept as groups are added: checking a new group against
        # a map rebuilt from every parameter made 20,000 add_param_group calls take ~76 s. Keyed by the Values
        # themselves (they hash by identity), not id(): a copied or unpickled optimizer's map then holds its own
        # copies (an id map still named the originals, and a parameter could be added twice).
        self._position_of: dict[Value, int] = {}
        if isinstance(params, (Value, dict, str, bytes)):
            raise TypeError("optimizer params must be an iterable of Values or of parameter-group dicts, "
                            f"got {type(params).__name__}")
        try:
            items: list[Any] = list(params)
        except TypeError:
            raise TypeError("optimizer params must be an iterable of Values or of parameter-group dicts, "
                            f"got {type(params).__name__}") from None
        if not items:
            raise ValueError("optimizer got an empty parameter list")
        groups = items if isinstance(items[0], dict) else [{"params": items}]
        for group in groups:
            self.add_param_group(group)

    def _refuse_non_finite_data(self, skipped: list[int]) -> None:
        """ValueError if a parameter that would step holds inf or NaN already (``p.data = nan`` by hand: a Value
        refuses NaN when made, not when assigned). Called only once a step came out non-finite: it was refused
        as an overflow, "lower the learning rate", which no learning rate cures."""
        left_out = set(skipped)  # their data is not stepped (as torch): a NaN there is theirs to keep
        for i, p in enumerate(self.params):
            d = p.data
            if i not in left_out and d - d != 0.0:
                raise ValueError(f"{self.describe(i)} holds {d!r}, not a finite number, so no step can move it (set "
                                 "by hand? a Value refuses NaN and inf when made, not when assigned); nothing changed")

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (missing ones from ``defaults``), as torch's.

        Useful to start training layers that were frozen. TypeError for a
        non-dict or a non-Value parameter; ValueError for a missing
        ``'params'``, an unknown option, a bad option value, or a Value that
        is already in this optimizer.
        """
        where = f"param_groups[{len(self.param_groups)}]"
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__} {short_repr(param_group)}")
        if "params" not in param_group:
            raise MissingParamsError(f"{where} has no 'params' entry (a parameter group is {{'params': [...], "
                                     "'lr': ...})")
        self._check_keys(param_group, where)
        values, names, named = self._group_values(param_group["params"], where)
        # Every group added was checked against the first, so the first stands for them all (O(1) per group).
        if named and self.param_groups and "param_names" not in self.param_groups[0]:
            raise ValueError("all optimizer param groups should be with/without names: "
                             f"{where} has names and an earlier group does not")
        if not named and self.param_groups and "param_names" in self.param_groups[0]:
            raise ValueError("all optimizer param groups should be with/without names: "
                             f"{where} has none and an earlier group does")
        added = self._positions()
        new: dict[Value, int] = {}
        for i, p in enumerate(values, start=len(self.params)):
            earlier = added.get(p)
            if earlier is not None:
                raise ValueError(f"some parameters appear in more than one parameter group: {where}'s parameter "
                                 f"{i - len(self.params)} is optimizer parameter {earlier} already")
            earlier = new.get(p)
            if earlier is not None:
                raise ValueError(f"optimizer parameter {i} is the same Value as parameter {earlier}: "
                                 "it would be stepped twice (pass each Value once)")
            new[p] = i
        options = {k: param_group.get(k, v) for k, v in self._defaults_for(param_group).items()}
        group: dict[str, Any] = {"params": values, **self._checked_options(options, where)}
        if named:
            group["param_names"] = names
        group.update(scheduler_entries(param_group, where))
        for name, initial in self._initial_buffers(group, len(values)).items():
            self._buffers()[name].extend(initial)
        self.params.extend(values)
        self._position_of.update(new)
        self.names.extend(names)
        self.param_groups.append(group)
        self._param_steps.extend([0] * len(values))
        self._group_params.append(list(values))

    def _positions(self) -> dict[Value, int]:
        """parameter -> index in ``self.params``; rebuilt only if ``self.params`` was changed by hand."""
        position_of = getattr(self, "_position_of", None)  # an optimizer pickled before the map existed
        if position_of is None or len(position_of) != len(self.params):
            self._position_of = position_of = {p: i for i, p in enumerate(self.params)}
        return position_of

    def _group_values(self, raw: Any, where: str) -> tuple[list[Value], list[str], bool]:
        """A group's ``'params'`` as Values, their names, and whether they were given names."""
        if isinstance(raw, Value):
            raw = [raw]
        elif isinstance(raw, (set, frozenset)):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of Values in sets changes between runs: use a list")
        elif isinstance(raw, (dict, str, bytes)):
            raise TypeError(f"{where}['params'] must be a list of Values, got {type(raw).__name__}")
        try:
            items = list(raw)
        except TypeError:
            raise TypeError(f"{where}['params'] must be a list of Values, got {type(raw).__name__}") from None
        values: list[Value] = []
        names: list[str] = []
        named = 0
        for i, item in enumerate(items, start=len(self.params)):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                names.append(item[0])
                item = item[1]
                named += 1
            else:
                names.append(getattr(item, "label", "") if isinstance(item, Value) else "")
            if isinstance(item, dict):
                raise TypeError(f"optimizer parameter {i} is a dict: pass a list of Values, or a list of parameter "
                                "groups ([{'params': [...], 'lr': ...}, ...]), not both in one list")
            if not isinstance(item, Value):
                raise TypeError(f"optimizer parameters must be autograd Values, got {type(item).__name__} at index {i}")
            if item.is_constant:  # shared by every graph using the number: its step raised halfway through step()
                raise ValueError(f"optimizer parameter {i} is the engine's constant {item.data!r} (shared by every "
                                 "graph that uses this number): make a Value(...) leaf to train it")
            if not item.is_leaf:  # stepping it moves a computed number, not the weights it came from (torch refuses)
                raise ValueError(f"can't optimize a non-leaf Value: optimizer parameter {i} is not a leaf (the "
                                 f"{item.op.name if item.op else ''} node {short_repr(item)}); pass the weights it was "
                                 "computed from")
            values.append(item)
        if 0 < named < len(values):
            raise ValueError("all optimizer params should be with/without names: some param names are missing "
                             f"in {where}")
        return values, names, named > 0

    def _check_keys(self, group: dict[str, Any], where: str) -> None:
        """ValueError naming the first key of ``group`` that is neither an option of this optimizer nor structural."""
        for key in group:
            if key not in self.defaults and key not in GROUP_KEYS:
                raise ValueError(f"{where} has unknown option {short_repr(key)}: {type(self).__name__} takes "
                                 f"{', '.join(sorted(self.defaults))} (and 'params')")

    def _defaults_for(self, param_group: dict[str, Any]) -> dict[str, Any]:
        """The options that fill what ``param_group`` leaves out (a subclass may derive some from the group's)."""
        return self.defaults

    def _checked_options(self, options: dict[str, Any], where: str) -> dict[str, Any]:
        """``options`` (every hyperparameter) validated and normalised, or an error naming the bad one.

        Subclasses extend this for their own options; ``where`` names the group
        (empty for the constructor's arguments).
        """
        checked = dict(options)
        checked["lr"] = learning_rate(options["lr"], option_name(where, "learning rate"))
        return checked

    def _initial_buffers(self, group: dict[str, Any], count: int) -> dict[str, list[float]]:
        """Every buffer's starting values for ``count`` new parameters of ``group`` (zeros unless overridden)."""
        return {name: [0.0] * count for name in self._buffers()}

    @property
    def lr(self) -> float:
        """The first group's learning rate; setting it sets every group's (torch users write ``param_groups``)."""
        value: float = self.param_groups[0]["lr"]
        return value

    @lr.setter
    def lr(self, value: float) -> None:
        checked = learning_rate(value)
        for group in self.param_groups:
            group["lr"] = checked

    @property
    def state(self) -> dict[Value, dict[str, float]]:
        """torch's ``optimizer.state`` as a snapshot: ``{parameter: {torch's buffer name: number}}``.

        The names and the moments they appear are torch's (``momentum_buffer``
        for SGD with momentum; ``step``, ``exp_avg``, ``exp_avg_sq`` and, with
        AMSGrad, ``max_exp_avg_sq`` for Adam after a first step; ``step`` and
        ``sum`` for Adagrad). A new dict of floats each time: writing into it
        changes nothing (the live state is in the buffers; see `state_dict`).
        """
        snapshot: dict[Value, dict[str, float]] = {}
        start = 0
        for group in self.param_groups:
            for i, p in enumerate(group["params"], start=start):
                snapshot[p] = self._torch_state(group, i, self._param_steps[i])
            start += len(group["params"])
        return snapshot

    @property
    def _group_steps(self) -> list[int]:
        """Per group, the most steps any of its parameters has taken (0 for an empty group): ``group_steps``
        in `state_dict`, as written before the counts were per parameter."""
        counts: list[int] = []
        start = 0
        for group in self.param_groups:
            stop = start + len(group["params"])
            counts.append(max(self._param_steps[start:stop], default=0))
            start = stop
        return counts

    def _torch_state(self, group: dict[str, Any], i: int, steps: int) -> dict[str, float]:
        """Parameter ``i``'s entry of `state` under torch's names (in group ``group``, it has taken ``steps`` steps)."""
        return {}

    def __repr__(self) -> str:
        """``Adam(lr=0.001, betas=(0.9, 0.999), ...)``: the first group's options, and how many groups there are."""
        options = {k: v for k, v in self.param_groups[0].items() if k in self.defaults} if self.param_groups else {}
        more = f", {len(self.param_groups)} groups" if len(self.param_groups) > 1 else ""
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in options.items())}{more})"

    def describe(self, i: int) -> str:
        """Parameter ``i`` for an error message: its index, and its name when it has one."""
        return f"optimizer parameter {i} ({self.names[i]!r})" if self.names[i] else f"optimizer parameter {i}"

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's gradient to 0.0.

        ``set_to_none`` is accepted for code written for torch, where it frees
        the gradient tensors; a `Value`'s gradient is never None here
        (micrograd's convention: ``.grad`` is a number, 0.0 when nothing has
        flowed, and ``backward`` adds to it), so either way it becomes 0.0.
        """
        flag("set_to_none", set_to_none)
        for p in self.params:
            p.grad = 0.0

    def _checked_groups(self) -> list[tuple[dict[str, Any], int, int]]:
        """Every group's options as they are now (checked), with the slice of ``params`` it owns."""
        if len(self.param_groups) != len(self._group_params):
            raise ValueError(f"optimizer has {len(self.param_groups)} parameter groups but {len(self._group_params)} "
                             "were added: add groups with add_param_group, not by editing param_groups")
        plans: list[tuple[dict[str, Any], int, int]] = []
        start = 0
        for i, (group, added) in enumerate(zip(self.param_groups, self._group_params)):
            where = f"param_groups[{i}]"
            if not isinstance(group, dict) or "params" not in group:
                raise ValueError(f"{where} is no longer a parameter group dict with 'params'")
            self._check_keys(group, where)
            params = group["params"]
            if not isinstance(params, list) or params != added:
                raise ValueError(f"{where}['params'] was changed in place: the optimizer keeps each parameter's state "
                                 "by position, so add parameters with add_param_group")
            options = self._checked_options({k: group.get(k, v) for k, v in self.defaults.items()}, where)
            plans.append((options, start, start + len(added)))
            start += len(added)
        return plans

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update from the current gradients with each group's current options; all-or-nothing.

        As torch's: ``closure`` (optional) re-evaluates the model and returns
        the loss; it is called first, with graph recording on (`enable_grad`,
        even inside a `no_grad` block), and its return value is what `step`
        returns (None without a closure). The closure usually zeroes the
        gradients and calls ``loss.backward()``, so the step uses the gradients
        it leaves.

        A gradient left as a `Value` by ``backward(create_graph=True)`` is used by
        its number, as PyTorch's optimizers use a gradient that has a ``grad_fn``.
        Raises ValueError naming the first parameter whose gradient is not a
        finite number (or the group whose options are bad), or
        `StepOverflowError` (a ValueError and an OverflowError) naming the first
        parameter whose new optimizer state (momentum buffer, moments, sum of
        squares) or new value would not be finite; nothing changes then, not
        even the step count.
        """
        if closure is not None and not callable(closure):
            raise TypeError(f"closure must be a function returning the loss, got {type(closure).__name__} "
                            f"{short_repr(closure)}")
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._take_step()
        return loss

    def _take_step(self) -> None:
        """The update itself (see `step`): check the gradients and options, propose, check, assign.

        A parameter whose gradient is None (``p.grad = None``, torch's habit) is skipped as torch skips it:
        neither it nor its state moves and its own step count stays, so its later updates are torch's.
        """
        plans = self._checked_groups()
        grads: list[float] = []
        skipped: list[int] = []
        for i, p in enumerate(self.params):
            g: Any = p.grad
            if isinstance(g, Value):
                g = g.data
            if g is None:
                skipped.append(i)
                grads.append(0.0)
                continue
            if isinstance(g, bool) or not (isinstance(g, (int, float)) and g - g == 0.0):
                raise ValueError(f"{self.describe(i)} has gradient {short_repr(g)}: not a finite number")
            try:
                grads.append(float(g))
            except OverflowError:  # an int past the largest float (its g - g is 0)
                raise ValueError(f"{self.describe(i)} has gradient {short_repr(g)}: not a finite number") from None
            except Exception as err:  # a float subclass whose __float__ fails: the type's own error named nothing
                raise TypeError(f"{self.describe(i)} has gradient {short_repr(g)}: float() of its "
                                f"{type(g).__name__} failed ({type(err).__name__}: {err})") from err
        numbers = [done + 1 for done in self._param_steps]  # each parameter's step number, from 1
        if len(plans) == 1:  # the usual case: no copying of lists
            options, start, stop = plans[0]
            new_data, new_buffers = self._proposal(options, start, stop, grads, numbers)
        else:
            new_data = []
            new_buffers = {name: [] for name in self._buffers()}
            for options, start, stop in plans:
                data, buffers = self._proposal(options, start, stop, grads[start:stop], numbers[start:stop])
                new_data += data
                for name, values in buffers.items():
                    new_buffers[name] += values
        buffers = self._buffers()
        for i in skipped:  # as torch: neither the parameter nor its state moves
            new_data[i] = 0.0  # checked below as a finite stand-in: its own NaN, set by hand, blocks no step
            for name, values in new_buffers.items():
                values[i] = buffers[name][i]
        for name, values in new_buffers.items():
            bad = _first_not_finite(values)
            if bad is not None:
                self._refuse_non_finite_data(skipped)  # named as such, not as an overflow of this step
                raise StepOverflowError(
                    f"{self.describe(bad)}: this step would make {type(self).__name__}'s {short_repr(name)} "
                    f"{short_repr(values[bad])} "
                    "(not finite; the step is refused and nothing changed)"
                )
        bad = _first_not_finite(new_data)
        if bad is not None:
            self._refuse_non_finite_data(skipped)
            raise StepOverflowError(
                f"{self.describe(bad)}: this step would set it to {short_repr(new_data[bad])} from "
                f"{self.params[bad].data!r} "
                "(not finite; the step is refused and nothing changed: lower the learning rate)"
            )
        for i in skipped:
            new_data[i] = self.params[i].data  # written back unchanged
        for name, values in new_buffers.items():
            buffers[name][:] = values
        for p, v in zip(self.params, new_data):
            p.data = v
        if skipped:
            for i in skipped:
                numbers[i] -= 1
        self._param_steps = numbers
        self._stepped(plans, skipped)
        self.steps += 1

    def _stepped(self, plans: list[tuple[dict[str, Any], int, int]], skipped: list[int]) -> None:
        """Called after a step is applied (``skipped``: the parameters whose gradient was None); for subclasses."""

    def _proposal(self, options: dict[str, Any], start: int, stop: int, grads: list[float],
                  steps: list[int]) -> Proposal:
        """New values and buffers for parameters ``start:stop`` (one group, its ``options``), changing nothing.

        ``steps`` are the slice's own step numbers (from 1; torch's ``state['step']`` after its increment),
        ``grads`` its gradients. A skipped parameter's entries are computed too and then thrown away.
        """
        raise NotImplementedError

    def _buffers(self) -> dict[str, list[float]]:
        """Every state buffer by name: one float per parameter, in ``params`` order."""
        return {}

    def _saved_buffers(self) -> dict[str, list[float]]:
        """The buffers `state_dict` writes (a subclass may leave out ones its options do not use)."""
        return self._buffers()

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's settings and state as JSON-ready plain data (copies, never the live lists).

        ``param_groups`` holds each group's options with ``'params'`` as
        indices into the flat parameter order (torch's layout); ``lr`` (the
        first group's) and ``steps`` are kept as before groups existed.
        """
        groups: list[dict[str, Any]] = []
        start = 0
        for group in self.param_groups:
            packed = {k: (list(v) if isinstance(v, list) else v) for k, v in group.items() if k != "params"}
            packed["params"] = list(range(start, start + len(group["params"])))
            start += len(group["params"])
            groups.append(packed)
        return {
            "type": type(self).__name__,
            "lr": self.lr,
            "steps": self.steps,
            "buffers": {name: list(values) for name, values in self._saved_buffers().items()},
            "param_groups": groups,
            "group_steps": self._group_steps,
            "param_steps": list(self._param_steps),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict()` output; all-or-nothing, ValueError naming the bad entry.

        A state written before parameter groups existed (no ``param_groups``, no ``group_steps``) still loads:
        its ``lr`` is given to every group; one written before step counts were per parameter (no
        ``param_steps``) gives each parameter its group's count. Something that is not a dict is a TypeError
        naming it (torch fails inside with an AttributeError); an unknown entry, a missing ``lr``, ``steps`` or
        ``param_groups``, or a group without its ``lr`` is a ValueError naming it.
        """
        if not isinstance(state, dict):
            raise TypeError(f"optimizer state must be a dict (from state_dict()), got {type(state).__name__}")
        self._checked_state(state)()

    def _checked_state(self, state: Any, where: str = "optimizer state") -> Callable[[], None]:
        """Validate ``state`` without changing anything; return the function that applies it (see `saved_state`).

        A loader validates the model's and the optimizer's entries first and
        applies both only when all are good.
        """
        return checked_state(self, state, where)


def _first_not_finite(values: list[float]) -> int | None:
    """The index of the first inf or NaN in ``values``, or None.

    One C-speed ``sum`` first: it is finite when every value is (a sum of
    finite values can still overflow, so a non-finite sum only starts the scan).
    """
    total = sum(values)
    if total - total == 0.0:
        return None
    for i, v in enumerate(values):
        if v - v != 0.0:
            return i
    return None
