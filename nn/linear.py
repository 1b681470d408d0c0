"""`Linear`: y = W x + b with W stored row by row (one row per output)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd import Value, dot
from autograd.functional import dot_inputs

from .checks import affordable, input_vector, whole_number
from .init import make_rng, uniform_fan_in
from .module import Module
from .neuron import ONE
from .numbers_in_messages import short_repr
from .weights import matrix_assignments, set_checked, vector_assignments


def value_matrix(rng: random.Random, rows: int, cols: int, name: str, fan_in: int) -> list[list[Value]]:
    """A rows x cols matrix of labelled Values from a seeded U(+-1/sqrt(fan_in))."""
    return [[Value(uniform_fan_in(rng, fan_in), label=f"{name}[{r},{c}]") for c in range(cols)] for r in range(rows)]


class Linear(Module):
    """An affine map from ``nin`` to ``nout`` values (the RNN's y_t = Why h_t + by).

    Bias last, as in PyTorch's ``nn.Linear``: ``W`` has one row of ``nin``
    weights per output and the bias ``b`` is a separate vector (set with
    ``set_weights(W, b)``). `Neuron`/`Layer`/`MLP` follow the slides instead:
    bias first, as row 0 of a weight table.
    """

    def __init__(
        self, nin: int | None = None, nout: int | None = None, seed: int | random.Random | None = None,
        weight: str = "W", bias: str | bool = "b", *, in_features: int | None = None, out_features: int | None = None,
    ) -> None:
        """Weights ``W`` (nout rows of nin) and bias ``b``, labelled with the given names.

        ``in_features`` / ``out_features`` are torch's keywords for ``nin`` / ``nout``. ``bias=True`` (torch's
        keyword) is the default name; ``bias=False`` is refused (a Linear here always has a bias, and a silent
        one labelled "False" would be one): set it to zero and leave it out of the optimizer instead. A bool
        third argument (torch's ``Linear(2, 3, True)``) is named as torch's bias.
        """
        for ours, torchs, name in ((nin, in_features, "nin"), (nout, out_features, "nout")):
            if ours is not None and torchs is not None:
                raise TypeError(f"Linear got both {name} and torch's name for it: give one")
        nin = in_features if nin is None else nin
        nout = out_features if nout is None else nout
        if nin is None or nout is None:
            raise TypeError("Linear needs its number of inputs and outputs: Linear(nin, nout), or torch's "
                            "Linear(in_features=..., out_features=...)")
        if isinstance(seed, bool):
            raise TypeError(f"Linear: seed must be an int, a random.Random or None, got bool {short_repr(seed)} "
                            f"(the third "
                            "argument is the seed here; torch's is bias: write bias=True)")
        if bias is True:
            bias = "b"
        elif bias is False:
            raise ValueError("Linear(bias=False) is not supported: a Linear here always has a bias (set its "
                             "values to 0 and leave them out of the optimizer to do without one)")
        elif not isinstance(bias, str) or not isinstance(weight, str):
            raise TypeError(f"Linear's weight and bias names must be str, got {short_repr(weight)} and "
                            f"{short_repr(bias)}")
        nin = whole_number(nin, "Linear's number of inputs nin")
        nout = whole_number(nout, "Linear's number of outputs nout")
        affordable((nin + 1) * nout, "Linear")
        rng = make_rng(seed, type(self).__name__)
        self.W = value_matrix(rng, nout, nin, weight, nin)
        self.b = [Value(0.0, label=f"{bias}[{r}]") for r in range(nout)]
        self._names = (weight, bias)

    @property
    def weight(self) -> list[list[Value]]:
        """``W`` by torch's name: ``out_features`` rows of ``in_features`` Values."""
        return self.W

    @property
    def bias(self) -> list[Value]:
        """``b`` by torch's name: one Value per output."""
        return self.b

    @property
    def in_features(self) -> int:
        """Number of inputs (torch's name)."""
        return len(self.W[0])

    @property
    def out_features(self) -> int:
        """Number of outputs (torch's name)."""
        return len(self.W)

    def extra_repr(self) -> str:
        """torch's wording: ``in_features=3, out_features=2, bias=True`` (a Linear here always has a bias)."""
        return f"in_features={len(self.W[0])}, out_features={len(self.W)}, bias=True"

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        """W x + b: one dot node per output (the bias rides along with a constant 1)."""
        x = input_vector(x, len(self.W[0]), "Linear")
        inputs = (*dot_inputs(x), ONE)  # made Values once for every output, not once per dot
        return [dot((*row, b), inputs) for row, b in zip(self.W, self.b)]

    def set_weights(self, W: Sequence[Sequence[float]], b: Sequence[float] | None = None) -> None:
        """Set W from nested lists (one row per output) and optionally b; nothing changes on error."""
        assignments = matrix_assignments(self.W, W, self._names[0])
        if b is not None:
            assignments += vector_assignments(self.b, b, self._names[1])
        set_checked(assignments)
