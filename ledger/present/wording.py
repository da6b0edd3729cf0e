"""Findings in words: one sentence per code, from the finding's numbers. The
only place a finding becomes text; pages and every report format use it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ledger.present.formatting import money_range
from ledger.rules.findings import CODES, Finding
from ledger.rules.scenario import Scenario


def _amount(f: Finding, key: str = "amount") -> str:
    low, high = f.numbers[key]
    return money_range(low, high, f.numbers["currency"])


def _over(f: Finding) -> str:
    how = " (in {} at the source's date)".format(f.numbers["currency"]) if (
        f.numbers["in_source_currency"]) else ""
    overlap = "" if f.code == "over_allocated" else "; the ranges overlap"
    return (f"{f.numbers['name']}: passes on {_amount(f, 'allocated')} of "
            f"{_amount(f, 'available')} available{how}{overlap}")


def _examples(f: Finding) -> str:
    shown = "; ".join(" = ".join(group) for group in f.numbers["examples"])
    return shown + ("; …" if f.numbers["groups"] > len(f.numbers["examples"]) else "")


def _check(f: Finding) -> str:
    n = f.numbers
    low, high = sorted(abs(x) * 100 for x in n["off"])
    way = "less" if n["off"][0] < 0 else "more"
    span = f"{low:.0f} %" if round(low) == round(high) else f"{low:.0f}–{high:.0f} %"
    (pub_low, pub_high), (led_low, led_high) = n["published"], n["ledger"]
    published = money_range(pub_low, pub_high, n["currency"], exact=True)
    ledger = money_range(led_low, led_high, n["currency"], exact=True)
    side = n.get("side", "the ledger's")
    return (f"{n['name']}: the record says {published}; {side} {n['what']} {ledger}, "
            f"{span} {way}")


def _outside(f: Finding) -> str:
    from ledger.rules.scope import PART_WORDS
    parts = []
    if f.numbers["part"] != "all":
        parts.append("showing " + PART_WORDS[f.numbers["part"]])
    if f.numbers["instruments"] is not None:
        parts.append("counting only " + (", ".join(f.numbers["instruments"]) or "no instrument"))
    return f"{f.count:,} row(s) left out of this view (" + "; ".join(parts) + ")"


SENTENCES: dict[str, Callable[[Finding], str]] = {
    "over_allocated": _over,
    "possibly_over_allocated": _over,
    "surplus": lambda f: (f"{f.count:,} need(s) covered more than in full, by {_amount(f)}: "
                          "the surplus does not fill other needs' gaps"),
    "possible_surplus": lambda f: (f"{f.count:,} need(s) may be covered more than in full, "
                                   "by up to " + money_range(f.numbers["amount"][1],
                                                             f.numbers["amount"][1],
                                                             f.numbers["currency"])
                                   + " (the ranges overlap)"),
    "need_without_flow": lambda f: f"{f.count:,} need(s) with no flow covering them",
    "unknown_industry": lambda f: (f"{f.count:,} flow(s) into needs worth {_amount(f)} with "
                                   "unknown industry"),
    "duplicate_flow": lambda f: (f"{f.numbers['groups']:,} group(s) of identical flows (same "
                                 "from, to, amount, date and industry), each counted: "
                                 + _examples(f)),
    "unknown_donor_code": lambda f: (f"donor code(s) {', '.join(f.numbers['codes'])} not in "
                                     "blocs.csv: counted as Other"),
    "unknown_industry_code": lambda f: (f"industry code(s) {', '.join(f.numbers['codes'])} "
                                        "not in blocs.csv: counted as Other"),
    "donor_not_itemised": lambda f: (f"{f.count:,} source(s) with donor 'multi': the donors "
                                     "are not itemised, so the money counts as Other; list "
                                     "them (DK;NO;SE or DE:60;FR:40) to split it"),
    "rate_from_earlier_date": lambda f: (
        "no rate on the valuation date: the closest earlier one is used ("
        + "; ".join(f"{c} for {on} from {used}" for c, on, used in f.numbers["examples"])
        + ("; …" if f.numbers["pairs"] > len(f.numbers["examples"]) else "") + ")"),
    "stale_rate": lambda f: (f"{f.numbers['currency']}: the last rate is from "
                             f"{f.numbers['last']}, more than {f.numbers['days']} days before "
                             f"the valuation date ({f.numbers['valued_on']}); add newer rates "
                             "to data/fx_rates.csv"),
    "source_unused": lambda f: f"{f.count:,} source(s) that pass nothing on",
    "assumption": lambda f: (f"{f.count:,} figure(s) are illustrative assumptions, not "
                             "reported by anyone"),
    "superseded": lambda f: (f"{f.count:,} row(s) replaced by a later revision count no more: "
                             + "; ".join(f"{old} by {new}" for old, new in
                                         list(f.numbers["by"].items())[:5])),
    "after_as_of": lambda f: (f"{f.count:,} row(s) dated after {f.numbers['asof']} are left "
                              "out: the ledger as it stood that day"),
    "outside_view": _outside,
    "check_failed": _check,
    "need_not_stated": lambda f: (f"{f.count:,} need(s) whose size no one states: their "
                                  "money is shown, and neither they nor it count in the "
                                  "need, covered, gap or coverage"),
    "correction": lambda f: (f"{f.count:,} row(s) are a table's negative corrections and "
                             "the entries they were netted into (tag correction): each "
                             "row's note says which"),
    "delivered_beyond": lambda f: (
        f"{f.count:,} flow(s) delivered beyond what they were: the later flows that "
        "fulfil them add up to more, and each counts in full ("
        + "; ".join(f"{ident}: {money_range(was[0], was[1], f.numbers['currency'])}, "
                    f"delivered {money_range(given[0], given[1], f.numbers['currency'])}"
                    for ident, was, given in f.numbers["examples"]) + ")"),
    "excluded_by_status": lambda f: (f"{f.count:,} flow(s) left out by the status filter "
                                     f"(counting only {', '.join(f.numbers['counting'])})"),
}
if set(SENTENCES) != set(CODES):  # a code without a sentence is a bug: fail on import
    raise RuntimeError(f"findings without a sentence: {set(CODES) ^ set(SENTENCES)}")


def message(finding: Finding) -> str:
    """The finding as one sentence, saying when only the first rows are named."""
    text = SENTENCES[finding.code](finding)
    if finding.count > len(finding.rows):
        text += f" (first {len(finding.rows):,} of {finding.count:,} named)"
    return text


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    """The findings as people read them: the table of the Overview and every report."""
    return pd.DataFrame({
        "severity": [f.severity for f in findings],
        "finding": [message(f) for f in findings],
        "rows": [", ".join(f.rows) for f in findings],
        "code": [f.code for f in findings],
    })


def scenario_words(scenario: Scenario, names: dict[str, str], latest: object) -> list[str]:
    """The levers that differ from the default view, each in a few words (what a
    banner at the top of a page shows: "frozen assets 50 %", "USD", "rates of …")."""
    from ledger.rules.scope import PART_WORDS

    words = []
    if scenario.part != "all":
        words.append(PART_WORDS[scenario.part].split(":")[0])
    if scenario.currency != "EUR":
        words.append(f"in {scenario.currency}")
    if scenario.fx_mode == "row-date":
        words.append("each amount at its own date's rate")
    elif scenario.fx_date is not None and scenario.fx_date != latest:
        words.append(f"rates of {scenario.fx_date}")
    if scenario.statuses is not None:
        words.append("counting flows " + (", ".join(scenario.statuses) or "of no status"))
    if scenario.instruments is not None:
        words.append("instruments " + (", ".join(scenario.instruments) or "none"))
    if scenario.asof is not None:
        words.append(f"as known on {scenario.asof}")
    for source, share in scenario.availability:
        if share != 1.0:
            words.append(f"{names.get(source, source)} {share * 100:.0f} % available")
    if scenario.shift_us_to_europe:
        words.append(f"{scenario.shift_us_to_europe * 100:.0f} % of US-bound orders moved "
                     "to European industry")
    return words
