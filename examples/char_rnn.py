"""Train a character RNN (or LSTM) on a short string and let it write.

    python examples/char_rnn.py ["some text to learn"] [--cell lstm] [--steps 150]
"""

from __future__ import annotations

import argparse

from lecture.cli_args import step_count
from lecture.script_exit import run_script
from nn import SGD, Adam, CharModel, Vocabulary, clip_grad_norm

#: The longest text: every step is one backward pass through the whole string (20,000 characters took 17 s and
#: 440 MB a step, so the longest argument Linux passes, 131,072 bytes, trained for hours at the default 150 steps).
MAX_TEXT = 1_000


def training_text(text: str) -> str:
    """The text to learn: each character is trained to predict the next, so it needs two at least; at most
    `MAX_TEXT` (a step is one pass through all of it)."""
    if len(text) < 2:
        raise argparse.ArgumentTypeError(f"expected a text of at least two characters, got {text!r}")
    if len(text) > MAX_TEXT:
        raise argparse.ArgumentTypeError(f"expected a text of at most {MAX_TEXT:,} characters (each step is one"
                                         f" pass through all of it), got {len(text):,}: for a long text use"
                                         " demo.py lstm --text FILE")
    return text


def main() -> None:
    """Truncated BPTT over the whole string, then greedy and sampled generation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", default="hello world. ", type=training_text,
                        help="the string to learn, 2 to 1,000 characters (default: 'hello world. ')")
    parser.add_argument("--cell", choices=["rnn", "lstm"], default="rnn",
                        help="a vanilla tanh RNN (SGD, lr 0.05) or an LSTM (Adam, lr 0.03); 16 units (default: rnn)")
    parser.add_argument("--steps", type=step_count, default=150, help="training steps, 1 to 100,000 (default: 150)")
    args = parser.parse_args()

    vocab = Vocabulary.from_text(args.text)
    data = vocab.encode(args.text)
    model = CharModel(len(vocab), 16, cell=args.cell, seed=0)
    optimizer = Adam(model.parameters(), lr=0.03) if args.cell == "lstm" else SGD(model.parameters(), lr=0.05)
    for step in range(args.steps):
        loss, _ = model.sequence_loss(data[:-1], data[1:])   # many-to-many, BPTT over the string
        optimizer.zero_grad()
        loss.backward()
        clip_grad_norm(model.parameters(), 5.0)
        optimizer.step()
        if step % 50 == 0:
            print(f"step {step:3d}  loss per char {loss.data / (len(data) - 1):.4f}")
    start = vocab.index(args.text[0])
    print("greedy :", args.text[0] + vocab.decode(model.sample(start, len(args.text) - 1, temperature=0)))
    print("sampled:", args.text[0] + vocab.decode(model.sample(start, 40, temperature=0.8, seed=1)))


if __name__ == "__main__":
    run_script(main, "char_rnn.py")  # quiet on a closed pipe, as demo.py
