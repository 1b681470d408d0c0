"""Characters as vectors: a vocabulary and one-hot encoding, as on the "hello" slides."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .checks import describe, one_hot_index
from .numbers_in_messages import short_repr


class Vocabulary:
    """An ordered set of characters; index i is one-hot position i.

    ``Vocabulary.from_text("hello")`` gives h, e, l, o in order of first
    appearance, the slides' [1,0,0,0] ... [0,0,0,1].
    """

    def __init__(self, chars: Iterable[str]) -> None:
        """Keep each character once, in the order given (a string, or an iterable of one-character strings)."""
        if not isinstance(chars, Iterable):
            raise TypeError(f"a vocabulary is made from text or a list of characters, got {describe(chars)}")
        self.chars: list[str] = []
        self._index: dict[str, int] = {}
        for ch in chars:
            if not isinstance(ch, str) or len(ch) != 1:
                raise TypeError(f"vocabulary entries must be single characters, got {short_repr(ch)}")
            if ch not in self._index:
                self._index[ch] = len(self.chars)
                self.chars.append(ch)
        if not self.chars:
            raise ValueError("a vocabulary needs at least one character")

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """Every distinct character of ``text``, in order of first appearance."""
        return cls(text)

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, ch: object) -> bool:
        return isinstance(ch, str) and ch in self._index  # ``[0] in vocab`` is False, not "unhashable type"

    def index(self, ch: str, who: str = "index") -> int:
        """The position of ``ch``; ValueError naming it when it is not in the vocabulary, TypeError when it is no
        str (a list failed as "unhashable type: 'list'", and 5 was called a character)."""
        if not isinstance(ch, str):
            raise TypeError(f"{who} needs one character (a str), got {describe(ch)}")
        try:
            return self._index[ch]
        except KeyError:
            shown = "".join(self.chars)
            raise ValueError(f"character {short_repr(ch)} is not in the vocabulary {short_repr(shown)}") from None

    def encode(self, text: str) -> list[int]:
        """Indices of each character of ``text`` (a str)."""
        if not isinstance(text, str):
            raise TypeError(f"encode needs text (a str), got {describe(text)}")
        return [self.index(ch) for ch in text]

    def decode(self, indices: Sequence[int]) -> str:
        """The characters at ``indices`` (class indices in 0..len-1: not negative, not bools)."""
        if isinstance(indices, (str, bytes)) or not isinstance(indices, Iterable) or getattr(indices, "ndim", 1) == 0:
            raise TypeError(f"decode needs a sequence of class indices, got {describe(indices)}")
        size = len(self.chars)
        return "".join(self.chars[one_hot_index(i, size, f"index {k}")] for k, i in enumerate(indices))

    def one_hot(self, ch: str) -> list[float]:
        """[0, ..., 1, ..., 0] with the 1 at ``ch``'s index."""
        vec = [0.0] * len(self.chars)
        vec[self.index(ch, "one_hot")] = 1.0
        return vec

    def __repr__(self) -> str:
        return f"Vocabulary({''.join(self.chars)!r})"
