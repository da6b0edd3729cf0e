"""Small shared pieces of page layout."""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ledger.api import _, frame_csv

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's markdown turns bare addresses into links after escapes are resolved
# (GFM autolink literals: http://, https://, www., name@host): a word joiner, which
# shows as nothing, keeps them plain text
_AUTOLINK = re.compile(r"(?i)(https?:|www(?=\.)|@)")
WORD_JOINER = "\u2060"
_ICON = re.compile(r"(?i):(?=material/)")


def plain(text: object) -> str:
    """Escape markdown so text from a ledger or a link shows as typed, never as markup:
    no link, no image, no formatting. Every label and message built from user text
    goes through here."""
    joined = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, str(text))
    # Streamlit draws `:material/name:` as an icon even with its colons escaped
    joined = _ICON.sub(":" + WORD_JOINER, joined)
    return _MARKDOWN.sub(r"\\\1", joined)


# a widget's label is also its accessible name: escape only what would become markup
# there, so "G7 ERA: EU share (grants)" is read without backslashes
_LABEL_MARKUP = re.compile(r"([\\`*_\[\]~<>|$!])")
_LINE_START = re.compile(r"^(\s*)([#>+-])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")  # "1. item" would start a list: 1\. item
_SHORTCODE = re.compile(r":(?=[\w/+-]+(?::|\[))")  # :emoji:, :material/icon:, :red[text]


def plain_label(text: object) -> str:
    """A label built from user text (a source's name on its slider): shown as typed,
    never as markup, and read by a screen reader without escapes wherever the text
    has no markup characters."""
    joined = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, str(text))
    joined = _SHORTCODE.sub(":" + WORD_JOINER, joined)
    joined = _LABEL_MARKUP.sub(r"\\\1", joined)
    joined = _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), joined)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), joined)


# a money range or a share, with its scale word and currency where they follow:
# "€310–386 bn", "310–386 Mrd. €", "43–53 %" — kept on one line
_RANGE = re.compile(r"[^\s–]*\d[^\s–]*–[^\s–]*\d[^\s]*?(?:[ \u00a0](?:bn|mn|tn|k|Mrd\.|Mio\."
                    r"|Bio\.|Tsd\.|млрд|млн|трлн|тис\.))?(?:[ \u00a0][€$£¥%])?(?=[\s,;.)]|$)")


def ranges_whole(text: object) -> str:
    """Text as HTML, escaped, each range in a span that never breaks across lines (a
    reader copying "€310–386 bn" must not find "€310–" on one line and "386 bn" on
    the next)."""
    escaped = html.escape(str(text))
    return _RANGE.sub(lambda m: f'<span class="range">{m.group(0)}</span>', escaped)


def ranges_joined(text: str) -> str:
    """Markdown text for an alert, where a span cannot be used: each range's spaces
    non-breaking ("€222–290 bn" no longer splits before "bn") and a word joiner
    (U+2060, invisible) after its dash, the one mark that forbids a line break after
    a dash (a no-break space after it does not)."""
    return _RANGE.sub(lambda m: m.group(0).replace(" ", "\u00a0").replace("–", "–\u2060"),
                      text)


def csv_download_bytes(frame: pd.DataFrame) -> bytes:
    """A chart's data as CSV, safe to open in a spreadsheet."""
    return frame_csv(frame)


def chart(figure: go.Figure, data: pd.DataFrame, refs: list[str], key: str) -> None:
    """A chart, its finding in words (the text alternative: the title states the
    finding), a switch to read its data as a table, its sources and a download of
    its data."""
    from ledger.api import title_of

    with st.container(key=f"charttitle-{key}"):
        st.markdown(f"**{plain(title_of(figure))}**")
    figure = with_credit(figure, len(refs))
    st.plotly_chart(figure, width="stretch", key=f"chart-{key}",
                    config={"displaylogo": False, "toImageButtonOptions": {
                        "format": image_format(), "filename": key, "scale": 2}})
    title = title_of(figure)
    if title:
        st.caption(_("Chart: {title}").format(title=plain(title)))
    if st.toggle(_("Show the chart's data as a table"), key=f"as-table-{key}"):
        st.dataframe(data, hide_index=True, width="stretch", key=f"table-{key}")
    left, right = st.columns([3, 1])
    # the references are drawn only once the box is opened: a closed box puts none of
    # them in the page (thousands of list items on a tracker's pages)
    box = left.expander(_("Sources behind this chart ({count})").format(count=len(refs)),
                        key=f"sources-open-{key}", on_change="rerun")
    with box:
        if box.open:
            sources_list(refs, key)
        st.page_link("ui/pages/methodology.py", label=_("How these figures are made"),
                     icon=":material/menu_book:")
    right.download_button(_("Chart data (CSV)"), data=lambda: csv_download_bytes(data),
                          file_name=f"{key}.csv", mime="text/csv", key=f"dl-{key}",
                          on_click="ignore")


def sources_list(refs: list[str], key: str) -> None:
    """The references in full (never cut; the article named where its endnotes
    stand), each cited page a real link to exactly its address (escaped text; only
    https addresses become links). Beyond the first REFERENCES_SHOWN, a search and
    a download of them all."""
    from ledger.api import REFERENCES_SHOWN, references_html, text_table_csv

    if not refs:
        st.caption(_("No citations on these rows."))
        return
    shown = refs
    if len(refs) > REFERENCES_SHOWN:
        wanted = st.text_input(_("Search the sources"), key=f"refsearch-{key}",
                               placeholder=_("a publisher, a word of the title, a year"))
        if wanted.strip():
            shown = [r for r in refs if wanted.strip().lower() in r.lower()]
        st.download_button(_("All {count} sources (CSV)").format(count=f"{len(refs):,}"),
                           data=lambda: text_table_csv(pd.DataFrame({"source": refs})),
                           file_name=f"sources-{key}.csv", mime="text/csv",
                           key=f"refs-dl-{key}", on_click="ignore")
    st.html(references_html(shown))


def with_credit(figure: go.Figure, references: int) -> go.Figure:
    """The chart with its source line printed under it, so the image its toolbar
    downloads (the camera: PNG) carries the finding (its title), the source, the
    data version and the credit. Changes `figure` itself (each is built for one
    draw): copying it took longer than building it."""
    from ledger.api import credit_line, credited, view_line
    from ui.view import get

    view = get()
    result = view.result
    if result is None:
        return figure
    text = credit_line(result.data_version, references, view_line(result),
                       draft=not view.current.shared)
    return credited(figure, text)


def key_table(frame: pd.DataFrame, key: str, narrow: list[str] | None, alt: str,
              labels: dict[str, str] | None = None, links: list[str] | None = None) -> None:
    """A small table as plain HTML: a screen reader reads it as a table (its caption,
    `alt`, says what it holds), its text copies as text, and a browser loads no grid
    and no Arrow for it. In full on a wide screen, and only the columns that matter
    (`narrow`) on a phone, so nothing scrolls sideways (app.py's CSS hides the others:
    one table drawn, not two); with `narrow=None` every column stays and a phone shows
    each row as a card, each cell under its column's name. `labels` names columns for
    readers; in the `links` columns a cited page's https address is a real link (the
    text escaped)."""
    st.html(html_table(frame, alt, labels, narrow, key, links))


_WIDE = ' class="wide-only"'  # a column a phone leaves out (app.py's CSS)


def html_table(frame: pd.DataFrame, caption: str, labels: dict[str, str] | None = None,
               narrow: list[str] | None = None, key: str = "",
               links: list[str] | None = None) -> str:
    """Every header and cell escaped (shown as typed, never as markup); whole numbers
    aligned right; with `narrow`, the other columns marked `wide-only` (hidden on a
    phone), without it the class `cards` (a card per row on a phone); with `key`, the
    table has the class `table-{key}` (for tests)."""
    from ledger.api import reference_html

    wide_only = [narrow is not None and c not in narrow for c in frame.columns]
    linked = [c in (links or ()) for c in frame.columns]
    named = frame.rename(columns=labels or {})
    numeric = [pd.api.types.is_numeric_dtype(named[c]) for c in named.columns]
    head = "".join(f'<th scope="col"{_WIDE if wide else ""}>{html.escape(_(str(c)))}</th>'
                   for c, wide in zip(named.columns, wide_only, strict=True))
    # a table with every column keeps them on a phone as cards (app.py's CSS): each
    # cell labelled with its column's name
    card_labels = ([f' data-label="{html.escape(_(str(c)))}"' for c in named.columns]
                   if narrow is None else [""] * len(named.columns))
    rows = []
    for values in named.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="{_cell_class(str(v), right)}{" wide-only" if wide else ""}"{label}>'
            f"{reference_html(str(v)) if link else ranges_whole(v)}</td>"
            for v, right, wide, link, label in zip(values, numeric, wide_only, linked,
                                                   card_labels, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    named_class = (f" table-{html.escape(key)}" if key else "") + (
        " cards" if narrow is None else "")
    return (f'<table class="ledger-table{named_class}"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _cell_class(text: str, numeric: bool) -> str:
    """Numbers to the right; a long cell (an address, a list of rows) may break
    anywhere, so it never widens the table past the page; short ones break only
    between words."""
    if numeric:
        return "num"
    if _RANGE.fullmatch(text):
        return "range"
    return "long" if len(text) > 30 else "text"


IMAGE_FORMATS = ("png", "svg")


def image_format() -> str:
    """What a chart's toolbar camera downloads: a PNG (to paste) or an SVG (to edit
    or print at any size), chosen in the sidebar."""
    chosen = str(st.session_state.get("image_format", "png"))
    return chosen if chosen in IMAGE_FORMATS else "png"
