"""Generated code rolled into loops where it repeats: a recurrent model's time steps as one ``for`` loop.

A vectorized tape of a recurrent model (`codegen`) repeats the same few array
lines once per time step, forward and backward, differing only in variable
names and numbers (which weight column the input character picks, the
target's row). `roll_loops` finds runs of lines that repeat with a period
``p`` (identical once every name's and number's digits are ignored) and
writes each run as ``for _t in range(k):`` over one copy of the lines:

* every value a line defines becomes a loop variable (``_L3``): a value the
  next step reads (the recurrent state, a gradient flowing back) is simply
  that variable, still holding the previous step's value when read, and its
  first step's value is copied into it before the loop;
* what differs per step and comes from before the loop (a number, a table's
  name, a value defined earlier) is looked up in a per-step tuple (``_K2``);
* a value that code after the loop reads is saved per step (``_S3``) and
  read back as ``_S3[j]``, or ``_S3[c - _t]`` from a later loop.

The loop body runs the very statements the unrolled code ran, in the same
order, on the same objects: the results are bit-identical. The analysis
follows every name to the line that defined it (the code is straight-line,
so the reaching definition is the latest assignment), and refuses (leaves
unrolled) any run it cannot express that way. It needs the generator's few
line forms (``a = ...``, ``a, b, = ...``, ``g += ...`` on floats, calls,
``if ...: call``, subscript updates) and its naming: every name it may roll
has a digit (``v12``, ``Y3``, ``G40``), names without one (``P``,
``summed``) are never reassigned inside a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A run is rolled only if the loop saves at least this many lines (period times repeats less one): a
#: shorter loop's set-up (tables, saved lists) would cost about what it saves.
MIN_SAVED_LINES = 12
#: The longest period looked for, in lines (a time step of a wide LSTM is a few dozen).
MAX_PERIOD = 2000
#: How many candidate periods (next occurrences of a line's shape) are tried from one line.
CANDIDATES = 6
#: The most lines the search may compare or check, per line of the body, in all.
WORK_PER_LINE = 40

# A name with a digit (a variable or table of generated code), a number, or a string literal (skipped).
_TOKEN = re.compile(r"'[^']*'|(?<![\w.])(?:([A-Za-z_]+\d\w*)|(\d+(?:\.\d*)?(?:e[-+]?\d+)?))")
_HAS_DIGIT = re.compile(r"\d")
_DIGIT_CHARS = "0123456789"
_DIGITS = re.compile(r"\d+")
_TARGETS = re.compile(r"^    ((?:[A-Za-z_]\w*, )*[A-Za-z_]\w*,?) (\+?)= ")
_OTHER_AUGMENTED = re.compile(r"^    [A-Za-z_]\w* [-*/%@&|^<>]+= ")

_DEF, _READ, _NUM = 0, 1, 2


@dataclass
class _Line:
    text: str
    shape: str  # the text with every hole's digits replaced: equal shapes can share one loop body
    holes: list[tuple[int, int, int, int]]  # (start, end, kind, def id for _DEF and _READ else -1)
    augmented: bool = False  # ``name += ...``
    opaque: bool = False  # a form the analysis does not know: never rolled


@dataclass
class _Region:
    start: int
    period: int
    count: int
    var_of_slot: dict[tuple[int, int], int] = field(default_factory=dict)  # (offset, hole) of a def -> var


class _Function:
    """One generated function's body, analysed: each line's holes and each read's defining line."""

    def __init__(self, body: list[str]) -> None:
        self.lines: list[_Line] = []
        self.def_line: list[int] = []  # per def id, its line
        self.def_slot: list[tuple[int, int]] = []  # per def id, (line, hole index)
        self.reads_of: list[list[int]] = []  # per def id, the lines reading it
        self.augmented_old: dict[int, int] = {}  # per ``name += ...`` line, the def of the name it updates
        self.in_place: set[int] = set()  # defs a ``name += ...`` of a name not a float gradient's updates
        latest: dict[str, int] = {}
        forms: dict[str, _Form] = {}  # by the line with its digits replaced: what does not depend on the digits
        for number, text in enumerate(body):
            key = _DIGITS.sub("#", text)
            form = forms.get(key)
            if form is None:
                form = _form(text)
                if form.keyed:
                    forms[key] = form
            self.lines.append(self._analyse(number, text, form, latest))

    def _analyse(self, number: int, text: str, form: _Form, latest: dict[str, int]) -> _Line:
        """Line ``number``'s holes: its defs numbered, each read resolved to the latest def of its name."""
        holes: list[tuple[int, int, int, int]] = []
        defined: list[tuple[str, int]] = []
        def_line, def_slot, reads_of, get = self.def_line, self.def_slot, self.reads_of, latest.get
        for m, kind in zip(_TOKEN.finditer(text), form.kinds):
            if kind < 0:
                continue  # a string literal
            start, end = m.span()
            if kind == _NUM:
                holes.append((start, end, _NUM, -1))
            elif kind == _DEF:
                ref = len(def_line)
                def_line.append(number)
                def_slot.append((number, len(holes)))
                reads_of.append([])
                defined.append((m.group(1), ref))
                holes.append((start, end, _DEF, ref))
            else:
                ref = get(m.group(1), -1)
                if ref >= 0:
                    reads_of[ref].append(number)
                holes.append((start, end, _READ, ref))
        opaque = form.opaque
        if form.augmented:  # ``g += x`` reads the old g: the def hole also reads the previous def
            old = get(defined[0][0], -1) if defined else -1  # a name without a digit (``summed``): never rolled
            if old < 0:
                opaque = True
            else:
                reads_of[old].append(number)
                self.augmented_old[number] = old
                if not form.float_gradient:  # may update an array in place: never ``new = old + ...``
                    self.in_place.add(old)
        for token, ref in defined:  # bound after the whole line is read
            latest[token] = ref
        return _Line(text, form.shape, holes, form.augmented, opaque)


@dataclass
class _Form:
    """What a line's analysis does not owe to its digits: shared by the lines equal once digits are replaced
    (most lines of a tape: one per op and step), so each distinct form is worked out once."""

    shape: str
    kinds: tuple[int, ...]  # per `_TOKEN` match: _DEF, _READ, _NUM, or -1 for a string literal
    augmented: bool
    opaque: bool
    float_gradient: bool  # a ``g... +=`` line: a float gradient, never an array updated in place
    keyed: bool  # every digit of the line is in a hole: any line with the same digits replaced has this form


def _form(text: str) -> _Form:
    targets_match = _TARGETS.match(text)
    targets: set[str] = set()
    target_end = 0
    if targets_match:
        targets = {t for t in targets_match.group(1).replace(",", " ").split()}
        target_end = targets_match.end(1)
    opaque = bool(_OTHER_AUGMENTED.match(text)) or not text.startswith("    ") or text.startswith("     ")
    if any(not _HAS_DIGIT.search(t) for t in targets):
        opaque = True  # a name without a digit assigned: not ours to rename
    kinds: list[int] = []
    shape: list[str] = []
    last = 0
    for m in _TOKEN.finditer(text):
        name, number_text = m.groups()
        if name is None and number_text is None:
            kinds.append(-1)  # a string literal: part of the text around the holes
            continue
        start, end = m.span()
        shape.append(text[last:start])
        last = end
        if number_text is not None:
            shape.append("#")
            kinds.append(_NUM)
            continue
        stem = name.rstrip(_DIGIT_CHARS)  # generated names end in their only digits: v12, gv5, MW1
        shape.append(stem + "#" if not _HAS_DIGIT.search(stem) else _DIGITS.sub("#", name))
        kinds.append(_DEF if end <= target_end and name in targets else _READ)
    shape.append(text[last:])
    augmented = bool(targets_match and targets_match.group(2))
    # A digit outside the holes (in a string literal, an attribute) or a ``#`` of its own: lines differing there
    # would share the form's shape although their texts differ, so such a line gets a form of its own.
    text_around = "".join(shape)
    keyed = not _HAS_DIGIT.search(text_around) and "#" not in text
    return _Form(text_around, tuple(kinds), augmented, opaque, text.startswith("    g"), keyed)


def roll_loops(text: str) -> str:
    """``text`` (generated functions: ``def`` lines, bodies indented by four spaces) with repeated runs rolled."""
    out: list[str] = []
    lines = text.splitlines()
    k = 0
    counter = [0]
    while k < len(lines):
        if not lines[k].startswith("def "):
            out.append(lines[k])
            k += 1
            continue
        out.append(lines[k])
        end = k + 1
        while end < len(lines) and not lines[end].startswith("def "):
            end += 1
        out.extend(_roll_body(lines[k + 1: end], counter))
        k = end
    return "\n".join(out) + "\n"


def _roll_body(body: list[str], counter: list[int]) -> list[str]:
    fn = _Function(body)
    regions = _find_regions(fn)
    if not regions:
        return body
    return _Writer(fn, regions, counter).write()


def _find_regions(fn: _Function) -> list[_Region]:
    """Runs of whole repeats, found greedily from the top, each checked (`_plan`) before it is taken.

    The work is bounded: comparing candidate periods and checking runs may touch at most `WORK_PER_LINE`
    lines per line of the body in all, after which the rest stays as it is (rolling is an optimisation:
    code that repeats in ways the analysis refuses must not make compiling quadratic).
    """
    ids: list[int] = []
    by_shape: dict[str, int] = {}
    for line in fn.lines:
        ids.append(by_shape.setdefault(line.shape, len(by_shape)) if not line.opaque else -1 - len(ids))
    n = len(ids)
    following = [-1] * n  # the next line of the same shape
    seen: dict[int, int] = {}
    for i in range(n - 1, -1, -1):
        following[i] = seen.get(ids[i], -1)
        seen[ids[i]] = i
    budget = WORK_PER_LINE * n
    regions: list[_Region] = []
    i = 0
    while i < n and budget > 0:
        options: list[tuple[int, int, int]] = []
        q, tries = following[i], 0
        while q >= 0 and q - i <= MAX_PERIOD and tries < CANDIDATES:
            p = q - i
            count = 1
            while i + (count + 1) * p <= n and ids[i + count * p + p // 2] == ids[i + p // 2] \
                    and ids[i + count * p + p - 1] == ids[i + p - 1]:
                budget -= p
                if ids[i + count * p: i + (count + 1) * p] != ids[i: i + p]:
                    break
                count += 1
            if count >= 2 and p * (count - 1) >= MIN_SAVED_LINES:
                options.append((p * count, -p, count))
            q, tries = following[q], tries + 1
        taken = None
        for _, minus_p, most in sorted(options, reverse=True):  # most lines covered, then the shortest period
            p = -minus_p
            for count in dict.fromkeys((most, most - 1, most // 2, 2)):  # a few lengths, not every one
                if count < 2 or p * (count - 1) < MIN_SAVED_LINES:
                    continue
                budget -= p * count
                region = _Region(i, p, count)
                if _plan(fn, region):
                    taken = region
                    break
            if taken or budget <= 0:
                break
        if taken:
            regions.append(taken)
            i += taken.period * taken.count
        else:
            i += 1
    return regions


def _plan(fn: _Function, region: _Region) -> bool:
    """Whether ``region`` can be a loop; if so, fill its def slots' loop variables (numbered later)."""
    start, p, count = region.start, region.period, region.count
    # Def slots: (offset, hole). A ``+=`` def continues the variable of the def it updates in the same step.
    var_of: dict[tuple[int, int], int] = {}
    first_offset: dict[int, int] = {}  # per variable, the offset of its earliest def in the body
    for offset in range(p):
        line = fn.lines[start + offset]
        for h, (_, _, kind, _) in enumerate(line.holes):
            if kind != _DEF:
                continue
            slot = (offset, h)
            if any(ref in fn.in_place for ref in _step_refs(fn, region, offset, h)):
                return False
            var = len(first_offset)
            if line.augmented:
                olds = [fn.augmented_old[start + j * p + offset] for j in range(count)]
                lines_old = [fn.def_line[o] for o in olds]
                if all(start + j * p <= lo < start + (j + 1) * p for j, lo in enumerate(lines_old)):
                    old_slots = {(fn.def_slot[o][0] - start - j * p, fn.def_slot[o][1]) for j, o in enumerate(olds)}
                    if len(old_slots) != 1:
                        return False
                    var = var_of[old_slots.pop()]
                elif not fn.lines[start + offset].text.lstrip().startswith("g"):
                    return False  # only a float gradient's += may become ``new = old + (...)``
            var_of[slot] = var
            first_offset.setdefault(var, offset)
    region.var_of_slot = var_of
    # Every read: the same step's def, the previous step's (a carried variable), or a value from before the loop.
    starts: dict[int, tuple[int, str]] = {}  # per carried variable, what its first step reads: (def, text)
    for offset in range(p):
        lines = [fn.lines[start + j * p + offset] for j in range(count)]
        first = lines[0]
        for h, (s, e, kind, _) in enumerate(first.holes):
            if kind == _READ and not _readable(fn, region, first_offset, [line.holes[h][3] for line in lines], offset,
                                               starts, first.text[s:e]):
                return False
        if first.augmented:
            olds = [fn.augmented_old[start + j * p + offset] for j in range(count)]
            target = first.holes[next(h for h, hole in enumerate(first.holes) if hole[2] == _DEF)]
            if not _readable(fn, region, first_offset, olds, offset, starts, first.text[target[0]: target[1]]):
                return False
    return True


def _step_refs(fn: _Function, region: _Region, offset: int, hole: int) -> list[int]:
    """The def ids of hole ``hole`` of body line ``offset``, one per step."""
    return [fn.lines[region.start + j * region.period + offset].holes[hole][3] for j in range(region.count)]


def _readable(fn: _Function, region: _Region, first_offset: dict[int, int], refs: list[int], offset: int,
              starts: dict[int, tuple[int, str]], text: str) -> bool:
    """Whether a loop body's read at ``offset``, reaching def ``refs[j]`` in step j, can be written: a value from
    before the loop (a constant, or a per-step table), this step's def, or the previous step's (carried).

    A carried variable starts from one value copied in before the loop, so every read of it must have the same
    first-step value (``starts``: per variable, the first read's def and its text ``text``, noted here)."""
    start, p, count = region.start, region.period, region.count
    kinds = [_where(fn, ref, start, start + p * count, p) for ref in refs]
    if all(w[0] == "before" for w in kinds):
        return True
    if any(w[0] == "before" for w in kinds[1:]):
        return False
    slots = {(w[2], w[3]) for w in kinds if w[0] == "in"}
    lags = {j - w[1] for j, w in enumerate(kinds) if w[0] == "in"}
    if len(slots) != 1 or len(lags) != 1:
        return False
    slot = slots.pop()
    var = region.var_of_slot.get(slot)
    if var is None:
        return False
    lag = lags.pop()
    if lag == 0:
        return kinds[0][0] == "in" and slot[0] <= offset
    # Carried: read before the variable takes this step's value, its first step's value from before the loop.
    # (Two reads of one variable that start from different values, h_a0 and h_b0 both followed by h_t, cannot
    # share it: the loop would copy only one of them in.)
    if lag != 1 or kinds[0][0] != "before" or offset > first_offset[var]:
        return False
    return starts.setdefault(var, (refs[0], text)) == (refs[0], text)


def _where(fn: _Function, ref: int, start: int, end: int, p: int) -> tuple[str, int, int, int]:
    """Where def ``ref`` is: ("before", ...) outside the run (or no def: a global), else ("in", step, slot)."""
    if ref < 0:
        return ("before", -1, -1, -1)
    line = fn.def_line[ref]
    if line < start or line >= end:
        return ("before", -1, -1, -1)
    step, offset = divmod(line - start, p)
    return ("in", step, offset, fn.def_slot[ref][1])


class _Writer:
    """Writes a body with its regions as loops, and every later read of a looped value from its saved list."""

    def __init__(self, fn: _Function, regions: list[_Region], counter: list[int]) -> None:
        self.fn = fn
        self.regions = regions
        self.counter = counter
        self.region_of_line: dict[int, int] = {}
        for r, region in enumerate(regions):
            for number in range(region.start, region.start + region.period * region.count):
                self.region_of_line[number] = r
        # A loop variable keeps the letters of the name it replaces (``Y_6`` for ``Y26``, ``gv_9`` for ``gv5969``):
        # the code still says which values are arrays (blocks) and which are gradients.
        self.var_names: list[dict[int, str]] = [{} for _ in regions]
        for r, region in enumerate(regions):
            for (offset, hole), var in sorted(region.var_of_slot.items()):
                if var not in self.var_names[r]:
                    line = fn.lines[region.start + offset]
                    start, end = line.holes[hole][:2]
                    self.var_names[r][var] = self._fresh(_DIGITS.sub("", line.text[start:end]) + "_")
        self.tables: dict[tuple[str, ...], str] = {}
        self.saved: list[set[int]] = [set() for _ in regions]  # per region, the variables saved per step
        for r, region in enumerate(regions):
            end = region.start + region.period * region.count
            for slot_line in range(region.start, end):
                for _, _, kind, ref in fn.lines[slot_line].holes:
                    if kind == _DEF and any(line >= end for line in fn.reads_of[ref]):
                        self.saved[r].add(self._var_of_def(r, ref))

    def _fresh(self, prefix: str) -> str:
        self.counter[0] += 1
        return f"{prefix}{self.counter[0]}"

    def _var_of_def(self, r: int, ref: int) -> int:
        region = self.regions[r]
        line, hole = self.fn.def_slot[ref]
        return region.var_of_slot[((line - region.start) % region.period, hole)]

    def _outside(self, ref: int, token: str) -> tuple[str, int, int]:
        """How code outside a def's region reads it: (text, region or -1, step)."""
        if ref < 0:
            return token, -1, -1
        r = self.region_of_line.get(self.fn.def_line[ref])
        if r is None:
            return token, -1, -1
        region = self.regions[r]
        step = (self.fn.def_line[ref] - region.start) // region.period
        return f"{self._saved_name(r, self._var_of_def(r, ref))}[{step}]", r, step

    def _saved_name(self, r: int, var: int) -> str:
        return "_S" + self.var_names[r][var].rpartition("_")[2]

    def write(self) -> list[str]:
        out: list[str] = []
        fn, line_number = self.fn, 0
        regions = {region.start: r for r, region in enumerate(self.regions)}
        while line_number < len(fn.lines):
            r = regions.get(line_number)
            if r is None:
                out.append(self._plain(line_number))
                line_number += 1
                continue
            out.extend(self._loop(r))
            region = self.regions[r]
            line_number += region.period * region.count
        return out

    def _plain(self, number: int) -> str:
        line = self.fn.lines[number]
        parts, last = [], 0
        for start, end, kind, ref in line.holes:
            if kind == _READ:
                parts.append(line.text[last:start])
                parts.append(self._outside(ref, line.text[start:end])[0])
                last = end
        parts.append(line.text[last:])
        statement = "".join(parts)
        old = self.fn.augmented_old.get(number)
        if old is not None and self.fn.def_line[old] in self.region_of_line:
            # ``g += x`` whose g was last set inside a loop: ``g = <its saved value> + (x)`` (floats)
            target, _, value = statement.partition(" += ")
            name = target.strip()
            statement = f"{target} = {self._outside(old, name)[0]} + ({value})"
        return statement

    def _loop(self, r: int) -> list[str]:
        fn, region = self.fn, self.regions[r]
        start, p, count = region.start, region.period, region.count
        names = self.var_names[r]
        before: list[str] = []
        self.tables = {}  # this loop's per-step tables, one per content
        body: list[str] = []
        carried: dict[int, str] = {}
        for offset in range(p):
            lines = [fn.lines[start + j * p + offset] for j in range(count)]
            first = lines[0]
            parts, last = [], 0
            rewrite_old = ""
            for h, (s, e, kind, _) in enumerate(first.holes):
                texts = [line.text[line.holes[h][0]: line.holes[h][1]] for line in lines]
                if kind == _DEF:
                    text = names[region.var_of_slot[(offset, h)]]
                    if first.augmented:
                        olds = [fn.augmented_old[start + j * p + offset] for j in range(count)]
                        old = self._read_text(r, olds, texts, offset, before, carried)
                        if old != text:
                            rewrite_old = old
                elif kind == _NUM:
                    text = texts[0] if len(set(texts)) == 1 else self._table(texts, before)
                else:
                    refs = [line.holes[h][3] for line in lines]
                    text = self._read_text(r, refs, texts, offset, before, carried)
                parts.append(first.text[last:s])
                parts.append(text)
                last = e
            parts.append(first.text[last:])
            statement = "".join(parts)
            if rewrite_old:  # ``new += x`` whose old value is another variable: ``new = old + (x)`` (floats)
                target, _, value = statement.partition(" += ")
                statement = f"{target} = {rewrite_old} + ({value})"
            body.append("    " + statement)
        saves = [f"        {self._saved_name(r, var)}.append({names[var]})" for var in sorted(self.saved[r])]
        out = [f"    {name} = {value}" for var, value in carried.items() for name in [names[var]]]
        out.extend(before)
        out.extend(f"    {self._saved_name(r, var)} = []" for var in sorted(self.saved[r]))
        out.append(f"    for _t in range({count}):")
        out.extend(body)
        out.extend(saves)
        return out

    def _read_text(self, r: int, refs: list[int], texts: list[str], offset: int, before: list[str],
                   carried: dict[int, str]) -> str:
        fn, region = self.fn, self.regions[r]
        start, p = region.start, region.period
        end = start + p * region.count
        wheres = [_where(fn, ref, start, end, p) for ref in refs]
        if all(w[0] == "before" for w in wheres):
            outside = [self._outside(ref, text) for ref, text in zip(refs, texts)]
            if len({o[0] for o in outside}) == 1:
                return outside[0][0]
            sources = {(o[1], o[0].partition("[")[0]) for o in outside}  # (region, saved list)
            if len(sources) == 1 and outside[0][1] >= 0:
                steps = [o[2] for o in outside]
                stride = steps[1] - steps[0]
                if all(steps[j] == steps[0] + stride * j for j in range(len(steps))):
                    name = outside[0][0].partition("[")[0]
                    return f"{name}[{_affine(steps[0], stride)}]"
            return self._table([o[0] for o in outside], before)
        w = wheres[-1]
        var = region.var_of_slot[(w[2], w[3])]
        if wheres[0][0] == "before":  # carried from step to step: its first value from before the loop
            carried[var] = self._outside(refs[0], texts[0])[0]
        return self.var_names[r][var]

    def _table(self, texts: list[str], before: list[str]) -> str:
        key = tuple(texts)
        name = self.tables.get(key)
        if name is None:
            name = self.tables[key] = self._fresh("_K")
            before.append(f"    {name} = ({''.join(t + ', ' for t in texts)})")
        return f"{name}[_t]"


def _affine(first: int, stride: int) -> str:
    """The index ``first + stride * _t`` as short text."""
    step = "_t" if stride == 1 else "-_t" if stride == -1 else f"{stride} * _t"
    if stride == 0:
        return str(first)
    if first == 0:
        return step
    return f"{first} - _t" if stride == -1 else f"{step} + {first}"
