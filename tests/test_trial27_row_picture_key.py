"""Row 1's picture says what its colours mean (new-user trial 27: it had no key, where the batch, RNN and LSTM
pictures have a legend). The key is a caption line; each colour it names is the colour drawn for those nodes."""

import re

from lecture.graph_pictures import row_picture
from lecture.slides_mlp import worked_example


def _colour_word(hex_colour: str) -> str:
    """A plain colour name for a fill, by which channel leads (independent of the project's own tables)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    if min(r, g, b) >= 0xf8:
        return "white"
    if max(r, g, b) - min(r, g, b) < 24:
        return "grey"
    if b > r and b >= g:
        return "blue"
    if g > r and g > b:
        return "green"
    if r > b and g > b and r - g > 24:
        return "orange"
    if r > b and g > b:
        return "yellow"
    return "other"


def test_each_colour_the_key_names_is_the_colour_of_those_nodes():
    source = row_picture(worked_example()).source
    title = re.search(r'^\tlabel="(.*)"$', source, flags=re.M).group(1)
    key = title.split("\\n")[1]
    fills, gates, plain = {}, set(), set()
    for line in source.splitlines():
        node = re.match(r'\t(\w+) \[label="?([^"\\ ]+)(?:\\n[^"]*)?"? (.*)\]$', line)
        if not node:
            continue
        name, attrs = node.group(2), node.group(3)
        fill = re.search(r'fillcolor="(#[0-9a-f]{6})"', attrs)
        if "shape=circle" in attrs and fill:
            gates.add(_colour_word(fill.group(1)))
        elif "shape=plaintext" in attrs:
            plain.add(_colour_word(re.search(r'fontcolor="(#[0-9a-f]{6})"', attrs).group(1)))
        elif fill:
            fills[name] = _colour_word(fill.group(1))
    weights = {n for n in fills if re.fullmatch(r"w[12]\[\d,\d\]", n)}
    inputs = {n for n in fills if re.fullmatch(r"a0\[\d\]|a1\[0\]|y\[\d\]", n)}
    computed = {n for n in fills if n not in weights | inputs | {"E"}}
    assert len(weights) == 14 and len(inputs) == 7 and computed
    assert {fills[n] for n in weights} == {"blue"} and "blue, the weights w1, w2" in key
    assert {fills[n] for n in inputs} == {"green"} and "green, the inputs a0[i]" in key and "targets y[j]" in key
    assert {fills[n] for n in computed} == {"white"} and "white, computed values" in key
    assert gates == {"yellow"} and "yellow circles, op gates" in key
    assert plain == {"grey"} and "grey, plain numbers" in key
    assert fills["E"] == "orange" and "orange, the loss E" in key
