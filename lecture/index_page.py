"""The tour's index.html: every file it made, grouped by part, with what each shows."""

from __future__ import annotations

import html
from collections.abc import Sequence


def index_page(made: Sequence[tuple[str, str, str]], parts: Sequence[str],
               skipped: Sequence[tuple[str, str, str]] = ()) -> str:
    """An HTML page linking each (part, file, description) in ``made``, parts in the order of ``parts``.

    Each (part, file, why) in ``skipped``, a file this run could not make, is named without a link, saying why.

    A ``NAME.dot`` whose ``NAME.dot.txt`` copy is in ``made`` is not linked itself: a browser downloads a
    .dot file rather than show it, so the page links the copy, whose description names the .dot.
    """
    names = {f for _, f, _ in made}
    items = []
    for part in parts:
        files = [(f, d) for p, f, d in made if p == part and not (f.endswith(".dot") and f"{f}.txt" in names)]
        missing = [(f, d) for p, f, d in skipped if p == part and f not in names]
        if files or missing:
            links = "".join(f'<li><a href="{html.escape(f)}">{html.escape(f)}</a> - {html.escape(d)}</li>'
                            for f, d in files)
            links += "".join(f"<li>{html.escape(f)} - {html.escape(d)}</li>" for f, d in missing)
            items.append(f"<h2>{html.escape(part)}</h2><ul>{links}</ul>")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>valuegrad tour</title></head>"
            "<body style=\"font-family: system-ui, sans-serif; margin: 1.5em\"><h1>valuegrad: the tour</h1>"
            + "".join(items) + "</body></html>\n")
