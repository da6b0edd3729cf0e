"""Beside the ledger's own industry split, what the record says about whose industry
gets European money: each published figure with its scope, period, caveat and page,
saying whether it is a check of the ledger (judged like any check) or cited context
that measures something wider. And the rows whose industry is the ledger's reading of
a purchasing rule rather than a reported fact (tag `reading`)."""

from __future__ import annotations

import html

import pandas as pd

from ledger.core.language import N_, _
from ledger.present.citations import reference_html
from ledger.present.views import check_verdict
from ledger.rules.reconcile import Reconciliation
from ledger.rules.scope import has_tag

READING_TAG = "reading"
CONTEXT = N_("cited context: it measures something wider than this ledger, so it is not "
             "compared")


def rule_readings(result: Reconciliation) -> list[str]:
    """The names of the flows in this view whose industry the ledger reads from a rule
    (tag `reading`), not from a report of where the money went."""
    frame = result.valued.frame
    flows = frame[(frame["kind"] == "flow").to_numpy(dtype=bool)]
    picked = flows[has_tag(flows["tags"], READING_TAG)]
    return [str(n) for n in picked["name"].drop_duplicates()]


def evidence_outcomes(evidence: pd.DataFrame, result: Reconciliation) -> list[str]:
    """For each piece of evidence, how it stands against the ledger: a check's outcome
    in words, or that it is cited context."""
    checks = result.checks.set_index("id") if len(result.checks) else None
    outcomes = []
    for relation, check in zip(evidence["relation"], evidence["check"], strict=True):
        if relation != "check":
            outcomes.append(_(CONTEXT))
        elif checks is None or check not in checks.index:
            outcomes.append(_("a check in the shipped ledger ({check}); this ledger has no "
                              "such row").format(check=check))
        else:
            row = checks.loc[check]
            verdict = check_verdict(row["holds"], row["off_low"], row["off_high"],
                                    bool(row.get("restates", False)),
                                    "article" in str(row.get("tags", "")).split(";"))
            outcomes.append(_("a check of this ledger ({check}): {verdict}").format(
                check=check, verdict=verdict))
    return outcomes


def in_language(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence in the reader's language where the table has it (our words: what a
    figure measures, its period, its caveat); the quoted sentence stays as said."""
    from ledger.core.language import current_language
    from ledger.reading.evidence import TRANSLATED

    language = current_language()
    shown = evidence.copy()
    for column in TRANSLATED:
        own = f"{column}_{language}"
        if own in shown.columns:
            shown[column] = shown[own].where(shown[own].str.len() > 0, shown[column])
    return shown


def evidence_html(evidence: pd.DataFrame, result: Reconciliation) -> str:
    """The evidence as a list a reader can follow: every text escaped, each page a
    real link (citations.reference_html), the quoted sentence beside it."""
    words = {key: html.escape(text) for key, text in (
        ("measures", _("Measures:")), ("against", _("Against this ledger:")),
        ("caveat", _("Caveat:")), ("source", _("Source:")))}
    evidence = in_language(evidence)
    items = []
    for row, outcome in zip(evidence.itertuples(index=False),
                            evidence_outcomes(evidence, result), strict=True):
        when = ", ".join(x for x in (row.period, _("published {day}").format(
            day=row.published) if row.published else "") if x)
        items.append(
            "<li>"
            f"<p><strong>{html.escape(row.who)}: {html.escape(row.figure)}</strong></p>"
            f"<p>{words['measures']} {html.escape(row.measures)} ({html.escape(when)}).</p>"
            f"<p>{words['against']} {html.escape(outcome)}.</p>"
            f"<p>{words['caveat']} {html.escape(row.caveat)}</p>"
            f"<blockquote>\u201c{html.escape(row.quote)}\u201d</blockquote>"
            f"<p>{words['source']} {reference_html(row.ref)}</p>"
            "</li>")
    return f'<ul class="evidence">{"".join(items)}</ul>'
