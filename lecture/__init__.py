"""The slides' worked examples and lecture analysis, built on the library (`nn`, `viz`, `autograd`).

`slides_mlp` (the 3-4-2 MLP, number for number), `hello_rnn` (the "hello"
RNN and its BPTT), `vanishing` (gradient reach, RNN against LSTM),
`lstm_cells` (what a trained LSTM's units track), `training` (the seeded
training loops), `corpus` (texts to train on), and the tour's
`output_folder` (written through `safe_files`, names planned in `tour_files`),
`index_page`, `progress` bar and command-line checks (`cli_args`). The library never imports this package.
"""

import importlib
import pkgutil
from types import ModuleType

_SUBMODULES = frozenset(info.name for info in pkgutil.iter_modules(__path__))


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first use, so ``import lecture`` then ``lecture.slides_mlp`` works (PEP 562).

    Importing them all up front would make every ``import lecture`` load the whole tour.
    """
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
