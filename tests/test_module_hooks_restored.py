"""A neuron's forward hooks still run inside a `Layer` after the layer is pickled and loaded in a process
where no module has had a hook yet (`nn.hooks.EVER_HOOKED` is 0 there, and `Layer` then skips looking)."""

from __future__ import annotations

import copy
import math
import pickle
import random
from typing import Any

import pytest

from autograd import Value
from nn import Layer, hooks


def forty_two(module: Any, args: Any, output: Any) -> Value:
    """A forward hook that replaces the output (module-level, so it pickles)."""
    return Value(42.0)


@pytest.mark.parametrize("restore", ["pickle", "deepcopy"])
def test_a_restored_layer_s_hooked_neuron_still_runs_its_hook(restore: str) -> None:
    random.seed(0)
    layer = Layer(2, 2)
    layer.neurons[1].register_forward_hook(forty_two)
    saved = pickle.dumps(layer)
    count = hooks.EVER_HOOKED[0]
    hooks.EVER_HOOKED[0] = 0  # as in a fresh process that loads the file
    try:
        loaded = pickle.loads(saved) if restore == "pickle" else copy.deepcopy(layer)
        unhooked, hooked = loaded([0.5, -1.0])
    finally:
        hooks.EVER_HOOKED[0] += count
    assert hooked.data == 42.0
    w, b = loaded.neurons[0].w, loaded.neurons[0].b
    assert unhooked.data == pytest.approx(math.tanh(w[0].data * 0.5 - w[1].data + b.data), rel=1e-15)
