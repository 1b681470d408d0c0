"""The LSTM study reads its units over at most `STUDIED_CHARS` characters: over a whole long --text it ran for
minutes to hours (about 2 ms a character at hidden 24), with no progress shown."""

import pytest

from lecture import lstm_cells


def test_units_are_read_over_the_texts_start_only_and_the_page_says_so(monkeypatch) -> None:
    monkeypatch.setattr(lstm_cells, "STUDIED_CHARS", 60)
    text = '"Quoted," he said.\nAnd then "more" of it.\n' * 5  # 220 characters
    study = lstm_cells.lstm_study(text, hidden=2, steps=1, lr=0.01, temperatures=(1.0,), sample_length=3)
    assert study.studied == text[:60]
    units = [u for u in study.units.values() if u is not None]
    assert units and all(len(u.values) == 60 for u in units)
    page = lstm_cells.cells_page(study, text)
    assert f"first 60 characters (of {len(text)})" in page


def test_a_text_shorter_than_the_bound_is_read_whole() -> None:
    text = 'a "b" c\nd "e" f\n' * 3
    study = lstm_cells.lstm_study(text, hidden=2, steps=1, lr=0.01, temperatures=(1.0,), sample_length=3)
    assert study.studied == text
    assert "every character of the text" in lstm_cells.cells_page(study, text)
    assert lstm_cells.STUDIED_CHARS >= 1274  # the tour's default text is studied whole


@pytest.mark.parametrize("hidden", [2])
def test_unit_activations_has_one_row_per_character(hidden: int) -> None:
    study = lstm_cells.lstm_study("abcabcabc", hidden=hidden, steps=1, lr=0.01, temperatures=(1.0,), sample_length=2)
    rows, names = lstm_cells.unit_activations(study.run.model, study.run.vocab.encode("abca"))
    assert len(rows) == 4 and len(names) == 2 * hidden
