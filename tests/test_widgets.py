"""How the pages set text: a range such as "€310–386 bn" never breaks across lines,
wherever it appears (a lead sentence, a table's cell, a caption, an alert)."""

from __future__ import annotations

import pandas as pd

from ui.widgets import html_table, ranges_joined, ranges_whole


def test_a_range_in_a_tables_sentence_is_kept_whole_and_the_rest_stays_escaped():
    finding = "<b>Need</b>: covered €310–386 bn of €1.2–1.5 tn; gap 3–4 %"
    table = html_table(pd.DataFrame({"finding": [finding]}), "Findings")
    assert ('<span class="range">€310–386 bn</span>' in table
            and '<span class="range">€1.2–1.5 tn</span>' in table
            and '<span class="range">3–4 %</span>' in table)
    assert "&lt;b&gt;Need&lt;/b&gt;" in table and "<b>" not in table


def test_an_alerts_range_has_no_place_to_break_at_its_dash_or_before_its_scale():
    # in an alert (markdown, no span) the dash is followed by a word joiner, which
    # forbids a break after it; spaces inside the range are no-break spaces
    text = ranges_joined("€310–386 bn rests on assumptions; 1,2–1,5 Mrd. € too")
    assert "€310–\u2060386\u00a0bn rests" in text
    assert "1,2–\u20601,5\u00a0Mrd.\u00a0€ too" in text
    assert ranges_joined("pages 3-4 of the article") == "pages 3-4 of the article"


def test_a_lead_sentence_keeps_each_range_in_a_span_and_escapes_the_rest():
    assert ranges_whole("A & B: €1–2 bn") == 'A &amp; B: <span class="range">€1–2 bn</span>'
