"""Findings in words: one sentence per code, from the finding's numbers. The
only place a finding becomes text; pages and every report format use it. Also
where a problem with the input, worded in English where it was found, is said
again in the reader's language (`said_words`, `problem_line`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pandas as pd

from ledger.core.language import N_, _, current_language
from ledger.core.problems import Problem, Said
from ledger.present.formatting import day, money_range, number, percent, percent_range
from ledger.rules.findings import CODES, Finding
from ledger.rules.reconcile import Reconciliation
from ledger.rules.scenario import Scenario


def _amount(f: Finding, key: str = "amount") -> str:
    low, high = f.numbers[key]
    return money_range(low, high, f.numbers["currency"])


def _n(f: Finding) -> str:
    return f"{f.count:,}"


def _over(f: Finding) -> str:
    how = " " + _("(in {currency} at the source's date)").format(
        currency=f.numbers["currency"]) if f.numbers["in_source_currency"] else ""
    overlap = "" if f.code == "over_allocated" else "; " + _("the ranges overlap")
    return _("{name}: passes on {allocated} of {available} available").format(
        name=f.numbers["name"], allocated=_amount(f, "allocated"),
        available=_amount(f, "available")) + how + overlap


def _examples(f: Finding) -> str:
    shown = "; ".join(" = ".join(group) for group in f.numbers["examples"])
    return shown + ("; …" if f.numbers["groups"] > len(f.numbers["examples"]) else "")


def _check(f: Finding) -> str:
    n = f.numbers
    low, high = sorted(abs(x) * 100 for x in n["off"])
    span = percent_range(low / 100, high / 100)
    (pub_low, pub_high), (led_low, led_high) = n["published"], n["ledger"]
    published = money_range(pub_low, pub_high, n["currency"], exact=True)
    ledger = money_range(led_low, led_high, n["currency"], exact=True)
    side = n.get("side", "the ledger's")
    message = (_("{name}: the record says {published}; the article's {what} {ledger}, {span} "
                 "less") if side == "the article's" and n["off"][0] < 0 else
               _("{name}: the record says {published}; the article's {what} {ledger}, {span} "
                 "more") if side == "the article's" else
               _("{name}: the record says {published}; the ledger's {what} {ledger}, {span} "
                 "less") if n["off"][0] < 0 else
               _("{name}: the record says {published}; the ledger's {what} {ledger}, {span} "
                 "more"))
    return message.format(name=n["name"], published=published, what=what_words(n["what"]),
                          ledger=ledger, span=span)


_WHAT = (  # what a check's ledger side sums, as ledger.rules.checks words it (English)
    (re.compile(r"rows tagged (?P<tag>\S+) dated on or before (?P<day>.+) sum to"),
     N_("rows tagged {tag} dated on or before {day} sum to")),
    (re.compile(r"(?P<row>\S+) \(superseded\) is"), N_("{row} (superseded) is")),
    (re.compile(r"(?P<row>\S+) \(outside this view\) is"), N_("{row} (outside this view) is")),
    (re.compile(r"(?P<row>\S+) has available"), N_("{row} has available")),
    (re.compile(r"(?P<row>\S+) is"), N_("{row} is")),
)


def what_words(what: str) -> str:
    """A check's "what" in the reader's language. The rules word it in English once
    per reconciliation, which every session shares, so it is re-worded here, where
    the reader is known."""
    for pattern, message in _WHAT:
        found = pattern.fullmatch(what)
        if found:
            parts = found.groupdict()
            if "day" in parts and current_language() != "en":  # "3 Dec 2025", as the rules say
                parts["day"] = day(dt.datetime.strptime(parts["day"], "%d %b %Y").date())
            return _(message).format(**parts)
    return what


def said_words(text: str) -> str:
    """A sentence of the program's (a `Said`) in the reader's language, its whole
    numbers in the reader's notation; any other text as it is."""
    if not isinstance(text, Said) or current_language() == "en":
        return str(text)
    values = {k: number(v) if isinstance(v, int) and not isinstance(v, bool) else
              said_words(v) if isinstance(v, Said) else
              day(v) if isinstance(v, dt.date) else v for k, v in text.values.items()}
    return _(text.message).format(**values) if text.values else _(text.message)


def problem_line(problem: Problem) -> str:
    """`row 5, column amount: not a number` in the reader's language."""
    where = []
    if problem.row is not None:
        where.append(_("row {row}").format(row=problem.row))  # as a spreadsheet numbers it
    if problem.column:
        where.append(_("column {column}").format(column=problem.column))
    text = said_words(problem.message)
    if problem.severity != "error":
        text = _("warning: {problem}").format(problem=text)
    return ", ".join(where) + ": " + text if where else text


def diff_words(added: int, removed: int, changed_rows: int, fields: int) -> str:
    """What an upload or another version changes, in the reader's language."""
    return _("{added} added, {removed} removed, {changed} changed ({fields} fields)").format(
        added=number(added), removed=number(removed), changed=number(changed_rows),
        fields=number(fields))


def _outside(f: Finding) -> str:
    from ledger.rules.scope import PART_WORDS
    parts = []
    if f.numbers["part"] != "all":
        parts.append(_("showing {part}").format(part=_(PART_WORDS[f.numbers["part"]])))
    if f.numbers["instruments"] is not None:
        parts.append(_("counting only {instruments}").format(
            instruments=", ".join(f.numbers["instruments"]) or _("no instrument")))
    return _("{count} row(s) left out of this view ({why})").format(
        count=_n(f), why="; ".join(parts))


def _rate_earlier(f: Finding) -> str:
    pairs = "; ".join(_("{currency} for {day} from {used}").format(currency=c, day=on, used=used)
                      for c, on, used in f.numbers["examples"])
    more = "; …" if f.numbers["pairs"] > len(f.numbers["examples"]) else ""
    return _("no rate on the valuation date: the closest earlier one is used ({pairs})").format(
        pairs=pairs + more)


def _delivered(f: Finding) -> str:
    c = f.numbers["currency"]
    examples = "; ".join(_("{row}: {was}, delivered {given}").format(
        row=ident, was=money_range(was[0], was[1], c), given=money_range(given[0], given[1], c))
        for ident, was, given in f.numbers["examples"])
    return _("{count} flow(s) delivered beyond what they were: the later flows that fulfil "
             "them add up to more, and each counts in full ({examples})").format(
        count=_n(f), examples=examples)


SENTENCES: dict[str, Callable[[Finding], str]] = {
    "over_allocated": _over,
    "possibly_over_allocated": _over,
    "surplus": lambda f: _("{count} need(s) covered more than in full, by {amount}: the "
                           "surplus does not fill other needs' gaps").format(
        count=_n(f), amount=_amount(f)),
    "possible_surplus": lambda f: _("{count} need(s) may be covered more than in full, by up "
                                    "to {amount} (the ranges overlap)").format(
        count=_n(f), amount=money_range(f.numbers["amount"][1], f.numbers["amount"][1],
                                        f.numbers["currency"])),
    "need_without_flow": lambda f: _("{count} need(s) with no flow covering them").format(
        count=_n(f)),
    "unknown_industry": lambda f: _("{count} flow(s) into needs worth {amount} with unknown "
                                    "industry").format(count=_n(f), amount=_amount(f)),
    "duplicate_flow": lambda f: _("{groups} group(s) of identical flows (same from, to, "
                                  "amount, date and industry), each counted: {examples}").format(
        groups=f"{f.numbers['groups']:,}", examples=_examples(f)),
    "unknown_donor_code": lambda f: _("donor code(s) {codes} not in blocs.csv: counted as "
                                      "Other").format(codes=", ".join(f.numbers["codes"])),
    "unknown_industry_code": lambda f: _("industry code(s) {codes} not in blocs.csv: counted "
                                         "as Other").format(codes=", ".join(f.numbers["codes"])),
    "donor_not_itemised": lambda f: _("{count} source(s) with donor 'multi': the donors are "
                                      "not itemised, so the money counts as Other; list them "
                                      "(DK;NO;SE or DE:60;FR:40) to split it").format(
        count=_n(f)),
    "rate_from_earlier_date": _rate_earlier,
    "stale_rate": lambda f: _("{currency}: the last rate is from {last}, more than {days} days "
                              "before the valuation date ({valued_on}); add newer rates to "
                              "data/fx_rates.csv").format(
        currency=f.numbers["currency"], last=f.numbers["last"], days=f.numbers["days"],
        valued_on=f.numbers["valued_on"]),
    "source_unused": lambda f: _("{count} source(s) that pass nothing on").format(count=_n(f)),
    "assumption": lambda f: _("{count} figure(s) are illustrative assumptions, not reported "
                              "by anyone").format(count=_n(f)),
    "superseded": lambda f: _("{count} row(s) replaced by a later revision count no more: "
                              "{pairs}").format(count=_n(f), pairs="; ".join(
        _("{old} by {new}").format(old=old, new=new)
        for old, new in list(f.numbers["by"].items())[:5])),
    "after_as_of": lambda f: _("{count} row(s) dated after {day} are left out: the ledger as "
                               "it stood that day").format(count=_n(f), day=f.numbers["asof"]),
    "outside_view": _outside,
    "check_failed": _check,
    "need_not_stated": lambda f: _("{count} need(s) whose size no one states: their money is "
                                   "shown, and neither they nor it count in the need, covered, "
                                   "gap or coverage").format(count=_n(f)),
    "correction": lambda f: _("{count} row(s) are a table's negative corrections and the "
                              "entries they were netted into (tag correction): each row's "
                              "note says which").format(count=_n(f)),
    "delivered_beyond": _delivered,
    "excluded_by_status": lambda f: _("{count} flow(s) left out by the status filter "
                                      "(counting only {statuses})").format(
        count=_n(f), statuses=", ".join(_(s) for s in f.numbers["counting"])),
}
if set(SENTENCES) != set(CODES):  # a code without a sentence is a bug: fail on import
    raise RuntimeError(f"findings without a sentence: {set(CODES) ^ set(SENTENCES)}")


def message(finding: Finding) -> str:
    """The finding as one sentence, saying when only the first rows are named."""
    text = SENTENCES[finding.code](finding)
    if finding.count > len(finding.rows):
        text += " " + _("(first {shown} of {count} named)").format(
            shown=f"{len(finding.rows):,}", count=f"{finding.count:,}")
    return text


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    """The findings as people read them: the table of the Overview and every report."""
    return pd.DataFrame({
        "severity": [_(f.severity) for f in findings],
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
        words.append(_(PART_WORDS[scenario.part]).split(":")[0])
    if scenario.currency != "EUR":
        words.append(_("in {currency}").format(currency=scenario.currency))
    if scenario.fx_mode == "row-date":
        words.append(_("each amount at its own date's rate"))
    elif scenario.fx_date is not None and scenario.fx_date != latest:
        words.append(_("rates of {day}").format(day=day(scenario.fx_date)))
    if scenario.statuses is not None:
        words.append(_("counting flows {statuses}").format(
            statuses=", ".join(_(s) for s in scenario.statuses) or _("of no status")))
    if scenario.instruments is not None:
        words.append(_("instruments {instruments}").format(
            instruments=", ".join(_(i) for i in scenario.instruments) or _("none")))
    if scenario.asof is not None:
        words.append(_("as known on {day}").format(day=day(scenario.asof)))
    for source, share in scenario.availability:
        if share != 1.0:
            words.append(_("{source} {share} available").format(
                source=names.get(source, source), share=percent(share)))
    if scenario.shift_us_to_europe:
        words.append(_("{share} of US-bound orders moved to European industry").format(
            share=percent(scenario.shift_us_to_europe)))
    return words


def view_line(result: Reconciliation) -> str:
    """The view a chart or page shows, in one line for its credit: the levers that
    differ from the default (or that it is the default) and the rates' date."""
    names = dict(zip(result.sources["id"], result.sources["name"], strict=True))
    words = scenario_words(result.scenario, names, result.rates_latest)
    rates = result.fx_date or result.rates_latest
    return "; ".join([*(words or [_("everything, the default view")]),
                      _("ECB rates of {date}").format(date=day(rates))])
