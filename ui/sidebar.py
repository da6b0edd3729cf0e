"""Sidebar controls: reporting currency, FX mode and date, status filter and the
what-if levers. The scenario is mirrored in the URL so a link shares the view."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ledger.api import (
    ARTICLE_TAG,
    ASOF_RANGE,
    INSTRUMENTS,
    N_,
    PARTS,
    RECORD_TAG,
    STATUSES,
    Ledger,
    RateTable,
    Scenario,
    _,
    currencies,
    date_input_format,
    from_query,
    has_tag,
    said_words,
    shown_day,
    staleness,
    to_query,
    translator,
)
from ui.session import Keys
from ui.widgets import plain, plain_label

FIRST_CURRENCIES = ("EUR", "USD", "GBP")
PAGE_KEYS = ("behind", "donor_stage", "lang")  # and the Ledger's filters, l_*
LINKED_SOURCES = "_linked_sources"  # the sources a link set the availability of
FX_MODES = {"date": N_("One date for every amount"),
            "row-date": N_("Each amount at its own date")}
PART_LABELS = {"all": N_("Everything"), "record": N_("Public record only"),
               "article": N_("Article only")}


def has_parts(ledger: Ledger | None) -> bool:
    """Whether the ledger marks the article's rows or the record's (tags)."""
    if ledger is None:
        return False
    tags = ledger.frame["tags"]
    return bool(has_tag(tags, ARTICLE_TAG).any() or has_tag(tags, RECORD_TAG).any())


def currency_options(rates: RateTable) -> list[str]:
    latest = rates.frame.iloc[-1]  # a currency the ECB still quotes has a rate there
    others = sorted(c for c in currencies() if c in latest.index and latest[c] == latest[c]
                    and c not in FIRST_CURRENCIES)
    return [*FIRST_CURRENCIES, *others]


def _seed_from_url(rates: RateTable) -> None:
    """Once per session: the link's scenario becomes the widgets' starting values."""
    if st.session_state.get(Keys.SEEDED):
        return
    st.session_state[Keys.SEEDED] = True
    scenario, notes = from_query(dict(st.query_params))
    # what the link's data version or draft got wrong (ui.pins, read before) stays
    pinned = list(st.session_state.get(Keys.LINK_NOTES, []))
    st.session_state[Keys.LINK_NOTES] = pinned + notes
    st.session_state[Keys.CURRENCY] = scenario.currency
    st.session_state[Keys.FX_MODE] = scenario.fx_mode
    day = scenario.fx_date or rates.latest_date
    st.session_state[Keys.FX_DATE] = min(max(day, rates.first_date), rates.latest_date)
    st.session_state[Keys.STATUSES] = list(scenario.statuses if scenario.statuses is not None
                                        else STATUSES)
    st.session_state[Keys.SHIFT] = round(scenario.shift_us_to_europe * 100)
    st.session_state[Keys.ASOF] = scenario.asof
    st.session_state[Keys.PART] = scenario.part
    st.session_state[Keys.INSTRUMENTS] = list(scenario.instruments if scenario.instruments
                                              is not None else INSTRUMENTS)
    for source, share in scenario.availability:
        st.session_state[Keys.AVAILABILITY + source] = round(share * 100)
    st.session_state[LINKED_SOURCES] = [source for source, _ in scenario.availability]


def _remember_open() -> None:
    """An expander's own state starts closed on another page: this one reopens there."""
    opened = bool(st.session_state.get(Keys.AVAILABILITY_OPEN))
    st.session_state[Keys.AVAILABILITY_STAYS_OPEN] = opened


def reset() -> None:
    for key in list(st.session_state):
        if key in Keys.SCENARIO_WIDGETS or str(key).startswith(Keys.AVAILABILITY):
            del st.session_state[key]
    st.query_params.clear()
    st.session_state[Keys.SEEDED] = False


def scenario_controls(ledger: Ledger | None, rates: RateTable,
                      pinned: dict[str, str] | None = None) -> Scenario:
    """Draw the controls and return the scenario they describe; the address bar
    mirrors it (with `pinned`: the data version a link or a choice pins)."""
    _seed_from_url(rates)
    sidebar = st.sidebar
    sidebar.header(_("Scenario"))
    part = _part_control(ledger)
    currency, fx_mode, fx_date = _money_controls(rates)
    statuses = sidebar.multiselect(_("Count flows with status"), list(STATUSES),
                                   key=Keys.STATUSES, format_func=translator(),
                                   placeholder=_("Choose"),
                                   help=_("Needs and sources always count; this narrows "
                                          "which flows cover them."))
    instruments = sidebar.multiselect(
        _("Count money of instrument"), list(INSTRUMENTS), key=Keys.INSTRUMENTS,
        format_func=translator(), placeholder=_("Choose"),
        help=_("Loans are repaid: leave them out to see grants and aid in kind alone. A flow "
               "without an instrument of its own carries its source's."))
    asof = sidebar.date_input(_("As known on"), key=Keys.ASOF, format=date_input_format(),
                              min_value=ASOF_RANGE[0], max_value=ASOF_RANGE[1],
                              help=_("The ledger as it stood that day: only rows dated on or "
                                     "before it count, revisions included. Empty: every row."))
    sidebar.subheader(_("What if"))
    shift = sidebar.slider(_("Move US-bound orders to European industry"), 0, 100, step=5,
                           format="%d %%", key=Keys.SHIFT)
    availability = _availability_controls(ledger) if ledger is not None else []
    sidebar.button(_("Reset scenario"), on_click=reset, key="reset")
    scenario = Scenario(
        currency=currency,
        fx_mode="row-date" if fx_mode == "row-date" else "date",
        fx_date=None if fx_date == rates.latest_date else fx_date,
        statuses=None if set(statuses) == set(STATUSES) else tuple(
            s for s in STATUSES if s in statuses),
        availability=tuple(availability),
        shift_us_to_europe=shift / 100,
        asof=asof if isinstance(asof, dt.date) else None,
        part=part if part in PARTS else "all",
        instruments=None if set(instruments) == set(INSTRUMENTS) else tuple(
            i for i in INSTRUMENTS if i in instruments),
    )
    wanted: dict[str, str | list[str]] = {**to_query(scenario), **(pinned or {})}
    # a page's own settings travel in the link too (the Ledger's filters, the rows
    # behind a figure, the Donors page's stage): kept, not cleared by the scenario
    wanted |= {k: st.query_params.get_all(k) for k in st.query_params
               if k in PAGE_KEYS or k.startswith("l_")}
    if {k: st.query_params.get_all(k) for k in st.query_params} != {
            k: v if isinstance(v, list) else [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)
    _rates_and_link_notes(rates)
    return scenario


def _part_control(ledger: Ledger | None) -> str:
    """Everything, the record or the article: offered when the ledger has parts."""
    if not (has_parts(ledger) or st.session_state.get(Keys.PART, "all") != "all"):
        return "all"
    shown = {part: _(PART_LABELS[part]) for part in PARTS}  # in this run's language
    return str(st.sidebar.radio(
        _("Show"), list(PARTS), format_func=shown.__getitem__, key=Keys.PART,
        help=_("Everything: the article's figures, the public record and our assumptions. "
               "Public record only: no assumption, and no article figure the record does not "
               "confirm. Article only: the article's figures and the allocations it "
               "implies.")))


def _money_controls(rates: RateTable) -> tuple[str, str, dt.date | None]:
    """Reporting currency, how amounts are valued, and the rates' day."""
    sidebar = st.sidebar
    options = currency_options(rates)
    if st.session_state.get(Keys.CURRENCY) not in options:
        st.session_state[Keys.CURRENCY] = "EUR"
    currency = sidebar.selectbox(_("Reporting currency"), options, key=Keys.CURRENCY)
    modes = {mode: _(words) for mode, words in FX_MODES.items()}
    fx_mode = sidebar.radio(_("Exchange rates"), list(modes), format_func=modes.__getitem__,
                            key=Keys.FX_MODE,
                            help=_("ECB euro reference rates; a day without a rate takes the "
                                   "closest earlier one."))
    fx_date: dt.date | None = None
    if fx_mode == "date":
        fx_date = sidebar.date_input(_("Rates of"), min_value=rates.first_date,
                                     max_value=rates.latest_date, key=Keys.FX_DATE,
                                     format=date_input_format())
    return str(currency), str(fx_mode), fx_date


def _availability_controls(ledger: Ledger) -> list[tuple[str, float]]:
    """A slider per source (drawn only while its box is open); the sources changed."""
    sidebar = st.sidebar
    sources = ledger.of_kind("source")
    known = set(sources["id"])
    linked = st.session_state.get(LINKED_SOURCES, [])
    missing = sorted(s for s in linked if s not in known)
    if missing:  # a link made on another ledger, or a source renamed since
        named = ", ".join(f"'{m[:40]}'" for m in missing[:5]) + (
            " " + _("and {count} more").format(count=len(missing) - 5)
            if len(missing) > 5 else "")
        sidebar.warning(plain(_("The link sets the availability of {sources}: no source of "
                                "this ledger has that id, so it is ignored.").format(
                                    sources=named)))
    keys = [Keys.AVAILABILITY + sid for sid in sources["id"]]
    for key in keys:  # kept while its slider is not drawn (a widget's own state is not)
        st.session_state[key] = st.session_state.get(key, 100)
    changed = sum(st.session_state[key] != 100 for key in keys)
    # a slider per source is the heaviest part of the page for a browser to draw:
    # they are drawn only while this is open
    box = sidebar.expander(
        (_("Availability of each source ({count}, {changed} changed)") if changed else
         _("Availability of each source ({count})")).format(count=len(sources),
                                                            changed=changed),
        expanded=bool(st.session_state.get(Keys.AVAILABILITY_STAYS_OPEN)),
        key=Keys.AVAILABILITY_OPEN, on_change=_remember_open)
    if box.open:
        with box:
            for key, name in zip(keys, sources["name"], strict=True):
                st.slider(plain_label(name), 0, 100, step=5, format="%d %%", key=key)
    return [(sid, st.session_state[key] / 100)
            for sid, key in zip(sources["id"], keys, strict=True)
            if st.session_state[key] != 100]


def _rates_and_link_notes(rates: RateTable) -> None:
    """How recent the rates are, and what of the link was not understood."""
    sidebar = st.sidebar
    sidebar.caption(_("Exchange rates available up to {day}.").format(
        day=shown_day(rates.latest_date)))
    stale = said_words(staleness(rates.latest_date, dt.date.today()) or "")
    if stale:
        sidebar.warning(stale[0].upper() + stale[1:])
    notes = st.session_state.get(Keys.LINK_NOTES, [])
    if notes:  # one warning however many values a link gets wrong
        shown = "; ".join(said_words(n) for n in notes[:3]) + ("; " + _("and {count} more").format(
            count=f"{len(notes) - 3:,}") if len(notes) > 3 else "")
        sidebar.warning(plain(_("{count} part(s) of the link were not understood and are "
                                "ignored: {notes}").format(count=f"{len(notes):,}",
                                                          notes=shown)))
