"""Hostile input, round 27: a Vocabulary asked about something that is no character.

Before: ``vocab.index([0, 1])`` and ``vocab.one_hot([0, 1])`` failed with a bare "TypeError: unhashable type:
'list'" (from the dict inside), ``[0] in vocab`` too, and ``vocab.index(5)`` said "character 5 is not in the
vocabulary" as if 5 were a character. Now a non-str is a TypeError naming the method and what it got, and ``in``
answers False for it, as ``[0] in ['a', 'b']`` does.
"""

from __future__ import annotations

import pytest

import nn


@pytest.mark.parametrize("bad", [[0, 1], 5, None, 1.5, b"a", ("a",)])
@pytest.mark.parametrize("method", ["index", "one_hot"])
def test_a_non_character_is_a_type_error_naming_it(method: str, bad: object) -> None:
    vocab = nn.Vocabulary("abc")
    with pytest.raises(TypeError, match=rf"{method} needs one character \(a str\), got {type(bad).__name__}"):
        getattr(vocab, method)(bad)


def test_membership_of_a_non_character_is_false() -> None:
    vocab = nn.Vocabulary("abc")
    assert [0] not in vocab
    assert {"a": 1} not in vocab
    assert 5 not in vocab
    assert "a" in vocab and "z" not in vocab


def test_characters_still_work_and_unknown_ones_stay_value_errors() -> None:
    vocab = nn.Vocabulary("abc")
    assert vocab.index("c") == 2
    assert vocab.one_hot("b") == [0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="character 'z' is not in the vocabulary 'abc'"):
        vocab.index("z")
    with pytest.raises(ValueError, match="character 'ab' is not in the vocabulary 'abc'"):
        vocab.one_hot("ab")
