"""Tables a person sees, built once from a reconciliation and used by the pages
and the report writers alike, so a page and a report sheet cannot disagree."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from ledger.core.language import N_, _
from ledger.present.formatting import money_range, percent_range
from ledger.rules.findings import OverAllocation
from ledger.rules.reconcile import Reconciliation
from ledger.rules.scenario import SHIFTED_SUFFIX
from ledger.rules.scope import ARTICLE_TAG

LEDGER_COLUMNS = ("row", "id", "kind", "name", "category", "low", "high", "currency", "date",
                  "value_low", "value_high", "from", "to", "donor", "industry", "status",
                  "instrument", "tags", "counted", "ref", "note")
T = TypeVar("T")
COUNTED = N_("yes")  # each row's `counted`, in English in every file; a page words it
LEFT_OUT_BY_STATUS = N_("no (status filter)")
A_CHECK = N_("no (a published total: checks, never counts)")
_SUPERSEDED = re.compile(r"no \(superseded by (?P<id>.+)\)")


def counted_words(values: pd.Series) -> list[str]:
    """A column of `counted` in the reader's language, each distinct value once."""
    def said(value: str) -> str:
        found = _SUPERSEDED.fullmatch(value)
        return (_("no (superseded by {id})").format(id=found["id"]) if found else _(value))
    codes, distinct = pd.factorize(values.astype(str))
    words = [said(v) for v in distinct]
    return [words[c] for c in codes]


def _memo(result: Reconciliation, name: str, build: Callable[[], T]) -> T:
    """Built once per reconciliation (results are immutable and shared by reruns)."""
    kept = result.__dict__.get("_views")
    if kept is None:
        kept = {}
        object.__setattr__(result, "_views", kept)  # frozen dataclass: a private slot
    if name not in kept:
        kept[name] = build()
    return kept[name]


def ledger_table(result: Reconciliation) -> pd.DataFrame:
    """Every row of the ledger in spreadsheet order — flows the status filter left
    out included, marked in `counted` — with its value in the reporting currency
    after the levers (a flow part of which the US → Europe shift moved is shown
    whole: the part kept and the part moved)."""
    return _memo(result, "ledger", lambda: _ledger_table(result))


def _ledger_table(result: Reconciliation) -> pd.DataFrame:
    valued = result.valued.frame
    shifted = valued["shifted"].to_numpy(dtype=bool)
    rows = valued[~shifted]
    low = rows["value_low"].to_numpy(dtype=float).copy()
    high = rows["value_high"].to_numpy(dtype=float).copy()
    if shifted.any():  # the moved part keeps the spreadsheet row of its flow
        moved = valued[shifted].groupby("row")[["value_low", "value_high"]].sum()
        at = pd.Index(rows["row"]).get_indexer(moved.index)
        low[at] += moved["value_low"].to_numpy()
        high[at] += moved["value_high"].to_numpy()
    counted = rows.assign(value_low=low, value_high=high, counted=COUNTED)
    left_out = result.valued.excluded_by_status.assign(counted=LEFT_OUT_BY_STATUS)
    checks = result.valued.checks.assign(counted=A_CHECK)
    frame = pd.concat([counted, left_out, checks, result.valued.not_in_force],
                      ignore_index=True)
    frame = frame.sort_values("row", kind="stable")
    table = {column: frame[column].to_numpy() for column in LEDGER_COLUMNS if column != "date"}
    table["date"] = frame["date"].dt.strftime("%Y-%m-%d").to_numpy()
    return pd.DataFrame({column: table[column] for column in LEDGER_COLUMNS})


BEHIND = {"need": N_("the need"), "covered": N_("the money counted as covering it"),
          "gap": N_("the gap"), "coverage": N_("the coverage"),
          "europe_to_us": N_("European money spent in US industry")}


def rows_behind(result: Reconciliation, figure: str) -> list[str]:
    """The ids of the rows a headline figure is made of: `need` (the needs counted),
    `covered` (the flows into them at the stages counted), `gap` (the needs that lack
    money and the flows into them), `coverage` (the need's rows and the covered ones),
    `europe_to_us` (flows into needs to US industry whose money comes, at least in
    part, from European donors)."""
    frame = result.valued.frame
    needs = result.needs
    stated = (needs["stated"] if "stated" in needs.columns else pd.Series(True, needs.index)
              ).to_numpy(dtype=bool)
    if figure == "gap":  # a need covered in full adds nothing to the gap
        stated = stated & (needs["gap_high"].to_numpy(dtype=float) > 0)
    if figure == "need":
        return [str(i) for i in needs.loc[stated, "id"]]
    flows = frame[(frame["kind"] == "flow").to_numpy(dtype=bool)
                  & frame["to"].isin(needs["id"]).to_numpy(dtype=bool)]
    if figure in ("gap", "coverage"):
        counted = needs.loc[stated, "id"]
        flows = flows[flows["to"].isin(counted).to_numpy(dtype=bool)]
        return [str(i) for i in counted] + _flow_ids(flows)
    if figure == "europe_to_us":
        european = result.donor_mix.get("Europe")
        if european is None:
            return []
        paying = set(european.index[european.to_numpy(dtype=float) > 0])
        pools = _pools_fed_by(result, paying)
        flows = flows[(flows["industry_bloc"] == "United States").to_numpy(dtype=bool)
                      & flows["from"].isin(paying | pools).to_numpy(dtype=bool)]
    return _flow_ids(flows)


def _flow_ids(flows: pd.DataFrame) -> list[str]:
    """Each flow's id once (a share the lever moved to Europe is its own row here)."""
    return list(dict.fromkeys(str(i).removesuffix(SHIFTED_SUFFIX) for i in flows["id"]))


def _pools_fed_by(result: Reconciliation, paying: set[str]) -> set[str]:
    """Sources that European money reaches through other sources."""
    frame = result.valued.frame
    between = frame[(frame["kind"] == "flow").to_numpy(dtype=bool)]
    reached: set[str] = set()
    grew = True
    while grew:
        fed = set(between.loc[between["from"].isin(paying | reached).to_numpy(dtype=bool),
                              "to"])
        grew = bool(fed - reached)
        reached |= fed
    return reached


def filter_ledger(table: pd.DataFrame, query: str = "", kinds: list[str] | None = None,
                  categories: list[str] | None = None, ids: list[str] | None = None,
                  fields: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Rows whose id, name, citation or note contain `query` (any case), of the
    given kinds and categories (None: all), among `ids` (None: all), and whose
    `fields` (status, instrument, donor bloc, industry bloc; tags: any of them) hold
    one of the values given. An empty result keeps its columns."""
    mask = np.ones(len(table), dtype=bool)
    if ids is not None:
        mask &= table["id"].isin(ids).to_numpy()
    for column, wanted in (fields or {}).items():
        if not wanted or column not in table.columns:
            continue
        if column == "tags":
            listed = table["tags"].astype(str).str.split(";")
            mask &= np.array([bool(set(t) & set(wanted)) for t in listed], dtype=bool)
        else:
            mask &= table[column].isin(wanted).to_numpy()
    if kinds is not None:
        mask &= table["kind"].isin(kinds).to_numpy()
    if categories:
        mask &= table["category"].isin(categories).to_numpy()
    if query:
        text = query.lower()
        hit = np.zeros(len(table), dtype=bool)
        for column in ("id", "name", "ref", "note"):
            hit |= table[column].str.lower().str.contains(text, regex=False).to_numpy(
                dtype=bool)
        mask &= hit
    return table[mask]


def references(result: Reconciliation) -> pd.DataFrame:
    """Each distinct citation and the rows that rely on it."""
    rows = ledger_table(result)
    cited = rows[rows["ref"] != ""]
    grouped = cited.groupby("ref", sort=True)["id"].agg(lambda ids: ", ".join(ids))
    return pd.DataFrame({"ref": grouped.index.to_numpy(), "rows": grouped.to_numpy()})


OVER_ALLOCATION_WORDS = {OverAllocation.CERTAIN.value: "passes on more than it has",
                         OverAllocation.POSSIBLE.value: "may pass on more than it has",
                         OverAllocation.NO.value: ""}


def sources_table(result: Reconciliation) -> pd.DataFrame:
    """Each source as read: available, passed on and headroom as ranges, and
    over-allocation in words (never by colour alone)."""
    sources = result.sources
    return pd.DataFrame({
        "id": sources["id"], "source": sources["name"], "donor": sources["donor"],
        "bloc": sources["donor_bloc"],
        **_ranges(sources, {"available": "available", "allocated": "passed on",
                            "headroom": "headroom"}, result.currency),
        "over-allocation": sources["over_allocated"].map(OVER_ALLOCATION_WORDS),
    })


def flows_table(result: Reconciliation) -> pd.DataFrame:
    """Flows summed by (from, to, industry bloc), as the Sankey draws them."""
    return result.flows[["from", "to", "industry_bloc", "category", "value_low",
                         "value_high"]]


CHART_ROWS = {  # which rows stand behind each chart
    "coverage-gap": ("need", "flow into a need"),
    "industry": ("flow",),
    "flows": ("source", "flow"),
    "sources": ("source", "flow"),
}


def references_behind(result: Reconciliation, chart: str) -> list[str]:
    """The distinct citations of the rows a chart is drawn from, over the rows of the
    ledger table: counted, left out by status, checks and not in force — every row
    of the ledger, whatever the view (a copy the US → Europe lever made carries its
    flow's citation) — so found once per ledger and kept with it, not once a view."""
    ledger = result.ledger
    return list(ledger.once(("references", chart),
                            lambda: _references_behind(ledger.frame, chart)))


def _references_behind(frame: pd.DataFrame, chart: str) -> tuple[str, ...]:
    kinds = CHART_ROWS[chart]
    mask = frame["kind"].isin([k for k in kinds if " " not in k]).to_numpy(dtype=bool)
    if "flow into a need" in kinds:
        needs = frame.loc[(frame["kind"] == "need").to_numpy(dtype=bool), "id"]
        mask = mask | ((frame["kind"] == "flow") & frame["to"].isin(needs)).to_numpy(dtype=bool)
    cited = frame.loc[mask, ["ref", "note"]]
    return tuple(sorted({with_quote(r, n) for r, n in zip(cited["ref"], cited["note"],
                                                          strict=True) if r},
                        key=reference_order))


def reference_order(ref: str) -> tuple[bool, str]:
    """The article's own endnotes first (the figures the ledger grew from), then the
    record's pages, each alphabetically."""
    return (not ref.lstrip().startswith("["), ref)


_OPENING_QUOTE = re.compile(r'^\s*"([^"]{1,400})"')


def with_quote(ref: str, note: str) -> str:
    """The reference with the words the row quotes from it beside it, when its note
    opens with a quotation: a page covering several pledges (its title naming another
    country) then shows the sentence the figure comes from."""
    found = _OPENING_QUOTE.match(note or "")
    return f'{ref} — "{found.group(1).strip()}"' if found else ref


def _ranges(frame: pd.DataFrame, names: dict[str, str], currency: str) -> dict[str, list[str]]:
    return {label: [money_range(lo, hi, currency) for lo, hi in
                    zip(frame[f"{key}_low"], frame[f"{key}_high"], strict=True)]
            for key, label in names.items()}


def _shares(frame: pd.DataFrame, key: str) -> list[str]:
    return ["" if pd.isna(lo) else percent_range(lo, hi)
            for lo, hi in zip(frame[f"{key}_low"], frame[f"{key}_high"], strict=True)]


def needs_table(result: Reconciliation) -> pd.DataFrame:
    """Each need as read: need, covered, gap (signed) and what it lacks, coverage; a
    need with others within it carries them, and says so; one no one sizes says so."""
    needs = result.needs
    table = pd.DataFrame({"id": needs["id"], "name": needs["name"],
                          "category": needs["category"],
                          **_ranges(needs, {"need": "need", "covered": "covered", "gap": "gap",
                                            "uncovered": "uncovered"}, result.currency),
                          "coverage": _shares(needs, "coverage")})
    unstated = ~needs["stated"].to_numpy(dtype=bool)
    for column in ("need", "gap", "uncovered", "coverage"):
        table.loc[unstated, column] = NOT_STATED
    if (needs["within"] != "").any():
        names = dict(zip(needs["id"], needs["name"], strict=True))
        table.insert(3, "within", [names.get(w, "") for w in needs["within"]])
    return table


NOT_STATED = "not stated"
STAGE_LABELS = {"pledged": N_("pledged or further"), "committed": N_("committed or further"),
                "allocated": N_("allocated or paid out"), "disbursed": N_("paid out"),
                "assumed": N_("assumed (reported by no one)")}


def stages_table(result: Reconciliation) -> pd.DataFrame:
    """The funnel as read: per stage (counting itself and every later one) the money
    covering needs, the gap and the coverage left, and what of the money is loans and
    guarantees; then the assumed money apart. A ledger that states no need shows the
    money alone."""
    stages = result.stages
    table = pd.DataFrame({"stage": [_(STAGE_LABELS[s]) for s in stages["stage"]],
                          **_ranges(stages, {"covered": "covered", "gap": "gap"},
                                    result.currency),
                          "coverage": _shares(stages, "coverage"),
                          **_ranges(stages, {"loan": "of which loans",
                                             "guarantee": "of which guarantees"},
                                    result.currency)})
    assumed = (stages["stage"] == "assumed").to_numpy()
    table.loc[assumed, ["gap", "coverage"]] = "—"
    if math.isnan(result.totals["need"][1]):
        table.loc[:, ["gap", "coverage"]] = NOT_STATED
    return table


def industry_table(result: Reconciliation) -> pd.DataFrame:
    industry = result.industry
    return pd.DataFrame({"bloc": industry["bloc"],
                         **_ranges(industry, {"amount": "amount"}, result.currency),
                         "share": _shares(industry, "share"),
                         "share of known industry": _shares(industry, "share_of_known")})


def industry_by_category_table(result: Reconciliation) -> pd.DataFrame:
    table = result.industry_by_category
    return pd.DataFrame({"category": table["category"], "bloc": table["bloc"],
                         **_ranges(table, {"amount": "amount"}, result.currency),
                         "share": _shares(table, "share"),
                         "share of known industry": _shares(table, "share_of_known")})


def donor_blocs_table(result: Reconciliation) -> pd.DataFrame:
    """Money into needs by the bloc of the donors who gave it (through pools, pro rata),
    the largest first."""
    payer = result.payer_supplier
    if payer.empty:
        return pd.DataFrame(columns=["who pays", "amount"])
    sums = payer.groupby("donor_bloc", sort=False)[["amount_low", "amount_high"]].sum()
    sums = sums.sort_values("amount_high", ascending=False, kind="stable")
    return pd.DataFrame({"who pays": sums.index.to_numpy(),
                         **_ranges(sums.reset_index(), {"amount": "amount"}, result.currency)})


def payer_supplier_table(result: Reconciliation) -> pd.DataFrame:
    payer = result.payer_supplier
    return pd.DataFrame({"who pays": payer["donor_bloc"], "whose industry": payer["industry_bloc"],
                         **_ranges(payer, {"amount": "amount"}, result.currency)})


YEAR_COLUMNS = ("need", "pledged", "committed", "allocated", "disbursed", "covered", "early",
                "gap", "cumulative_gap")


def years_readable(result: Reconciliation) -> pd.DataFrame:
    """The year-by-year table as read: each figure a range."""
    years = result.years
    if years.empty:
        return pd.DataFrame(columns=["year", *YEAR_COLUMNS])
    return pd.DataFrame({"year": years["year"].astype(int),
                         **_ranges(years, {c: c.replace("_", " ") for c in YEAR_COLUMNS},
                                   result.currency)})


RESTATES = N_("restates its rows (the same page): confirms nothing")
VERDICTS = {  # (the article's figure, off below the record): the outcome's words
    (True, True): N_("no: the article says {span} less than the record"),
    (True, False): N_("no: the article says {span} more than the record"),
    (False, True): N_("no: the ledger's rows say {span} less than the record"),
    (False, False): N_("no: the ledger's rows say {span} more than the record"),
}
HOLDS, ELSEWHERE = N_("holds"), N_("not in this view")


def check_verdict(holds: object, off_low: float, off_high: float,
                  restates: bool = False, article: bool = False) -> str:
    """A check's outcome in words: holds, which side is off by how much (the article's
    figure against the record, or the ledger's rows), restates the rows it checks, or
    not in this view."""
    if restates:
        return _(RESTATES)
    if holds is None or (isinstance(holds, float) and pd.isna(holds)):
        return _(ELSEWHERE)
    if holds:
        return _(HOLDS)
    low, high = sorted(abs(x) * 100 for x in (off_low, off_high))
    span = percent_range(low / 100, high / 100)
    return _(VERDICTS[(article, off_low < 0)]).format(span=span)


CHECK_LABELS = {"check": N_("Published figure"),
                "says": N_("The article (or the ledger's row) says"),
                "record": N_("The record says"), "outcome": N_("Outcome"),
                "why": N_("Why they differ"), "checks": N_("Checks row or #tag"),
                "source": N_("Source")}


def checks_table(result: Reconciliation) -> pd.DataFrame:
    """Each published total against the ledger, as read: what the article (or the
    ledger's rows) says and what the record says, both in the check's own currency
    (where it is judged), the outcome naming the side that is off, why they differ
    (the check's note, one sentence to quote) and the page it comes from."""
    checks = result.checks
    columns = ["check", "says", "record", "outcome", "why", "checks", "source", "id",
               "article"]
    if checks.empty:
        return pd.DataFrame(columns=columns)
    article = [ARTICLE_TAG in str(t).split(";") for t in checks["tags"]]
    says = [("" if pd.isna(lo) else money_range(lo, hi, cur, exact=True))
            for lo, hi, cur in zip(
        checks["native_ledger_low"], checks["native_ledger_high"], checks["currency"],
        strict=True)]
    restates = checks["restates"] if "restates" in checks.columns else [False] * len(checks)
    notes = checks["note"] if "note" in checks.columns else [""] * len(checks)
    return pd.DataFrame({
        "check": checks["name"],
        "checks": checks["to"],
        "record": [money_range(lo, hi, cur, exact=True) for lo, hi, cur in zip(
            checks["native_published_low"], checks["native_published_high"],
            checks["currency"], strict=True)],
        "says": says,
        "outcome": [check_verdict(h, lo, hi, bool(r), a) for h, lo, hi, r, a in zip(
            checks["holds"], checks["off_low"], checks["off_high"], restates, article,
            strict=True)],
        "why": [str(n or "") for n in notes],
        "source": checks["ref"],
        "id": checks["id"],
        "article": article,
    })[columns]


INSTRUMENT_WORDS = {"grant": N_("grants"), "loan": N_("loans (repaid)"),
                    "guarantee": N_("guarantees"), "in-kind": N_("in kind (equipment, services)"),
                    "unknown": N_("not stated")}


def instruments_table(result: Reconciliation) -> pd.DataFrame:
    """Money by instrument as read: the sources' own money and what flows into needs."""
    table = result.instruments
    if table.empty:
        return pd.DataFrame(columns=["instrument", "money", "into needs"])
    return pd.DataFrame({"instrument": [_(INSTRUMENT_WORDS.get(i, i))
                                        for i in table["instrument"]],
                         **_ranges(table, {"amount": "money", "to_needs": "into needs"},
                                   result.currency)})


def ranked_flows(result: Reconciliation, shown: int = 30) -> pd.DataFrame:
    """The Sankey as a ranked list, for a narrow screen: each flow (summed as the
    Sankey draws it) by its midpoint, largest first, in three columns."""
    flows = result.flows
    names = dict(zip(result.sources["id"], result.sources["name"], strict=True)) | dict(
        zip(result.needs["id"], result.needs["name"], strict=True))
    mid = (flows["value_low"].to_numpy(dtype=float) + flows["value_high"].to_numpy(
        dtype=float)) / 2
    order = np.argsort(-mid, kind="stable")[:shown]
    picked = flows.iloc[order]
    return pd.DataFrame({
        "from → to": [f"{names.get(a, a)} → {names.get(b, b)}"
                      for a, b in zip(picked["from"], picked["to"], strict=True)],
        "amount": [money_range(lo, hi, result.currency) for lo, hi in zip(
            picked["value_low"], picked["value_high"], strict=True)],
        "industry": [_(bloc) if bloc else "—" for bloc in picked["industry_bloc"]],
    })
