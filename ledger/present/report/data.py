"""The report's content as plain data, and the CSV and JSON writers. CSV and
JSON carry no generation time: the same ledger and scenario give
byte-identical output."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from ledger.core.frames import records
from ledger.present.csvout import FORMULA_START, Number, csv_bytes, neutralise
from ledger.present.report import jsontext
from ledger.present.wording import message
from ledger.rules.reconcile import Reconciliation
from ledger.rules.stages import STAGES

__all__ = ["FORMULA_START", "neutralise"]

CSV_COLUMNS = (
    "id", "name", "category", "need_low", "need_high", "covered_low", "covered_high",
    "gap_low", "gap_high", "coverage_low", "coverage_high", "currency",
)
YEAR_FIELDS = ("need", "pledged", "committed", "allocated", "disbursed", "early", "gap",
               "cumulative_gap")
JSON_FIELDS = ("currency", "fx", "scenario", "data_version", "totals", "needs", "sources",
               "industry", "industry_by_category", "years", "stages", "donors", "checks",
               "instruments",
               "payer_supplier", "reported", "findings", "link")


def _amount(value: float) -> float | None:
    """Whole units of the reporting currency, to the cent; None if not finite."""
    value = float(value)
    return round(value, 2) if math.isfinite(value) else None


def _ratio(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _pair(low: float, high: float, kind: str = "amount") -> list[float | None]:
    cast = _amount if kind == "amount" else _ratio
    return [cast(low), cast(high)]


def donors_part(result: Reconciliation) -> list[dict[str, Any]]:
    """Every donor by name with its code and bloc, its money by stage (each stage
    counting itself and every later one), and its total as a share of its GDP and
    per inhabitant (null where the reference table lacks it), with that table's
    source and year."""
    from ledger.reading.economies import ECONOMY_SOURCE, read_economies
    from ledger.rules.donormoney import donor_table

    table = donor_table(result, read_economies())
    return [{"code": r["code"], "name": r["name"], "bloc": r["bloc"],
             "stages": {s: _pair(r[f"{s}_low"], r[f"{s}_high"]) for s in STAGES},
             "share_of_gdp": (None if pd.isna(r["share_of_gdp_low"]) else
                              _pair(r["share_of_gdp_low"], r["share_of_gdp_high"], "ratio")),
             "per_capita": (None if pd.isna(r["per_capita_low"]) else
                            _pair(r["per_capita_low"], r["per_capita_high"])),
             "gdp_source": (None if pd.isna(r["gdp_year"]) else
                            ECONOMY_SOURCE.format(year=int(r["gdp_year"])))}
            for r in records(table)]


def _bounds(*names: str) -> list[str]:
    """`name_low`, `name_high` for each name."""
    return [f"{name}_{bound}" for name in names for bound in ("low", "high")]


def rates_used(result: Reconciliation) -> dict[str, dict[str, dict[str, Any]]]:
    """Per currency, per valuation date: the ECB (or user) rate used and its date."""
    rates = result.valued.conversion.rates.sort_values(["currency", "valued_on"])
    factor_key = "to_" + result.currency
    columns = zip(rates["currency"].tolist(), _days(rates["valued_on"]), _days(rates["rate_date"]),
                  rates["per_eur"].astype(float).tolist(), rates["factor"].astype(float).tolist(),
                  rates["source"].tolist(), strict=True)
    used: dict[str, dict[str, dict[str, Any]]] = {}
    for currency, valued_on, rate_date, per_eur, factor, source in columns:
        used.setdefault(str(currency), {})[valued_on] = {
            "rate_date": rate_date, "per_eur": per_eur, factor_key: factor, "source": source}
    return used


def _days(column: pd.Series) -> list[str]:
    """Dates as ISO days, the whole column at once."""
    return np.datetime_as_string(column.to_numpy(dtype="datetime64[D]"), unit="D").tolist()


def reported_part(result: Reconciliation, reported: Reconciliation | None
                  ) -> dict[str, Any] | None:
    """The headline figures counting no assumption, and what the assumptions add (None
    when the view counts assumptions and the caller gave no reported view)."""
    from ledger.present.headline import headline_block

    block = headline_block(result, reported)
    figures = [block[key] for key in ("covered", "gap", "coverage", "europe_to_us")]
    if any(f.reported is None for f in figures):
        return None
    return {f.key: {"reported": _pair(*(f.reported or (0.0, 0.0)),
                                      "ratio" if f.ratio else "amount"),
                    "assumed": None if f.assumed is None else _pair(*f.assumed)}
            for f in figures}


def _who_pays(result: Reconciliation) -> dict[str, list[dict[str, Any]]]:
    """The JSON report's tables of who pays and whose industry gets the orders."""
    industry = [
        {"bloc": r["bloc"], "amount": _pair(r["amount_low"], r["amount_high"]),
         "share": _pair(r["share_low"], r["share_high"], "ratio"),
         "share_of_known": (None if r["bloc"] == "Unknown" else
                            _pair(r["share_of_known_low"], r["share_of_known_high"], "ratio"))}
        for r in records(result.industry)
    ]
    by_category = [
        {"category": r["category"], "bloc": r["bloc"],
         "amount": _pair(r["amount_low"], r["amount_high"]),
         "share": _pair(r["share_low"], r["share_high"], "ratio")}
        for r in records(result.industry_by_category)
    ]
    payer = [
        {"donor_bloc": r["donor_bloc"], "industry_bloc": r["industry_bloc"],
         "amount": _pair(r["amount_low"], r["amount_high"])}
        for r in records(result.payer_supplier)
    ]
    return {"industry": industry, "industry_by_category": by_category, "payer_supplier": payer}


def _needs_part(result: Reconciliation) -> list[dict[str, Any]]:
    """Each need with its size, what covers it, its gap and coverage."""
    return [
        {"id": r["id"], "name": r["name"], "category": r["category"],
         "need": _pair(r["need_low"], r["need_high"]),
         "covered": _pair(r["covered_low"], r["covered_high"]),
         "gap": _pair(r["gap_low"], r["gap_high"]),
         "coverage": _pair(r["coverage_low"], r["coverage_high"], "ratio")}
        for r in records(result.needs, [
            "id", "name", "category", *_bounds("need", "covered", "gap", "coverage")])
    ]


def _sources_part(result: Reconciliation) -> list[dict[str, Any]]:
    """Each source with what it has, what it gives and what is left."""
    return [
        {"id": r["id"], "name": r["name"],
         "available": _pair(r["available_low"], r["available_high"]),
         "allocated": _pair(r["allocated_low"], r["allocated_high"]),
         "headroom": _pair(r["headroom_low"], r["headroom_high"]),
         "over_allocated": r["over_allocated"]}
        for r in records(result.sources, [
            "id", "name", "over_allocated", *_bounds("available", "allocated", "headroom")])
    ]


def to_dict(result: Reconciliation, reported: Reconciliation | None = None) -> dict[str, Any]:
    """The JSON report as a dict, in the shape of DESIGN.md."""
    fx_date = result.fx_date
    who_pays = _who_pays(result)
    return {
        "currency": result.currency,
        "fx": {"mode": result.scenario.fx_mode,
               "date": fx_date.isoformat() if fx_date else None,
               "latest": result.rates_latest.isoformat(),
               "rates": rates_used(result)},
        "scenario": result.scenario.describe(fx_date),
        "data_version": result.data_version,
        "totals": {k: _pair(*v, "ratio" if k == "coverage" else "amount")
                   for k, v in result.totals.items()},
        "needs": _needs_part(result),
        "sources": _sources_part(result),
        "industry": who_pays["industry"],
        "industry_by_category": who_pays["industry_by_category"],
        "years": [{"year": int(r["year"]), **{name: _pair(r[f"{name}_low"], r[f"{name}_high"])
                                             for name in YEAR_FIELDS}}
                  for r in records(result.years)],
        "stages": [{"stage": r["stage"], "covered": _pair(r["covered_low"], r["covered_high"]),
                    "gap": _pair(r["gap_low"], r["gap_high"]),
                    "coverage": _pair(r["coverage_low"], r["coverage_high"], "ratio")}
                   for r in records(result.stages) if r["stage"] in STAGES],
        "donors": donors_part(result),
        "checks": [
            {"id": r["id"], "name": r["name"], "to": r["to"], "ref": r["ref"],
             "date": r["date"].date().isoformat(),
             "published": _pair(r["published_low"], r["published_high"]),
             "ledger": (None if pd.isna(r["ledger_low"]) else
                        _pair(r["ledger_low"], r["ledger_high"])),
             "holds": r["holds"], "restates": bool(r["restates"])}
            for r in records(result.checks, [
                "id", "name", "to", "ref", "date", "holds", "restates",
                *_bounds("published", "ledger")])],
        "instruments": [
            {"instrument": r["instrument"], "amount": _pair(r["amount_low"], r["amount_high"]),
             "to_needs": _pair(r["to_needs_low"], r["to_needs_high"])}
            for r in records(result.instruments)],
        "payer_supplier": who_pays["payer_supplier"],
        "reported": reported_part(result, reported),
        "findings": [{"severity": f.severity, "code": f.code, "rows": list(f.rows),
                      "message": message(f)} for f in result.findings],
        "link": link(result),
    }


def link(result: Reconciliation) -> str:
    """The dashboard link's query string that reproduces this view."""
    from urllib.parse import urlencode

    from ledger.rules.scenario import to_query

    return urlencode(to_query(result.scenario), safe=",:")


def to_json(result: Reconciliation, reported: Reconciliation | None = None) -> bytes:
    return (jsontext.dumps(to_dict(result, reported)) + "\n").encode("utf-8")


def gap_table(result: Reconciliation) -> pd.DataFrame:
    """One row per need plus a total row, with the CSV report's columns."""
    needs = result.needs
    total = result.totals
    total_row: dict[str, object] = {"id": "TOTAL", "name": "All needs", "category": ""}
    for name in ("need", "covered", "gap", "coverage"):  # gap: Σ uncovered, as everywhere
        total_row[f"{name}_low"], total_row[f"{name}_high"] = total[name]
    table = pd.concat([needs[list(CSV_COLUMNS[:-1])], pd.DataFrame([total_row])],
                      ignore_index=True)
    table["currency"] = result.currency
    return table


def to_csv(result: Reconciliation) -> bytes:
    table = gap_table(result)
    rows = []
    for row in table.itertuples(index=False):
        cells: list[object] = []
        for column, value in zip(CSV_COLUMNS, row, strict=True):
            if isinstance(value, str):
                cells.append(value)
            elif column.startswith("coverage"):
                cells.append(float(value))
            elif not math.isfinite(value):  # a size no one states: an empty cell
                cells.append("")
            else:
                cells.append(Number(f"{value:.2f}"))
        rows.append(cells)
    return csv_bytes(CSV_COLUMNS, rows)


def provenance(result: Reconciliation, today: dt.date | None = None) -> list[tuple[str, str]]:
    """How the report was made: what a reader needs to reproduce it (`today`: the day
    the report is made, to say how old the rates are)."""
    import ledger
    from ledger.money.fx import staleness

    scenario = result.scenario
    fx = (f"every amount at the ECB rates of {result.fx_date}" if result.fx_date
          else "each amount at the rates of its own date")
    availability = ", ".join(f"{source}: {share * 100:.0f} %"
                             for source, share in sorted(scenario.availability))
    return [
        ("Reporting currency", result.currency),
        ("Exchange rates", fx + " (closest earlier published rate where a day has none)"),
        ("Rates available up to", str(result.rates_latest) + (
            f" — warning: {staleness(result.rates_latest, today)}"
            if today and staleness(result.rates_latest, today) else "")),
        ("Flow statuses counted", "all" if scenario.statuses is None
         else ", ".join(scenario.statuses) or "none"),
        ("Source availability", availability or "every source at 100 %"),
        ("US-bound orders moved to European industry",
         f"{scenario.shift_us_to_europe * 100:.0f} %"),
        ("Link parameters that reproduce this view", "?" + link(result) if link(result)
         else "none (the default view)"),
        ("Data version (sha256 of the input file)", result.data_version),
        ("Software", f"ukraine-funding-ledger {ledger.__version__}"),
    ]


def rates_table(result: Reconciliation) -> pd.DataFrame:
    rates = result.valued.conversion.rates.sort_values(["currency", "valued_on"])
    return pd.DataFrame({
        "currency": rates["currency"].to_numpy(),
        "valued_on": _days(rates["valued_on"]),
        "rate_date": _days(rates["rate_date"]),
        "per_eur": rates["per_eur"].to_numpy(dtype=float),
        f"factor_to_{result.currency}": rates["factor"].to_numpy(dtype=float),
        "source": rates["source"].to_numpy(dtype=object),
    })
