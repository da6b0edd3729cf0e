"""Donors: every donor by name and stage, Europe against the United States, a donor's
aid against its GDP (hand-computed), in the JSON report and on the page."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from ledger.__main__ import main
from ledger.reading.economies import read_economies
from ledger.reading.schema import read_ledger
from ledger.rules.donormoney import donor_table, gdp_in
from ledger.rules.reconcile import reconcile

from .conftest import ROOT

HEADER = "id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref\n"


def test_a_donors_share_of_gdp_and_per_inhabitant_worked_out_by_hand():
    # Norway gives €1 bn (pledged; €0.6 bn of it committed). World Bank 2024: Norway's
    # GDP $483,592,689,223 and 5,572,272 people (data/reference/gdp-population.csv). The ECB's
    # 2024 average: $1 = €0.9241279 (the mean over 2024's ECB days of 1 / USD rate).
    # GDP in euros 483,592,689,223 × 0.9241279 = €446,901,... bn; share of GDP
    # 1e9 / 446.90e9 = 0.2238 %; per inhabitant 1e9 / 5,572,272 = €179.46
    ledger = read_ledger((HEADER +
        "need,need,Military aid,military,,,bn EUR,2024-01-01,,,,,estimate,r\n"
        "no,source,Norway,,1,,bn EUR,2024-01-01,,,NO,,committed,r\n"
        "p,flow,Pledge,military,0.4,,bn EUR,2024-01-01,no,need,,unknown,pledged,r\n"
        "c,flow,Commitment,military,0.6,,bn EUR,2024-02-01,no,need,,unknown,committed,r\n"
    ).encode())
    result = reconcile(ledger)
    economies = read_economies()
    norway = economies.loc["NO"]
    rate = gdp_in("EUR", 2024, result.rates)
    assert rate == pytest.approx(0.9241279, rel=1e-6)
    table = donor_table(result, economies).set_index("code")
    gdp_eur = norway["gdp_usd"] * rate
    assert table.loc["NO", "pledged_low"] == pytest.approx(1e9)
    assert table.loc["NO", "committed_low"] == pytest.approx(0.6e9)
    assert table.loc["NO", "share_of_gdp_low"] == pytest.approx(1e9 / gdp_eur)
    assert table.loc["NO", "per_capita_low"] == pytest.approx(1e9 / norway["population"])


def test_the_json_report_lists_every_donor_with_its_stages_and_the_gdp_source(capsys):
    assert main(["report", str(ROOT / "data" / "funding.csv"), "--format", "json"]) == 0
    donors = json.loads(capsys.readouterr().out)["donors"]
    by_name = {d["name"]: d for d in donors}
    us = by_name["United States"]
    assert us["code"] == "US" and us["bloc"] == "United States"
    # the ERA's US share: committed, then allocated to the World Bank's fund, not paid
    assert us["stages"]["allocated"] == us["stages"]["committed"]
    assert us["stages"]["disbursed"] == [0.0, 0.0]
    assert us["share_of_gdp"] is not None and "World Bank" in us["gdp_source"]
    eu = [d for d in donors if d["code"] == "EU"]
    assert len(eu) >= 3 and all(d["share_of_gdp"] is None for d in eu)  # no GDP for the EU
    frozen = [d for d in donors if d["code"] == "RU-ASSETS"]
    assert all(d["bloc"] == "Immobilised Russian assets" for d in frozen)


def test_the_donors_page_ranks_donors_and_compares_europe_with_the_united_states():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/donors.py")
    at.run()
    assert not at.exception
    assert at.radio(key="donor_stage").value == "allocated"
    tables = " ".join(h.proto.body for h in at.get("html") if "table-donors" in h.proto.body)
    assert "United States" in tables and "Canada" in tables
    assert any("World Bank" in c.value for c in at.caption)
    # the shipped ledger's money spans 2024–2027: by month reads too
    assert [m.value for m in at.markdown if m.value.startswith("**By ")] == [
        "**By category**", "**By year**", "**By month**"]
    titles = [m.value for m in at.markdown if m.value.startswith("**Money ")]
    assert titles and "Europe" in titles[0] and "United States" in titles[0]
    at.radio(key="donor_stage").set_value("committed").run()
    assert at.query_params["donor_stage"] == "committed"
    at.radio(key="donor_rank").set_value("share of GDP").run()
    assert not at.exception


def test_a_kiel_upload_shows_each_eu_institution_as_a_donor_and_no_empty_industry_chart():
    from .test_mapping import kiel_workbook

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/data.py")
    at.run()
    at.file_uploader(key="upload").set_value(("tracker.xlsx", kiel_workbook(), xlsx))
    at.run()
    at.button(key="map_check").click().run()
    at.button(key="use_upload").click().run()
    at.switch_page("ui/pages/donors.py")
    at.run()
    assert not at.exception
    table = " ".join(h.proto.body for h in at.get("html") if "table-donors" in h.proto.body)
    for name in ("EU (Commission and Council)", "European Peace Facility",
                 "European Investment Bank", "Germany"):
        assert name in table, name
    at.switch_page("ui/pages/flows.py")
    at.run()
    assert not at.exception
    assert any("not recorded in this ledger" in i.value for i in at.info)
    assert not any(m.label.startswith("European money spent") for m in at.metric)


def test_money_by_stage_counts_each_stage_and_every_later_one_by_hand():
    # Norway: pledged 1, committed 2, disbursed 4 (and 8 assumed: no stage) → disbursed 4,
    # allocated 4, committed 2 + 4 = 6, pledged 1 + 6 = 7. Poland: committed 3 → pledged 3,
    # committed 3, allocated and disbursed 0. Norway first (pledged 7 > 3).
    import pandas as pd

    from ledger.rules.donormoney import by_stage

    money = pd.DataFrame({
        "key": ["NO", "PL", "NO", "NO", "NO"], "code": ["NO", "PL", "NO", "NO", "NO"],
        "name": ["Norway", "Poland", "Norway", "Norway", "Norway"],
        "bloc": ["Europe"] * 5,
        "status": ["pledged", "committed", "committed", "disbursed", "assumption"],
        "amount_low": [1.0, 3.0, 2.0, 4.0, 8.0], "amount_high": [1.0, 3.0, 2.0, 4.0, 8.0]})
    table = by_stage(money)
    assert table["key"].tolist() == ["NO", "PL"]
    assert table[["pledged_low", "committed_low", "allocated_low", "disbursed_low"]
                 ].to_numpy().tolist() == [[7, 6, 4, 4], [3, 3, 0, 0]]
    assert table["pledged_high"].tolist() == [7, 3]


@pytest.mark.parametrize("seed", range(20))
def test_money_by_stage_equals_a_group_by_of_the_same_money(seed):
    # the bincount of by_stage against a plain group-by, on random money: donors,
    # stages (and a status that is no stage), amounts
    import numpy as np
    import pandas as pd

    from ledger.rules.donormoney import by_stage
    from ledger.rules.stages import STAGES

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    keys = rng.choice(["NO", "PL", "EU|EIB", "EU|Commission", "US", "multi|Fund"], n)
    low = rng.choice([0.0, 0.5, 1.0, 2.5, 1e9], n)
    money = pd.DataFrame({"key": keys, "code": [k.split("|")[0] for k in keys],
                          "name": [k.split("|")[-1] + " name" for k in keys],
                          "bloc": ["Europe" if k != "US" else "United States" for k in keys],
                          "status": rng.choice([*STAGES, "assumption"], n),
                          "amount_low": low, "amount_high": low * rng.choice([1.0, 1.5], n)})
    staged = money[money["status"].isin(STAGES)]
    expected = []
    for (key, code, name, bloc), part in staged.groupby(["key", "code", "name", "bloc"]):
        row = {"key": key, "code": code, "name": name, "bloc": bloc}
        for bound in ("low", "high"):
            for i, stage in enumerate(STAGES):
                later = part[part["status"].isin(STAGES[i:])]
                row[f"{stage}_{bound}"] = float(later[f"amount_{bound}"].sum())
        expected.append(row)
    table = by_stage(money)
    if not expected:
        assert table.empty
        return
    want = pd.DataFrame(expected).sort_values(["pledged_high", "name"], ascending=[False, True],
                                              kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(table[want.columns], want, check_dtype=False)


@pytest.mark.parametrize("seed", range(4))
def test_every_flow_into_a_need_is_split_over_donors_to_the_cent(seed):
    # money is neither made nor lost splitting flows over their sources' donors, pools
    # (money passed from source to source) included: per status, the donors' money adds
    # up to the flows from sources into needs
    import numpy as np

    from bench.synthetic import csv_bytes
    from ledger.rules.donormoney import donors_of

    ledger = read_ledger(csv_bytes(3000, needs=25, sources=20, seed=seed, between=0.2))
    result = reconcile(ledger)
    frame = result.valued.frame
    sources = set(frame.loc[frame["kind"] == "source", "id"])
    into = frame[(frame["kind"] == "flow") & frame["to"].isin(set(result.needs["id"]))
                 & frame["from"].isin(sources)]
    money = donors_of(result)
    assert len(money) > 0
    for bound in ("low", "high"):
        given = into.groupby("status")[f"value_{bound}"].sum()
        split = money.groupby("status")[f"amount_{bound}"].sum().reindex(given.index)
        np.testing.assert_allclose(split.to_numpy(dtype=float), given.to_numpy(dtype=float),
                                   rtol=1e-12)
