"""Build a tiny graph, backpropagate, check it, and draw it with every value and gradient.

    python examples/draw_a_graph.py [--out graph]      # writes graph.dot and graph.svg
"""

from __future__ import annotations

import argparse
import sys

from autograd import Value, gradcheck
from lecture.cli_args import writable_file
from lecture.script_exit import run_script
from viz import draw_graph


def picture_name(text: str) -> str:
    """The base name of the pictures: not empty (it would name no file), not a folder, in a folder that takes
    new files (`writable_file`)."""
    return writable_file(text, "a file name (without extension)")


def neuron(x1: Value, x2: Value, w1: Value, w2: Value, b: Value) -> Value:
    """micrograd's classic example: tanh(x1*w1 + x2*w2 + b)."""
    return (x1 * w1 + x2 * w2 + b).tanh()


def main() -> None:
    """Draw the neuron's graph after backward()."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="graph", type=picture_name, help="writes OUT.dot and OUT.svg (default: graph)")
    args = parser.parse_args()

    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = neuron(x1, x2, w1, w2, b)
    o.label = "o"
    o.backward()
    print(f"o = {o.data:.4f}; do/dw1 = {w1.grad:.4f}, do/dx1 = {x1.grad:.4f}")
    print(gradcheck(neuron, [2.0, 0.0, -3.0, 1.0, 6.8813735870195432], names=["x1", "x2", "w1", "w2", "b"]))
    try:
        picture = draw_graph(o, parameters=[w1, w2, b], edge_derivatives=True).save_picture(args.out)
    except (OSError, ValueError) as err:  # a file where a folder should be, a FIFO, no permission
        sys.exit(f"{parser.prog}: {err}")
    print(f"wrote {picture}")


if __name__ == "__main__":
    run_script(main, "draw_a_graph.py")  # quiet on a closed pipe, as demo.py
