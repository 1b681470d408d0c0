"""The last slide's "quote detection cell" passage (War and Peace) is the corpus's, word for word, and the
signal the LSTM page tracks marks exactly its two quotations (typed in here from the deck)."""

from __future__ import annotations

from lecture.corpus import WAR_AND_PEACE_QUOTES, default_text
from viz.heatmap import inside_quotes

FIRST = ('"You mean to imply that I have nothing to eat out of.... On the contrary, I can supply you with everything'
         ' even if you want to give dinner parties,"')
AFTER_FIRST = (" warmly replied Chichagov, who tried by every word he spoke to prove his own rectitude and therefore"
               " imagined Kutuzov to be animated by the same desire.")
SECOND_LEAD = "Kutuzov, shrugging his shoulders, replied with his subtle penetrating smile: "
SECOND = '"I meant merely to say what I said."'


def test_the_passage_is_the_slides_two_paragraphs() -> None:
    assert WAR_AND_PEACE_QUOTES == FIRST + AFTER_FIRST + "\n\n" + SECOND_LEAD + SECOND + "\n"
    assert default_text().endswith(WAR_AND_PEACE_QUOTES)


def test_inside_quotes_marks_exactly_the_two_quotations() -> None:
    signal = inside_quotes(WAR_AND_PEACE_QUOTES)
    marked = "".join(ch if s == 1.0 else "|" for ch, s in zip(WAR_AND_PEACE_QUOTES, signal))
    # both quote marks are marked with the words between them, nothing else
    spans = [span for span in marked.split("|") if span]
    assert spans == [FIRST, SECOND]
    assert WAR_AND_PEACE_QUOTES.count('"') == 4
