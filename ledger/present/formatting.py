"""Numbers as people read them: `€1.2 bn`, `€580–590 bn`, `34 %`.

English grouping and decimals ("1,234.5") by default; babel supplies currency
symbols on first need (its locale data takes a while to load, and most figures
are in EUR, USD or GBP); the scale words follow the style of financial
reporting. A reader's language (`use_locale("de")`, set by the dashboard from
the browser) gets its own separators, scale words and symbol placement —
`1,55 Mrd. €` for a German reader, for whom "1.55" or "90.000" would read
otherwise — so no figure is ambiguous to the one reading it."""

from __future__ import annotations

import math
from contextvars import ContextVar
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

LOCALE = "en"
# languages whose readers write 1.234,5 (or 1 234,5): separators, scale words, and the
# currency after the number
LOCAL_STYLES: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "de": (".", ",", ("Bio.", "Mrd.", "Mio.", "Tsd.")),
    "fr": ("\u202f", ",", ("Bn", "Md", "M", "k")),
    "es": (".", ",", ("B", "mil M", "M", "mil")),
    "it": (".", ",", ("Bln", "Mld", "Mln", "mila")),
    "nl": (".", ",", ("bln.", "mld.", "mln.", "k")),
    "pl": ("\u00a0", ",", ("bln", "mld", "mln", "tys.")),
    "uk": ("\u00a0", ",", ("трлн", "млрд", "млн", "тис.")),
}
_reader: ContextVar[str] = ContextVar("reader_locale", default="en")


DATE_INPUTS = {"de": "DD.MM.YYYY", "uk": "DD.MM.YYYY", "pl": "DD.MM.YYYY",
               "fr": "DD/MM/YYYY", "es": "DD/MM/YYYY", "it": "DD/MM/YYYY",
               "nl": "DD-MM-YYYY"}


def date_input_format() -> str:
    """How this reader types a date (18.08.2025 in German and Ukrainian): a date field
    in ISO order turns a typed 01.01.2025 into nonsense. English keeps ISO."""
    return DATE_INPUTS.get(_reader.get(), "YYYY-MM-DD")


DAY_PATTERNS = {"de": "dd.MM.yyyy", "uk": "dd.MM.yyyy 'р.'", "pl": "dd.MM.yyyy",
                "fr": "dd/MM/yyyy", "es": "dd/MM/yyyy", "it": "dd/MM/yyyy", "nl": "dd-MM-yyyy"}


def day(value: object) -> str:
    """A date as this reader writes it, through Babel: 18.08.2025 in German,
    18.08.2025 р. in Ukrainian; English keeps ISO (2025-08-18), which no reader
    misreads. Anything that is not a date is shown as it is."""
    import datetime as dt

    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, dt.date):
        return str(value)
    reader = _reader.get()
    pattern = DAY_PATTERNS.get(reader)
    if pattern is None:
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, pattern, locale=reader)


def use_locale(tag: str | None) -> str:
    """Format for a reader of this language (`de-DE`, `fr`, …) in this context (the
    dashboard's run for one browser); anything else reads English. Returns the
    language used."""
    language = (tag or "en").replace("_", "-").split("-")[0].lower()
    language = language if language in LOCAL_STYLES else "en"
    _reader.set(language)
    return language


def _local(text: str) -> str:
    """English digits ("1,234.5") in the reader's separators."""
    style = LOCAL_STYLES.get(_reader.get())
    if style is None:
        return text
    group, decimal, _ = style
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def number(value: int) -> str:
    """A whole number as this reader groups it: 52,310 · 52.310 · 52 310."""
    return _local(f"{value:,}")


def _dressed(body: str, currency: str, word: str, sign: str = "") -> str:
    """`€1.2 bn` in English; `1,2 Mrd. €` for a German reader."""
    style = LOCAL_STYLES.get(_reader.get())
    if style is None:
        return f"{sign}{symbol(currency)}{body}" + (f" {word}" if word else "")
    local_word = dict(zip(("tn", "bn", "mn", "k"), style[2], strict=True)).get(word, word)
    return f"{sign}{_local(body)}" + (f"\u00a0{local_word}" if local_word else "") + \
        f"\u00a0{symbol(currency).strip()}"
SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"), (1e3, "k"))
COMMON_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


@cache
def symbol(currency: str) -> str:
    sign = COMMON_SYMBOLS.get(currency)
    if sign is None:
        from babel.numbers import get_currency_symbol

        sign = get_currency_symbol(currency, locale=LOCALE)
    return sign if len(sign) == 1 else f"{currency} "


def format_decimal(value: float, format: str, locale: str = LOCALE) -> str:
    """`#,##0`, `#,##0.0` or `#,##0.00` in English, as babel writes them (the decimal
    value of the number as printed, rounded half to even)."""
    places = len(format.partition(".")[2])
    step = Decimal(1).scaleb(-places)
    return f"{Decimal(str(value)).quantize(step, rounding=ROUND_HALF_EVEN):,}"


def _scale(magnitude: float) -> tuple[float, str]:
    for factor, word in SCALES:
        if magnitude >= factor:
            return factor, word
    return 1.0, ""


def _digits(value: float) -> str:
    pattern = "#,##0.0" if abs(value) < 10 and value != int(value) else "#,##0"
    text = format_decimal(value, format=pattern, locale=LOCALE)
    return text.removesuffix(".0")


def money(value: float, currency: str) -> str:
    """`€1.2 bn`, `$578 mn`, `−€10 bn`."""
    if not math.isfinite(value):
        return "n/a"
    factor, word = _scale(abs(value))
    sign = "−" if value < 0 else ""
    return _dressed(_digits(round(abs(value) / factor, 1)), currency, word, sign)


def _exact(value: float) -> str:
    """Up to two decimals, trailing zeros dropped: a published 135.7 stays 135.7."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN):,}"
    return text.rstrip("0").removesuffix(".") if "." in text else text


def money_range(low: float, high: float, currency: str, exact: bool = False) -> str:
    """`€580–590 bn`; one figure when both ends read the same. `exact`: up to two
    decimals at the scale shown (`€135.7 bn`, as a figure was published)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "n/a"
    if low < 0 or high < 0:
        one, other = money(low, currency), money(high, currency)
        return one if one == other else f"{one} to {other}"
    factor, word = _scale(max(abs(low), abs(high)))
    digits = _exact if exact else _digits
    lo, hi = digits(round(low / factor, 2 if exact else 1)), digits(
        round(high / factor, 2 if exact else 1))
    body = lo if lo == hi else f"{lo}–{hi}"
    return _dressed(body, currency, word)


def percent(value: float, digits: int = 0) -> str:
    """A share in per cent, with `digits` decimals (a donor's aid as a share of its
    GDP needs two: 0.07 %)."""
    if not math.isfinite(value):
        return "n/a"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    whole = format_decimal(round(value * 100, digits), format=pattern, locale=LOCALE)
    return f"{_local(whole)} %"


def percent_range(low: float, high: float, digits: int = 0) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "n/a"
    lo = percent(low, digits).removesuffix(" %")
    hi = percent(high, digits).removesuffix(" %")
    return f"{lo} %" if lo == hi else f"{lo}–{hi} %"
