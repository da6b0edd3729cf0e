"""The Data page's mapping step: a workbook, or a CSV whose columns are not ours,
becomes a funding CSV. The sheet, then for each of our columns one of theirs or
a constant, value maps for coded columns, a live preview of the first rows, and
the mapping as JSON to download and reuse (`python -m ledger import`)."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import streamlit as st

from ledger.api import (
    INSTRUMENTS,
    KINDS,
    N_,
    REQUIRED,
    STATUSES,
    LedgerError,
    _,
    convert_untrusted,
    peek_untrusted,
    problem_line,
    said_words,
    same_conversion,
)
from ledger.api import mapping as mp
from ui.session import digest_of
from ui.view import problems_frame
from ui.widgets import plain

NOT_USED = "\x00not used"  # the column pickers' own choices (shown by option_words);
CONSTANT = "\x00constant"  # a NUL starts no column name a table can have
CODED = {"kind": KINDS, "status": STATUSES, "instrument": INSTRUMENTS}
LEDGER_COLUMNS = ("id", "kind", "name", "category", "low", "high", "unit", "date", "from",
                  "to", "donor", "industry", "status", "instrument", "ref", "note", "end",
                  "revises", "tags")
ROW_MODES = {"ledger": N_("Each row is one of our rows (a need, source, flow or check)"),
             "entries": N_("Each row is an aid entry: a source per donor and a need per "
                           "category are created, with the flows between them")}
PREVIEW_ROWS = 10


def needs_mapping(data: bytes) -> bool:
    """A workbook always goes through this step; a CSV only when its header row is
    not ours (judged on the first lines, so a large CSV of ours is read once)."""
    from ledger.api import kind_of

    try:
        if kind_of(data) != "csv":
            return True
    except LedgerError:
        return True  # the step shows the refusal
    import codecs

    sample = data[:65_536]
    encoding = "utf-16" if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
        else "utf-8"
    lines = [line for line in sample.decode(encoding, errors="ignore").lstrip("\ufeff")
             .splitlines()[:40] if line.strip()][:20]
    if not lines or max(",;\t", key=lines[0].count) not in lines[0]:
        return False  # not a table at all: the usual check says why
    for line in lines:  # our header, maybe below a few lines of notes
        separator = max(",;\t", key=line.count)
        names = {cell.strip().strip('"').lower() for cell in line.split(separator)}
        if {"id", "kind"} <= names:
            return False
    return True


def _peek(data: bytes, sheet: str | None) -> Any:
    """The worker's peek at `sheet` of this file (None: the sheet it picks), kept for
    the session: the sheet picker then naming the sheet already shown reads nothing
    again."""
    digest = digest_of(data)
    kept = st.session_state.get("_mapping_peek")
    if kept is not None and kept[0] == digest and sheet in (None, kept[1].table.sheet):
        return kept[1]
    peeked = peek_untrusted(data, sheet, convert=True)
    st.session_state["_mapping_peek"] = (digest, peeked)
    return peeked


def option_words(option: str) -> str:
    """A column picker's choice as read: their column's name, or what the two
    choices of ours mean."""
    return {NOT_USED: _("— not used —"), CONSTANT: _("a constant…")}.get(option, option)


def mapped_upload(data: bytes) -> bytes | None:
    """Draw the step; the funding CSV once the user has checked a mapping that
    reads, else None."""
    st.markdown("**" + _("Map your table to a funding ledger") + "**")
    try:
        peek = _peek(data, st.session_state.get("map_sheet"))
    except LedgerError as exc:
        st.error(_("This file cannot be used. Nothing has changed: the figures in force stay "
                   "in force."))
        st.dataframe(problems_frame(exc.problems), hide_index=True, width="stretch",
                     key="map_refused")
        return None
    table = peek.table
    if len(peek.sheets) > 1:
        names = [s.name for s in peek.sheets]
        hidden = " " + _("(hidden)")
        labels = {s.name: s.name + ("" if s.visible else hidden) for s in peek.sheets}
        st.selectbox(_("Sheet"), names, index=names.index(table.sheet), key="map_sheet",
                     format_func=lambda name: labels.get(name, name))
    for note in map(said_words, table.notes):
        st.info(plain(note[0].upper() + note[1:] + "."))
    uploaded = st.file_uploader(_("A saved mapping (JSON), if you have one"), key="map_file",
                                type=["json"])
    start = peek.mapping
    if uploaded is not None:
        try:
            start = mp.parse(uploaded.getvalue())
        except LedgerError as exc:
            st.error(plain(_("The mapping cannot be used: {problems}").format(
                problems="; ".join(problem_line(p) for p in exc.problems[:5]))))
    if peek.recognised and uploaded is None:
        what = _("our own columns") if peek.recognised == "ours" else (
            start.name if start is not None and start.name else peek.recognised)
        st.success(plain(_("Recognised: {what}. Mapped with no work; check the preview, or "
                           "change the mapping below.").format(what=what)))
    _seed(start, table.header, digest_of(data) + table.sheet + (
        uploaded.file_id if uploaded is not None else ""))
    mapping = _editor(table, peek.distinct, expanded=not peek.recognised)
    text = mapping.to_json()
    st.download_button(_("Download this mapping (JSON)"), data=text.encode("utf-8"),
                       file_name="mapping.json", mime="application/json", key="map_download",
                       on_click="ignore", help=_("Use it again here, or on the command line: "
                                                 "python -m ledger import FILE --map "
                                                 "mapping.json"))
    _preview(table, mapping)
    if not st.button(_("Check every row with this mapping"), key="map_check", type="primary"):
        done = st.session_state.get("_mapped")
        return done[1] if done and done[0] == (digest_of(data), table.sheet, text) else None
    converted = _converted(data, peek, mapping, text)
    if converted is None:
        return None
    st.session_state["_mapped"] = ((digest_of(data), table.sheet, text), converted.csv)
    return bytes(converted.csv)


def _converted(data: bytes, peek: Any, mapping: mp.Mapping, text: str) -> Any:
    """The whole table converted and checked with `mapping` (`text`, its JSON): the
    conversion the peek made when the mapping is the one it recognised, else the
    worker's; None, with the problems shown, when it does not read."""
    with st.spinner(_("Converting and checking every row…")):
        try:  # a recognised table was converted with its preview: not read again
            if same_conversion(mapping, peek.mapping) and peek.converted is not None:
                return peek.converted
            return convert_untrusted(data, peek.table.sheet, text)
        except LedgerError as exc:
            st.error(_("{count} problem(s), each naming the row and column of your sheet. "
                       "Nothing has changed: the figures in force stay in force.").format(
                           count=f"{exc.total:,}"))
            st.dataframe(problems_frame(exc.problems), hide_index=True, width="stretch",
                         key="map_problems")
            return None


def _seed(start: mp.Mapping | None, header: list[str], key: str) -> None:
    """Once per table (and per mapping file): the widgets start from the mapping
    recognised or loaded, else from their columns named like ours."""
    if st.session_state.get("_map_seeded") == key:
        return
    st.session_state["_map_seeded"] = key
    for name in list(st.session_state):
        if str(name).startswith(("map_col_", "map_const_", "map_values_", "map_countries",
                                 "map_json_")):
            del st.session_state[name]
    columns = start.columns if start is not None else mp.identity(header).columns
    st.session_state["map_rows"] = start.rows if start is not None else "ledger"
    for ours, spec in columns.items():
        if "column" in spec and spec["column"] in header:
            st.session_state[f"map_col_{ours}"] = spec["column"]
        elif "value" in spec:
            st.session_state[f"map_col_{ours}"] = CONSTANT
            st.session_state[f"map_const_{ours}"] = str(spec["value"])
        if spec.get("countries"):
            st.session_state["map_countries"] = True
    simple = {"column", "value", "values", "countries"}  # what the editor's widgets hold
    st.session_state["_map_extra"] = {ours: spec for ours, spec in columns.items()
                                      if not set(spec) <= simple}
    for ours, spec in st.session_state["_map_extra"].items():
        st.session_state[f"map_json_{ours}"] = json.dumps(spec, ensure_ascii=False)
    st.session_state["_map_values"] = {ours: spec.get("values", {})
                                       for ours, spec in columns.items()}
    stages = start.stages if start is not None else {}
    st.session_state["map_stages"] = json.dumps(stages, indent=1, ensure_ascii=False) \
        if stages else ""
    st.session_state["map_negatives"] = start is not None and start.negatives == "corrections"


def _editor(table: Any, distinct: dict[str, list[str]], expanded: bool) -> mp.Mapping:
    with st.expander(_("Column mapping"), expanded=expanded):
        modes = {mode: _(words) for mode, words in ROW_MODES.items()}
        rows = st.radio(_("Your rows"), list(ROW_MODES), format_func=modes.__getitem__,
                        key="map_rows")
        ours = mp.ENTRY_COLUMNS if rows == "entries" else LEDGER_COLUMNS
        required = mp.ENTRY_REQUIRED if rows == "entries" else REQUIRED
        options = [NOT_USED, *[h for h in table.header if h.strip()], CONSTANT]
        extra = st.session_state.get("_map_extra", {})
        columns: dict[str, dict[str, Any]] = {}
        for column in ours:
            label = column + (" " + _("(required)") if column in required else "")
            if column in extra:  # a fallback, a template, a month index: edited as JSON
                spec_text = st.text_area(
                    _("{column}: spec (JSON, as in a saved mapping)").format(column=label),
                    key=f"map_json_{column}", height=68,
                    help='{"column": "announcement_date", "fallback": {"month_index": '
                    '"month", "first": "2022-01"}}: ' + _("see the README's table of mapping "
                                                          "keys. Empty: not used."))
                if spec_text.strip():
                    try:
                        parsed = mp.loads(spec_text)
                    except LedgerError as exc:
                        st.warning(plain(_("{column}: not JSON ({problem}); the spec "
                                           "loaded stays in use").format(
                                               column=column,
                                               problem=problem_line(exc.problems[0]))))
                        parsed = extra[column]
                    columns[column] = parsed if isinstance(parsed, dict) else extra[column]
                continue
            key = f"map_col_{column}"
            if st.session_state.get(key) not in options:
                st.session_state[key] = NOT_USED
            left, right = st.columns([2, 3])
            chosen = left.selectbox(label, options, key=key, format_func=option_words)
            if chosen == CONSTANT:
                value = right.text_input(_("{column}: constant").format(column=column),
                                         key=f"map_const_{column}")
                columns[column] = {"value": value}
            elif chosen != NOT_USED:
                spec: dict[str, Any] = {"column": chosen}
                if column == "donor" and rows == "entries":
                    # on unless the user or the mapping said otherwise (a default value
                    # beside one set through the session state is warned about)
                    st.session_state.setdefault("map_countries", True)
                    if right.checkbox(_("Country names → codes"), key="map_countries"):
                        spec["countries"] = True
                if column in CODED or column == "category":
                    spec.update(_values(column, chosen, distinct.get(chosen, [])))
                columns[column] = spec
        stages, negatives = _stages_and_negatives(rows)
        missing = [c for c in required if c not in columns
                   and not (c == "low" and ("amount" in columns or stages))]
        if missing:
            st.warning(_("Still to map: {columns}. Nothing is guessed.").format(
                columns=", ".join(missing)))
    return mp.Mapping(rows=rows, columns=columns, sheet=table.sheet,
                      name=f"mapping for sheet {table.sheet}", stages=stages,
                      negatives=negatives)


def _stages_and_negatives(rows: str) -> tuple[dict[str, Any], str]:
    """For entries: the stages one row holds (JSON, as in a saved mapping: Kiel's
    commitment and allocation) and whether negative amounts are corrections."""
    if rows != "entries":
        return {}, ""
    text = st.text_area(
        _("Stages (optional, JSON): one row as the same money at several stages"),
        key="map_stages", height=120,
        help='{"column": "measure", "values": {"Allocation": {"committed": '
             '"tot_activity_value_EUR", "allocated": "tot_sub_activity_value_EUR_redistr"}}}: '
             + _("per value of that column, our stages and the columns of their amounts; "
                 "each later stage fulfils the earlier."))
    stages: dict[str, Any] = {}
    if text.strip():
        try:
            parsed = mp.loads(text)
        except LedgerError as exc:
            st.warning(plain(_("The stages are not JSON: {problem}").format(
                problem=problem_line(exc.problems[0]))))
        else:
            stages = parsed if isinstance(parsed, dict) else {}
    negatives = st.checkbox(_("Negative amounts are corrections (netted into the same donor, "
                              "type and stage), not errors"), key="map_negatives")
    return stages, "corrections" if negatives else ""


def _values(column: str, theirs: str, seen: list[str]) -> dict[str, Any]:
    """A value map for a coded column: their values on the left, ours on the right."""
    known = st.session_state.get("_map_values", {}).get(column, {})
    allowed = CODED.get(column)
    rows = [{"theirs": v, "ours": known.get(v, v.strip().lower() if allowed is None or
                                            v.strip().lower() in allowed else "")}
            for v in seen[:40]]
    edited = st.data_editor(pd.DataFrame(rows, columns=["theirs", "ours"]),
                            key=f"map_values_{column}", hide_index=True, width="stretch",
                            disabled=["theirs"], num_rows="fixed")
    values = dict(known)  # what the mapping loaded says of values this table lacks stays
    said = {k.strip().lower(): v for k, v in known.items()}
    for r in edited.itertuples():
        theirs, mine = str(r.theirs), str(r.ours).strip()
        if mine and said.get(theirs.strip().lower()) != mine:  # matched trimmed anyway
            values[theirs] = mine
    return {"values": values} if values else {}


def _preview(table: Any, mapping: mp.Mapping) -> None:
    """The first rows as they will read, or why they do not."""
    head = type(table)(table.sheet, table.header_row, table.header,
                       table.rows[:PREVIEW_ROWS], [])
    st.caption(_("Preview: the first {count} rows of your sheet as they will read.").format(
        count=min(PREVIEW_ROWS, len(table.rows))))
    try:
        mp.parse(mapping.to_json())
        text = mp.apply(head, mapping)
        frame = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
    except LedgerError as exc:
        st.dataframe(problems_frame(exc.problems), hide_index=True, width="stretch",
                     key="map_preview_problems")
        return
    st.dataframe(frame, hide_index=True, width="stretch", key="map_preview")
