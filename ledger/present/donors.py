"""The Donors page and report sections as read: every donor by name with its code,
its money by stage (allocations beside commitments), a ranking by total, by share
of its GDP and per inhabitant (with the reference table's source and year), and
Europe against the United States by category and by year at the stage a reader picks
(the Kiel tracker's headline comparison)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ledger.core.language import N_, _
from ledger.present.charts import BLOC_COLOURS, axis_unit, built_figure, safe, whisker_spec
from ledger.present.formatting import money_range, percent_range
from ledger.reading.economies import ECONOMY_SOURCE, read_economies
from ledger.rules.donormoney import donor_table, donors_of
from ledger.rules.reconcile import Reconciliation
from ledger.rules.stages import STAGES, stage_or_further

RANKINGS = {"total": "pledged", "share of GDP": "share_of_gdp", "per inhabitant": "per_capita"}
COMPARED = ("Europe", "United States")
YEAR_UNKNOWN, DATE_UNKNOWN = N_("year unknown"), N_("date unknown")  # rows without a date
STAGE_LABELS = {"pledged": N_("pledged or further"), "committed": N_("committed or further"),
                "allocated": N_("allocated or further"), "disbursed": N_("disbursed")}


def donors_ranked(result: Reconciliation, by: str = "total") -> pd.DataFrame:
    """Every donor as read, ranked by its total, its share of GDP or per inhabitant
    (donors the reference table lacks last): name, code, bloc, each stage, share of
    GDP, per inhabitant."""
    table = donor_table(result, read_economies())
    columns = ["donor", "code", "bloc", *(STAGE_LABELS[s] for s in STAGES), "share of GDP",
               "per inhabitant"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    key = RANKINGS.get(by, "pledged")
    table = table.sort_values(f"{key}_high", ascending=False, na_position="last",
                              kind="stable")
    c = result.currency
    return pd.DataFrame({
        "donor": table["name"], "code": table["code"], "bloc": table["bloc"],
        **{STAGE_LABELS[s]: [money_range(lo, hi, c) for lo, hi in zip(
            table[f"{s}_low"], table[f"{s}_high"], strict=True)] for s in STAGES},
        "share of GDP": ["" if pd.isna(lo) else percent_range(lo, hi, digits=2) for lo, hi in
                         zip(table["share_of_gdp_low"], table["share_of_gdp_high"],
                             strict=True)],
        "per inhabitant": ["" if pd.isna(lo) else money_range(lo, hi, c, exact=True)
                           for lo, hi in zip(table["per_capita_low"], table["per_capita_high"],
                                             strict=True)],
    })[columns].reset_index(drop=True)


def economy_note() -> str:
    """Where the share of GDP and the per-inhabitant figures come from."""
    year = int(read_economies()["gdp_year"].max())  # the table's year, not recomputed
    return _(ECONOMY_SOURCE).format(year=year) + ". " + _(
        "Each donor's total (pledged or further) against them; EU institutions and groups "
        "of donors have no GDP here.")


def blocs_compared(result: Reconciliation, stage: str, by: str) -> pd.DataFrame:
    """Europe against the United States (and the rest) at `stage` or further, per
    need category (`by="category"`), per year (`by="year"`; a year unknown is its
    own row) or per month (`by="month"`, YYYY-MM): bloc, the `by` column,
    amount_low, amount_high."""
    money = donors_of(result)
    if money.empty:
        return pd.DataFrame(columns=["bloc", by, "amount_low", "amount_high"])
    counted = money[money["status"].isin(stage_or_further(stage))]
    if by == "year":
        counted = counted.assign(year=counted["year"].astype("Int64").astype(str)
                                 .replace("<NA>", YEAR_UNKNOWN))
    elif by == "month":
        counted = counted.assign(month=counted["month"].fillna(DATE_UNKNOWN))
    return (counted.groupby(["bloc", by], sort=True)[["amount_low", "amount_high"]].sum()
            .reset_index())


def _x_words(value: object) -> str:
    """A bar's place on the axis: a category or a year as the ledger writes it, and
    in the reader's words only where the words are ours ("year unknown")."""
    text = str(value)
    return _(text) if text in (YEAR_UNKNOWN, DATE_UNKNOWN) else text


def blocs_chart(table: pd.DataFrame, by: str, stage: str, currency: str) -> go.Figure:
    """Grouped bars, Europe beside the United States per category or year (a bar to
    the low end, a whisker to the high end); the title states which gives more."""
    bars = []
    for bloc in COMPARED:
        part = table[table["bloc"] == bloc]
        if part.empty:
            continue
        bars.append(whisker_spec(_(bloc), [safe(_x_words(x)) for x in part[by]],
                                  part["amount_low"], part["amount_high"], BLOC_COLOURS[bloc],
                                  currency, horizontal=False, offsetgroup=bloc))
    totals = {b: (table.loc[table["bloc"] == b, "amount_low"].sum(),
                  table.loc[table["bloc"] == b, "amount_high"].sum()) for b in COMPARED}
    words = _(STAGE_LABELS[stage])
    if not any(v[1] for v in totals.values()):
        title = _("Neither Europe nor the United States has money {stage} here").format(
            stage=words)
    else:
        ahead = max(COMPARED, key=lambda b: totals[b][1])
        other = COMPARED[1 - COMPARED.index(ahead)]
        title = _("Money {stage}: {ahead} {ahead_amount}, {other} {other_amount}").format(
            stage=words, ahead=_(ahead), ahead_amount=money_range(*totals[ahead], currency),
            other=_(other), other_amount=money_range(*totals[other], currency))
    return built_figure(bars, {"barmode": "group",
                               "xaxis": {"title": {"text": _(by)}, "type": "category"},
                               "yaxis": {"title": {"text": axis_unit(currency)}}}, title,
                        height=380)




def months_allow(result: Reconciliation) -> bool:
    """Whether a by-month comparison reads: the money's dates span at most three
    years (36 bars a bloc), and more than one month."""
    months = donors_of(result)["month"].dropna().unique()
    return len(months) > 1 and len({m[:4] for m in months}) <= 3
