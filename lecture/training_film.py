"""Training films of the lecture's networks, for `viz.film.film_page`.

- `slides_mlp_film`: the slides' MLP (3 inputs + bias -> 2 sigmoid + bias ->
  2 sigmoid; w1 has 4 rows) trained from the slides' weights on its six data
  rows, full batch, with Adam; one frame per epoch holds the weights w1[i,k],
  w2[k,j] at the start of the epoch, their gradients dE/dw (E summed over
  the rows) and E.
- `hello_rnn_film`: the hello RNN (the tutorial's matrices) trained on
  "hell" -> "ello"; one frame per step holds Wxh, Whh, Why, dL/dW and L, each weight named by the units
  it joins (Wxh[0,'h'], the slides' h_1 x_1: see `RNN_FILM_NOTE`).
"""

from __future__ import annotations

import math
import numbers

from autograd import Value, sum_of
from autograd.shown import short_repr
from nn import MLP, Adam, CharModel, RNNCell, half_sum_squared_error, softmax_cross_entropy
from viz.film import FilmEdge, FilmFrame, FilmNetwork, film_page

from .hello_rnn import HELLO_INPUTS, HELLO_TARGETS, HELLO_VOCAB, hello_model
from .slides_mlp import SLIDES_X, SLIDES_Y, slides_network

MLP_FILM_EPOCHS = 300
MLP_FILM_LR = 0.05
RNN_FILM_STEPS = 150
RNN_FILM_LR = 0.05


def _check_count(name: str, n: object) -> int:
    """``n`` as an int in 1..5000 (any integer type: numpy's too), else a ValueError naming ``name``; a huge int is
    named by its size (its repr failed past 4,300 digits: "Exceeds the limit")."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= int(n) <= 5000:
        raise ValueError(f"{name} must be an integer in 1..5000, got {short_repr(n)}")
    return int(n)


def _check_rate(lr: object) -> float:
    """``lr`` as a positive finite float (any real number: numpy's float32 too), else a ValueError naming it."""
    if not isinstance(lr, bool) and isinstance(lr, numbers.Real):
        try:
            rate = float(lr)
        except OverflowError:  # an int past float range
            rate = math.inf
        if 0.0 < rate < math.inf:
            return rate
    raise ValueError(f"lr must be a positive finite number, got {short_repr(lr)}")


def mlp_film_network(model: MLP) -> tuple[FilmNetwork, list[Value]]:
    """The drawing of ``model`` with the slides' names, and its weights in the drawing's edge order."""
    names = [[f"a0[{i}]" for i in range(model.layers[0].nin + 1)]]
    for number, layer in enumerate(model.layers, start=1):
        last = number == len(model.layers)
        names.append([f"a{number}[{k}]" for k in range(0 if not last else 1, layer.nout + 1)])
    edges, weights = [], []
    for number, layer in enumerate(model.layers, start=1):
        for k, neuron in enumerate(layer.neurons, start=1):
            for i, w in enumerate([neuron.b, *neuron.w]):
                edges.append(FilmEdge(f"a{number - 1}[{i}]", f"a{number}[{k}]", f"w{number}[{i},{k}]"))
                weights.append(w)
    constant = {f"a{n}[0]" for n in range(len(model.layers))}

    def shown(name: str) -> str:  # the bias inputs are the slides' constant 1: named so on the drawing
        return f"{name} = 1" if name in constant else name

    layers = [[shown(name) for name in layer] for layer in names]
    renamed = [FilmEdge(shown(edge.source), shown(edge.target), edge.name) for edge in edges]
    return FilmNetwork(layers, renamed, frozenset(shown(c) for c in constant)), weights


def slides_mlp_film(epochs: int = MLP_FILM_EPOCHS, lr: float = MLP_FILM_LR) -> tuple[FilmNetwork, list[FilmFrame]]:
    """Train the slides' MLP on its six rows for ``epochs`` Adam steps, one frame per epoch (and the final weights)."""
    epochs, lr = _check_count("epochs", epochs), _check_rate(lr)
    model = slides_network()
    network, weights = mlp_film_network(model)
    optimizer = Adam(model.parameters(), lr=lr)
    frames = []
    for epoch in range(epochs + 1):
        model.zero_grad()
        try:
            E = sum_of([half_sum_squared_error(model(x), y) for x, y in zip(SLIDES_X, SLIDES_Y)])
            E.backward()
        except OverflowError as err:
            raise OverflowError(f"the film's training diverged at epoch {epoch} (lr={lr:g}): {err}") from None
        grads = [w.grad for w in weights]
        top = max(range(len(weights)), key=lambda k: abs(grads[k]))
        caption = (f"Epoch {epoch}: E (summed over the 6 rows) = {E.data:.5f}; largest gradient "
                   f"dE/d{network.edges[top].name} = {grads[top]:+.5f}")
        if epoch == 0:
            caption += " (the slides' starting weights)"
        frames.append(FilmFrame([w.data for w in weights], grads, E.data, caption))
        if epoch < epochs:
            optimizer.step()
    return network, frames


#: How the hello RNN film names its weights, shown on the page (new-user trial 26 read ``Wxh[0][0]`` against the
#: slides' h_1 x_1 and could not tell which indexing the film used, nor which character column 3 was).
RNN_FILM_NOTE = (
    "Each weight is named by the two units it joins, as the drawing names them: Wxh[k,'c'] joins x_t['c'] to "
    "h_t[k], Whh[k,m] joins h_(t-1)[m] to h_t[k], Why['c',k] joins h_t[k] to s2_t['c']. Hidden units count "
    "from 0, as in the drawing, the report's tables (h[0]) and the weights' labels (Wxh[0,0]); the slides count "
    "from 1: their h_1 x_1 is Wxh[0,'h'] here, their y_1 h_1 is Why['h',0].")


def rnn_film_network(cell: RNNCell, head_W: list[list[Value]]) -> tuple[FilmNetwork, list[Value]]:
    """The hello RNN drawn as x_t -> h_t -> s2_t, Whh as arcs within h; its weights in edge order.

    A weight is named by the units it joins (`RNN_FILM_NOTE`): a character for an input or output,
    the hidden unit's number (from 0, as the drawing's h_t[0]) otherwise.
    """
    xs = [f"x_t['{c}']" for c in HELLO_VOCAB]
    hs = [f"h_t[{k}]" for k in range(cell.hidden_size)]
    ys = [f"s2_t['{c}']" for c in HELLO_VOCAB]
    edges, weights = [], []
    for k, row in enumerate(cell.Wxh):
        for i, w in enumerate(row):
            edges.append(FilmEdge(xs[i], hs[k], f"Wxh[{k},'{HELLO_VOCAB[i]}']"))
            weights.append(w)
    for k, row in enumerate(cell.Whh):
        for m, w in enumerate(row):
            edges.append(FilmEdge(hs[m], hs[k], f"Whh[{k},{m}]"))
            weights.append(w)
    for j, row in enumerate(head_W):
        for k, w in enumerate(row):
            edges.append(FilmEdge(hs[k], ys[j], f"Why['{HELLO_VOCAB[j]}',{k}]"))
            weights.append(w)
    return FilmNetwork([xs, hs, ys], edges), weights


def hello_rnn_film(steps: int = RNN_FILM_STEPS, lr: float = RNN_FILM_LR) -> tuple[FilmNetwork, list[FilmFrame]]:
    """Train the hello RNN on "hell" -> "ello" (Adam, one chunk per step); one frame per step."""
    steps, lr = _check_count("steps", steps), _check_rate(lr)
    model: CharModel = hello_model()
    cell = model.cell
    assert isinstance(cell, RNNCell)
    network, weights = rnn_film_network(cell, model.head.W)
    optimizer = Adam(model.parameters(), lr=lr)
    inputs = [HELLO_VOCAB.index(c) for c in HELLO_INPUTS]
    targets = [HELLO_VOCAB.index(c) for c in HELLO_TARGETS]
    frames = []
    for step in range(steps + 1):
        model.zero_grad()
        try:
            logits, _ = model.unroll(inputs)
            L = sum_of([softmax_cross_entropy(z, t) for z, t in zip(logits, targets)])
            L.backward()
        except OverflowError as err:
            raise OverflowError(f"the film's training diverged at step {step} (lr={lr:g}): {err}") from None
        guess = "".join(HELLO_VOCAB[max(range(len(z)), key=lambda j: z[j].data)] for z in logits)
        grads = [w.grad for w in weights]
        frames.append(FilmFrame([w.data for w in weights], grads, L.data,
                                f'Step {step}: L = L_1 + ... + L_4 = {L.data:.5f}; after "{HELLO_INPUTS}" the most'
                                f' likely next characters are "{guess}" (target "{HELLO_TARGETS}")'))
        if step < steps:
            optimizer.step()
    return network, frames


def slides_mlp_film_page(epochs: int = MLP_FILM_EPOCHS, lr: float = MLP_FILM_LR) -> str:
    """The slides' MLP training film as one HTML page (`slides_mlp_film` on `viz.film.film_page`)."""
    network, frames = slides_mlp_film(epochs, lr)
    return film_page(network, frames, loss_name="E", frame_unit="epoch",
                     title=f"Training the slides' MLP on its 6 rows: one frame per epoch (Adam, lr={lr:g})")


def hello_rnn_film_page(steps: int = RNN_FILM_STEPS, lr: float = RNN_FILM_LR) -> str:
    """The hello RNN's training film as one HTML page (`hello_rnn_film` on `viz.film.film_page`)."""
    network, frames = hello_rnn_film(steps, lr)
    return film_page(network, frames, loss_name="L", frame_unit="step",
                     title=f'Training the hello RNN on "{HELLO_INPUTS}" -> "{HELLO_TARGETS}": one frame per step'
                           f" (Adam, lr={lr:g}; the biases bh and by train too but are not drawn)",
                     note=RNN_FILM_NOTE)
