"""A training script written as a PyTorch user writes one: an nn.Module subclass built from Sequential,
a loss module, Adam with a learning-rate schedule, evaluation under no_grad, and a checkpoint saved and
loaded again. Only the imports differ from torch (and every weight is a scalar Value you can draw).

    python examples/torch_style_training.py [--epochs 40] [--out classifier.json]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd import Value, no_grad
from lecture.cli_args import folder_takes_files, no_link_loop, step_count
from lecture.script_exit import run_script
from nn import BCEWithLogitsLoss, Linear, Module, ReLU, Sequential, two_moons
from nn.optim import Adam
from nn.optim.lr_scheduler import StepLR
from nn.serialization import load, save


def checkpoint_path(text: str) -> str:
    """The checkpoint's name, checked before training: a file name in a folder that exists."""
    path = Path(text)
    no_link_loop(text)  # pathlib read a loop as a missing folder
    try:  # a name too long for the file system raised "OSError: File name too long" with a traceback
        if not text:  # was "'' is a folder" (Path('') is the current folder)
            raise argparse.ArgumentTypeError("expected a file name such as classifier.json, got ''")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{text} is a folder: give a file name such as classifier.json")
        folder = path.parent
        if folder.exists() and not folder.is_dir():
            raise argparse.ArgumentTypeError(f"{folder} is a file, not a folder")
        if not folder.exists():
            raise argparse.ArgumentTypeError(f"folder {folder} does not exist")
        folder_takes_files(folder, text)  # /proc/x.json failed only after training
    except OSError as err:
        raise argparse.ArgumentTypeError(f"cannot use {text!r}: {err.strerror or err}") from None
    return text


class Classifier(Module):
    """Two moons in, one logit out: the points of the upper moon should get a positive logit."""

    def __init__(self) -> None:
        """Two hidden layers of 8 ReLU units (seeded, so every run is the same)."""
        super().__init__()
        self.net = Sequential(Linear(2, 8, seed=0), ReLU(), Linear(8, 8, seed=1), ReLU(), Linear(8, 1, seed=2))

    def forward(self, x: list[float]) -> Value:
        """The logit of point ``x``."""
        return self.net(x)[0]


def main() -> None:
    """Train, checkpoint, reload and evaluate."""
    # The docstring's first paragraph: its first line alone stopped mid-sentence ("built from Sequential,").
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--epochs", type=step_count, default=40, help="full-batch epochs, 1 to 100,000 (default: 40)")
    parser.add_argument("--out", default="classifier.json", type=checkpoint_path,
                        help="the checkpoint file (default: classifier.json)")
    args = parser.parse_args()

    xs, labels = two_moons(100)
    targets = [1.0 if y > 0 else 0.0 for y in labels]
    model = Classifier()
    loss_fn = BCEWithLogitsLoss()
    optimizer = Adam(model.parameters(), lr=0.05)
    scheduler = StepLR(optimizer, step_size=20, gamma=0.5)
    model.train()
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = loss_fn([model(x) for x in xs], targets)
        loss.backward()
        optimizer.step()
        scheduler.step()
        if epoch % 10 == 0 or epoch == args.epochs - 1:
            print(f"epoch {epoch:3d}  loss {loss.item():.4f}  lr {scheduler.get_last_lr()[0]:.4f}")

    try:
        save(model, args.out, optimizer)  # JSON, written atomically
    except (OSError, ValueError) as err:  # a FIFO there, no permission, a full disk: the old file is kept
        sys.exit(f"{parser.prog}: cannot save the checkpoint: {err}")
    restored = Classifier()
    restored_optimizer = Adam(restored.parameters(), lr=0.05)
    load(restored, args.out, restored_optimizer)
    restored.eval()
    with no_grad():
        correct = sum((restored(x).item() > 0) == (t == 1.0) for x, t in zip(xs, targets))
    print(f"saved to {args.out}; the reloaded model classifies {correct}/{len(xs)} points correctly")


if __name__ == "__main__":
    run_script(main, "torch_style_training.py")  # quiet on a closed pipe, as demo.py
