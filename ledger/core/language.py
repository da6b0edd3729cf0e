"""The reader's language: every sentence a reader sees passes through `_` (or is
marked with `N_` where it is written before anyone reads it, and passed through
`_` where it is shown).

English is the language of the source; German and Ukrainian come from gettext
catalogs in `ledger/locale/<language>/LC_MESSAGES/messages.po`, kept with Babel
(`make catalogs`: `pybabel extract` then `pybabel update`). A message carries
named placeholders (`_("{held} of {total} hold").format(...)`), never an
f-string, so a translation can move them. The language is a context variable, set
once per run of a page (the dashboard) or per file written (the static site);
numbers and dates follow `ledger.present.formatting`, set from the same choice."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = {"en": "English", "de": "Deutsch", "uk": "Українська"}
SOURCE_LANGUAGE = "en"
CATALOGS = Path(__file__).resolve().parent.parent / "locale"
_language: ContextVar[str] = ContextVar("reader_language", default=SOURCE_LANGUAGE)


def language_of(tag: str | None) -> str:
    """`de-DE`, `uk_UA`, `de` → the language we write in; anything else English."""
    language = (tag or "").replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else SOURCE_LANGUAGE


def use_language(tag: str | None) -> str:
    """Write for a reader of `tag` in this context; returns the language used."""
    language = language_of(tag)
    _language.set(language)
    return language


def current_language() -> str:
    return _language.get()


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid → translation of one language, without empty or fuzzy entries (a
    message not yet translated reads in English, never blank)."""
    path = CATALOGS / language / "LC_MESSAGES" / "messages.po"
    if language == SOURCE_LANGUAGE or not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        read = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in read
            if m.id and isinstance(m.string, str) and m.string and not m.fuzzy}


def _(message: str) -> str:
    """`message` in the reader's language."""
    language = _language.get()
    if language == SOURCE_LANGUAGE:
        return message
    return catalog(language).get(message, message)


def translator() -> Callable[[str], str]:
    """`_` bound to this context's language: for a function called later, perhaps
    elsewhere (a widget's `format_func`)."""
    language = _language.get()
    if language == SOURCE_LANGUAGE:
        return str
    found = catalog(language)
    return lambda message: found.get(message, message)


def N_(message: str) -> str:
    """Marks `message` for the catalogs where it is written (a label in a table of
    constants); `_` translates it where it is shown."""
    return message


# Words that are values in the data and shown as they are (a row's status, a bloc of
# data/blocs.csv): marked here so the catalogs hold them; `_` translates them where
# they are shown. A bloc another map names reads as written.
VOCABULARY = (
    N_("estimate"), N_("pledged"), N_("committed"), N_("allocated"), N_("disbursed"),
    N_("assumption"), N_("assumed or estimated"),
    N_("Europe"), N_("United States"), N_("Ukraine"), N_("Other"), N_("Unknown"),
    N_("Immobilised Russian assets"),
    N_("error"), N_("warning"), N_("info"),
    N_("grant"), N_("loan"), N_("guarantee"), N_("in-kind"),
)
# The columns of the tables pages show (a header is translated where it is drawn)
COLUMNS = (
    N_("stage"), N_("covered"), N_("gap"), N_("coverage"), N_("of which loans"),
    N_("of which guarantees"), N_("severity"), N_("finding"), N_("rows"), N_("name"),
    N_("category"), N_("who pays"), N_("amount"), N_("year"), N_("need"), N_("source"),
    N_("share"), N_("share of known industry"), N_("bloc"), N_("donor"), N_("code"),
    N_("share of GDP"), N_("per inhabitant"), N_("status"), N_("date"), N_("from"), N_("to"),
    N_("industry"), N_("instrument"), N_("available"), N_("passed on"), N_("kind"),
    N_("published"), N_("ledger"), N_("outcome"), N_("why"), N_("from → to"),
    N_("money"), N_("into needs"), N_("row"), N_("id"), N_("low"), N_("high"),
    N_("currency"), N_("value_low"), N_("value_high"), N_("tags"), N_("counted"), N_("ref"),
    N_("note"), N_("month"), N_("total"), N_("unknown"), N_("check"), N_("flow"),
    N_("column"), N_("problem"), N_("before"), N_("after"), N_("change"),
)
