"""Long generated functions cut into chunks, so compiling stays linear in the graph's size.

CPython compiles one huge function in time that grows faster than its length
(measured on 3.11: 6 us per line in functions of 1,000-8,000 lines, 13 us per
line in one of 40,000, 40 us in one of 160,000). `split_into_chunks` cuts the
body of a generated ``run`` into functions of at most `CHUNK_LINES` lines.
Each keeps its values in fast locals; a value one chunk makes and a later one
reads is handed over through one shared list, ``s``. Which names cross a cut
is read off the generated lines, whose variables all follow a few fixed
patterns (``v12``, ``gp3``, ``X4``, ``MW0`` ...).
"""

from __future__ import annotations

import re

#: The most lines one chunk function gets. Handing values over costs too (a tape's parameter gradients
#: cross every cut: W3 replayed on floats took 16 ms in chunks of 2,000 lines, 8-10 ms as one function), so
#: only functions long enough for the compiler's superlinear cost to dominate are cut.
CHUNK_LINES = 50_000

# Every variable generated code defines: node values and their gradients, the blocks' arrays, the
# parameter vector, the summed gradients and the number of samples (``N``, batch mode). Helpers, index
# tables and literals never match.
_VARIABLE = re.compile(r"\b(?:g?[vip][0-9]+|[XGDY][0-9]+|[MXG]W[0-9]+|P|N|summed)\b")
# The names a line assigns: ``v5 = ...``, ``gv5 += ...``, ``v5, v6, = ...``.
_ASSIGNED = re.compile(r"^    ((?:\w+, )*\w+,?) \+?= ")


def split_into_chunks(text: str, size: int | None = None) -> str:
    """``text`` (a generated ``def run(inputs, params):``) with its body cut into chunk functions."""
    size = CHUNK_LINES if size is None else size
    lines = text.splitlines()
    head, body, last = lines[0], lines[1:-1], lines[-1]
    if len(body) <= size:
        return text
    chunks = [body[k: k + size] for k in range(0, len(body), size)]
    used = [{name for line in chunk for name in _VARIABLE.findall(line)} for chunk in chunks]
    assigned = [{name for line in chunk for name in _assigned(line)} for chunk in chunks]
    later: set[str] = set(_VARIABLE.findall(last))
    stored: list[set[str]] = [set() for _ in chunks]
    for c in range(len(chunks) - 1, -1, -1):  # from the end: what later chunks (and the return) read
        stored[c] = assigned[c] & later
        later |= used[c]
    # Each chunk's stores fill a run of fresh slots with one slice assignment; a later chunk loads the
    # latest slot of every name it reads with one tuple unpacking: two statements per chunk, not two per name.
    latest: dict[str, int] = {}
    slots = 0
    out = []
    for c, chunk in enumerate(chunks):
        loads = sorted(used[c] & latest.keys())
        out.append(f"def run_{c}(s, inputs, params):")
        out.extend(_loads(loads, latest))
        out.extend(chunk)
        stores = sorted(stored[c])
        if stores:
            for k, name in enumerate(stores):
                latest[name] = slots + k
            out.append(f"    s[{slots}:{slots + len(stores)}] = ({''.join(n + ', ' for n in stores)})")
            slots += len(stores)
    returned = sorted(set(_VARIABLE.findall(last)) & latest.keys())
    out.append(head)
    out.append(f"    s = [None] * {slots}")
    out.extend(f"    run_{c}(s, inputs, params)" for c in range(len(chunks)))
    out.extend(_loads(returned, latest))
    out.append(last)
    return "\n".join(out) + "\n"


def _loads(names: list[str], latest: dict[str, int]) -> list[str]:
    """One statement reading ``names`` from their latest slots of ``s`` (none for no names)."""
    if not names:
        return []
    targets = "".join(n + ", " for n in names)
    places = "".join(f"{latest[n]}, " for n in names)
    return [f"    {targets}= itemgetter({places})(s)" if len(names) > 1 else f"    {targets}= s[{places[:-2]}],"]


def _assigned(line: str) -> list[str]:
    match = _ASSIGNED.match(line)
    return [name.strip(",") for name in match.group(1).split(", ") if name.strip(",")] if match else []
