"""Quantities in English and French text: money, MW, percentages, terms, GPU counts, dates.

Every finder returns matches with character offsets into the string it was given. Parsing
depends on the document language only for digit grouping: English "16,395" is sixteen
thousand, French "16,395" is sixteen point four; "$16.395" and "16,395 $" are both 16.395.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dagster_project.extraction.text import (
    Gated,
    class_led,
    class_led_source,
    fold,
    ignorecase_alternatives,
    ignorecase_chars,
    ignorecase_class,
)

# "\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?" (and the French one) written for the regex
# engine, with the same matches in the same backtracking order:
# - the first digit of every alternative is factored out ("\d\d{0,2}" is "\d{1,3}", "\d\d*"
#   is "\d+"; "\d(?:a|b)" tries the same rests at the same positions as "\d a|\d b"), so a
#   pattern that starts with a number starts with one "\d" class and the engine scans for
#   the next digit in C instead of trying the alternation at every position;
# - an optional group "(?:x)?" is written "(?:x|)" (x first, then nothing, as greedy "?"
#   does): the engine sets up a repeat context for every "?" group it enters, and numbers
#   are entered at every digit and again on every backtracking step.
_EN_NUM = r"\d(?:\d{0,2}(?:,\d{3})+(?:\.\d+|)|\d*(?:\.\d+|))"
_FR_NUM = r"\d(?:\d{0,2}(?:[ .]\d{3})+(?:,\d+|)|\d*(?:,\d+|)|\d*\.\d+)"
_SCALE = (
    r"billions?|bn|milliards?|mlds?|mds?|md|millions?|mln|mn|mm|m|thousand|milliers?|k|b|"
    r"trillions?"
)
_SCALES = {
    "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9, "milliard": 1e9, "milliards": 1e9,
    "md": 1e9, "mds": 1e9, "mld": 1e9, "mlds": 1e9, "mm": 1e6, "m": 1e6, "mn": 1e6,
    "mln": 1e6, "million": 1e6, "millions": 1e6, "k": 1e3, "thousand": 1e3, "millier": 1e3,
    "milliers": 1e3, "trillion": 1e12, "trillions": 1e12,
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "douze": 12, "quinze": 15, "vingt": 20,
}  # fmt: skip
_QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    # checked in this order: the first kind with a word right before the number wins
    "up_to": ("up to", "as much as", "jusqu'à", "jusqu'a", "jusqu'au", "au plus"),
    "more_than": (
        "more than", "over", "above", "at least", "in excess of", "exceeding", ">", "plus de",
        "au moins", "supérieure à", "supérieur à",
    ),
    "approx": (
        "approximately", "approx.", "about", "around", "roughly", "nearly", "almost", "some",
        "~", "environ", "près de", "quelque", "approximativement",
    ),
}  # fmt: skip
# "<word>\s*$" searched in the 25 characters before a number is the same test as matching
# "\s*<reversed word>" at the start of the reversed window, which costs one match, not a
# scan of every position for each of three patterns.
_QUALIFIER_REV = re.compile(
    r"\s*(?:"
    + "|".join(
        f"(?P<{kind}>" + "|".join(re.escape(w[::-1]) for w in words) + ")"
        for kind, words in _QUALIFIER_WORDS.items()
    )
    + ")",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text; ``value`` is in base units (USD, MW, %, years, count)."""

    kind: str  # money | mw | percent | term | count
    value: float
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None  # approx | up_to | more_than | None
    currency: str | None = None  # USD, CAD, EUR (money only)
    per: str | None = None  # mw | share | year | None (money only)
    basis: str | None = None  # gross | critical_it (mw only)


def _quantity(
    kind: str,
    value: float,
    start: int,
    end: int,
    qualifier: str | None = None,
    currency: str | None = None,
    per: str | None = None,
    basis: str | None = None,
    low: float | None = None,
    high: float | None = None,
) -> Quantity:
    """``Quantity(...)`` built in one step: the generated frozen ``__init__`` sets each of
    the ten fields through ``object.__setattr__``, which is most of the cost of a quantity;
    this fills the instance dictionary with the same values in field order instead, giving
    an equal, equally frozen instance."""
    q = object.__new__(Quantity)
    q.__dict__.update(
        kind=kind,
        value=value,
        start=start,
        end=end,
        low=low,
        high=high,
        qualifier=qualifier,
        currency=currency,
        per=per,
        basis=basis,
    )
    return q


def number_pattern(lang: str) -> str:
    """Regex source of one number written with the digit grouping of ``lang``."""
    return _FR_NUM if lang == "fr" else _EN_NUM


_FR_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def parse_number(token: str, lang: str = "en") -> float:
    """Parse one number token: ``"3,5"`` (fr) → 3.5, ``"1,020"`` (en) → 1020.0.

    Raises ``ValueError`` on anything that is not a number.
    """
    s = token.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not s:
        raise ValueError(f"not a number: {token!r}")
    low = s.lower()
    if low in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[low])
    if lang == "fr":
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        elif _FR_DOT_GROUPS.fullmatch(s):
            s = s.replace(".", "")
    else:
        s = s.replace(",", "")
    return float(s)


def _qualifier(text: str, start: int) -> str | None:
    m = _QUALIFIER_REV.match(text[max(0, start - 25) : start][::-1])
    return m.lastgroup if m else None


def _scale(word: str | None) -> float:
    return _SCALES.get(word.lower(), 1.0) if word else 1.0


# --- money -----------------------------------------------------------------------------

_PREFIXES = (
    r"US\$", "USD", r"U\.S\.\s?\$", r"C\$", "CAD", r"CA\$", r"A\$", "AUD", "EUR", "€", r"\$"
)  # fmt: skip
_PREFIX_CUR = "(?P<pre>" + "|".join(_PREFIXES) + ")"


def _prefix_first() -> str:
    """``_PREFIX_CUR`` written to start with one character class (re.I applied by hand).

    Prefixes are grouped by the exact class of characters their first letter matches
    case-insensitively (order kept inside a group; groups are disjoint, so at most one can
    match at a position). A pattern that starts with a class lets the regex engine jump
    straight to the next position holding one of those characters.
    """
    groups: dict[str, list[str]] = {}
    for src in _PREFIXES:
        n = 2 if src.startswith("\\") else 1
        cls = ignorecase_class(src[n - 1])
        if cls is None:
            raise ValueError(f"no case-insensitive class known for {src[n - 1]!r}")
        groups.setdefault(cls, []).append(src[n:])
    first = "".join(c[1:-1] if c.startswith("[") else c for c in groups)
    rests = "|".join(f"(?<={c})(?i:{'|'.join(r)})" for c, r in groups.items())
    return f"(?P<pre>[{first}](?:{rests}))"


_SUFFIX_CUR = (
    r"(?P<suf>\$\s?(?:US|CA)?|USD|CAD|EUR|€|(?:de\s+)?dollars?(?:\s+(?:américains|us|"
    r"canadiens|australiens))?)"
)
# _SCALE and _SUFFIX_CUR with every letter-led alternative led by its exact
# case-insensitive class (``(?:de\s+)?dollars?`` split as ``de\s+dollars?|dollars?``, the
# order the optional group tries them in; "(?:x)?" as "(?:x|)", see _EN_NUM), so the money
# patterns need no global re.I.
_SCALE_CI = ignorecase_alternatives(_SCALE)
_SUFFIX_CI = (
    r"(?P<suf>\$\s?(?i:US|CA|)|"
    + ignorecase_alternatives("USD|CAD|EUR")
    + r"|€|[Dd](?:(?i:e)\s+(?i:dollars?)|(?i:ollars?))"
    + r"(?i:\s+(?:américains|us|canadiens|australiens)|))"
)
# After the number of a suffixed amount comes, after at most one space, the first letter
# of a scale word, of "de" or of a currency, or "$"/"€" (every continuation of the pattern
# starts so). Checking that first rejects the many numbers that are not amounts ("200 MW",
# "12-year", "7%") before the scale and currency alternations are tried, and again on
# every backtracking step into the number; it never rejects a position where the rest of
# the pattern could match, so the matches are unchanged.
_SUFFIXED_FIRST = "".join(sorted({c for w in "bmtkucde" for c in ignorecase_chars(w) or w}))
_AFTER_SUFFIXED_NUM = rf"(?=\s?[{re.escape(_SUFFIXED_FIRST)}$€])"
_PER = re.compile(
    # "per MW", never "per MWh" / "per megawatt hour" (an energy price, not a build cost)
    r"\A\s*(?:(?P<mw>per\s+(?:megawatt(?![- ]?hour)|mw(?!h))|/\s?mw\b|"
    r"par\s+(?:mégawatt(?![- ]?heure)|megawatt(?![- ]?heure)|mw(?!h)))|"
    r"(?P<share>per\s+(?:(?:common|ordinary|class|[A-Z])\s+){0,3}share|a\s+share|par\s+action)|"
    r"(?P<year>per\s+year|a\s+year|per\s+annum|annually|par\s+an|par\s+année|annuels?|"
    r"(?:in|of)\s+(?:average\s+|expected\s+|estimated\s+)?annual(?:i[sz]ed)?\s+"
    r"(?:contract\s+|lease\s+)?revenues?|de\s+revenus\s+annuels))",
    re.I,
)


def _currency(pre: str | None, suf: str | None) -> str:
    token = (pre or suf or "").lower()
    if "c" in token and ("$" in token or "cad" in token) or "canad" in token:
        return "CAD"
    if "a$" in token or "aud" in token or "austral" in token:
        return "AUD"
    if "eur" in token or "€" in token:
        return "EUR"
    return "USD"


def _money_regex(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Prefixed ("US$ 5 million") and suffixed ("5 millions de dollars") amounts.

    The two branches of ``(?:{_PREFIX_CUR}\\s?(?P<n1>num)(?:\\s?(?P<s1>scale)\\b)?|
    (?P<n2>num)(?:\\s?(?P<s2>scale)\\b)?\\s?(?:de\\s+)?{_SUFFIX_CUR})`` (re.I) as two
    patterns, each starting with a character class (the engine scans for it in C), with re.I
    scoped to the parts that have letters; :func:`_money_matches` merges them as the
    alternation would.

    The third pattern is the prefixed one with only the "$" and "€" prefixes, used on texts
    that cannot hold a letter-led prefix (see :func:`_letter_prefix_possible`).
    """
    num = number_pattern(lang)
    after = rf"\s?(?P<n1>{num})(?:\s?(?P<s1>{_SCALE_CI})\b|)"
    suffixed = (
        rf"(?P<n2>{num}){_AFTER_SUFFIXED_NUM}"
        rf"(?:\s?(?P<s2>{_SCALE_CI})\b|)\s?(?:[Dd](?i:e)\s+|){_SUFFIX_CI}"
    )
    return (
        re.compile(_prefix_first() + after),
        re.compile(suffixed),
        re.compile(r"(?P<pre>[$€])" + after),
    )


def _letter_prefix_possible(low: str) -> bool:
    """False only when :func:`fold`-ed text ``low`` holds no match of a prefix that starts
    with a letter (US$, USD, U.S.$, C$, CAD, CA$, A$, AUD, EUR; each contains one of these
    strings). Without one, at any position only "$" or "€" can start a prefixed amount."""
    return (
        "us$" in low
        or "usd" in low
        or "u.s." in low
        or "c$" in low
        or "cad" in low
        or "a$" in low
        or "aud" in low
        or "eur" in low
    )


_Money = tuple[int, int, str | None, str | None, str | None, str | None, str | None, str | None]


def _money_matches(text: str, lang: str) -> list[_Money]:
    """(start, end, pre, n1, s1, n2, s2, suf) of each amount, left to right, not overlapping.

    Same result as ``finditer`` of the single alternation: the leftmost match of either
    pattern, the prefixed one when both start at the same position, then again after it.
    """
    rx = _MONEY_CACHE.get(lang) or _MONEY_CACHE.setdefault(lang, _money_regex(lang))
    rp, rs, rp_symbol = rx
    if not _letter_prefix_possible(fold(text)):
        rp = rp_symbol  # same matches on this text; its first class is rare, not "a|c|e|u"
    out: list[_Money] = []
    mp = rp.search(text)
    ms = rs.search(text) if _suffix_possible(text) else None
    while mp is not None or ms is not None:
        if mp is not None and (ms is None or mp.start() <= ms.start()):
            pre, n1, s1 = mp.group("pre", "n1", "s1")
            out.append((mp.start(), mp.end(), pre, n1, s1, None, None, None))
        elif ms is not None:
            n2, s2, suf = ms.group("n2", "s2", "suf")
            out.append((ms.start(), ms.end(), None, None, None, n2, s2, suf))
        pos = out[-1][1]
        if mp is not None and mp.start() < pos:
            mp = rp.search(text, pos)
        if ms is not None and ms.start() < pos:
            ms = rs.search(text, pos)
    return out


def _suffix_possible(text: str) -> bool:
    """False only when ``text`` holds no suffixed amount ("3 billion dollars", "16.5 M$",
    "62 millions USD"). Its suffix is a currency word (usd, cad, eur, dollar(s)) or a "$"/"€"
    that, whitespace aside, follows a letter or digit (the number, its scale or "de");
    "$3 billion" alone, the common English form, has none."""
    low = fold(text)
    if "usd" in low or "cad" in low or "eur" in low or "dollar" in low:
        return True
    for sym in ("$", "€"):
        i = text.find(sym)
        while i >= 0:
            j = i
            while j > 0 and text[j - 1].isspace():
                j -= 1
            if j and text[j - 1].isdigit():
                return True
            k = j
            while k > 0 and text[k - 1].isalpha():
                k -= 1
            if text[k:j].lower() in _SUFFIX_WORDS:
                return True
            i = text.find(sym, i + 1)
    return False


# what can stand right before a suffix "$"/"€", whitespace aside: the number's last digit,
# its scale word or "de" ("5 milliards de $"); the suffixed pattern allows nothing else
_SUFFIX_WORDS = frozenset(
    "billion billions bn milliard milliards mld mlds md mds million millions mln mn mm m "
    "thousand millier milliers k b trillion trillions de".split()
)


_MONEY_CACHE: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}
_RANGE_CACHE: dict[str, re.Pattern[str]] = {}


def _range_regex(lang: str) -> re.Pattern[str]:
    """Bare-number-first ranges: "between 300 000 and 500 000 dollars", "$3 to $5 million"."""
    num = number_pattern(lang)
    return re.compile(
        rf"(?:between|from|entre|de)\s+(?:US\$|\$)?\s?(?P<a>{num})(?:\s?(?P<sa>{_SCALE})\b)?"
        rf"\s*(?:\$\s*)?(?:and|to|et|à|-)\s+",
        re.I,
    )


# every range match starts with one of these words (checked on the window before a figure)
_RANGE_GATE = Gated(re.compile(r"between|from|entre|de", re.I))


def _money_possible(text: str) -> bool:
    """False only when ``text`` holds no match of ``[$€]|dollar|USD|CAD|EUR|AUD`` (re.I).

    Every money match contains one of these (each prefix and suffix does), so without one
    there is no amount. Substring tests on :func:`fold`-ed text are a necessary condition
    for the case-insensitive words and cost far less than the regex scan.
    """
    if "$" in text or "€" in text:
        return True
    low = fold(text)
    return "dollar" in low or "usd" in low or "cad" in low or "eur" in low or "aud" in low


_MW_CACHE: dict[str, re.Pattern[str]] = {}
_PCT_CACHE: dict[str, re.Pattern[str]] = {}
_TERM_CACHE: dict[str, re.Pattern[str]] = {}
# every term match contains "(?:\s|-)(?:years?|yr|ans|années)\b" (re.I); this check starts
# with one class and rejects most sentences for far less than the term pattern costs
_TERM_UNITS_CI = ignorecase_alternatives("years?|yr|ans|années")
_TERM_UNIT = re.compile(rf"[\s-]{_TERM_UNITS_CI}\b")


def find_money(text: str, lang: str = "en") -> list[Quantity]:
    """Money amounts with currency, scale, qualifier, ``per`` unit and ranges merged."""
    if not _money_possible(text):
        return []
    rr = _RANGE_CACHE.get(lang) or _RANGE_CACHE.setdefault(lang, _range_regex(lang))
    found: list[Quantity] = []
    for start, end, pre, n1, s1, n2, s2, suf in _money_matches(text, lang):
        raw, word = (n1, s1) if n1 else (n2, s2)
        if word and word.lower() == "m" and n2 and not s2:
            word = None
        if word and word.lower() in ("m", "b", "k") and text.startswith("m ", start):
            word = None
        # "$1,000 principal" style figures never take a scale from the next word.
        try:
            value = parse_number(str(raw), lang if not n1 else _prefix_lang(n1, lang))
        except ValueError:
            continue
        value *= _scale(word)
        cur = _currency(pre, suf)
        if pre == "$" and start and text[start - 2 : start].strip()[-1:].isupper():
            cb = _CUR_BEFORE.search(text, max(0, start - 5), start)  # "CAD $62,750,000"
            if cb:
                cur = _currency(cb.group(1) + "$", None)
        high = None
        if n1 and not word and text[end : end + 4].lstrip()[:1] in ("-", "t", "à"):
            # "$8-10 million per MW", "$8 to 10 million": the scale after the high bound
            hm = _BARE_HIGH.match(text, end)
            if hm:
                try:
                    scale = _scale(hm.group(2))
                    high = parse_number(hm.group(1), lang) * scale
                except ValueError:
                    high = None
                if high is not None and value * scale < high:
                    value, end = value * scale, hm.end()
                else:
                    high = None
        per_m = _PER.match(text[end : end + 40])
        per = None
        if per_m:
            per = next(k for k in ("mw", "share", "year") if per_m.group(k))
        found.append(
            _quantity(
                "money",
                high if high is not None else value,
                start,
                end,
                qualifier=_qualifier(text, start),
                currency=cur,
                per=per,
                **({"low": value, "high": high} if high is not None else {}),
            )
        )
    return _merge_ranges(text, found, rr, lang)


_CUR_BEFORE = re.compile(r"\b(CAD|AUD|EUR|C|A)\s?\Z")  # "CAD $62,750,000"
_BARE_HIGH = re.compile(
    r"\s?(?:-|to|à)\s?(\d+(?:[.,]\d+)?)\s?(billions?|bn|millions?|mm|m|thousand|k)\b", re.I
)


_EN_GROUPS = re.compile(r"\d{1,3}(,\d{3})+")
_EN_GROUPS_DEC = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def _prefix_lang(raw: str, lang: str) -> str:
    """After a "$" prefix, "16.395" is decimal in both languages; "3,5" only in French."""
    if lang == "fr" and "," in raw and "." not in raw and not _EN_GROUPS.fullmatch(raw):
        return "fr"
    if "." in raw or _EN_GROUPS_DEC.fullmatch(raw):
        return "en"
    return lang


_RANGE_ENDS = ("and", "to", "et", "à", "-")


def _range_end_possible(text: str, lo: int, start: int) -> bool:
    """False only when no bare-low-bound range ("between 300 000 and $500 000") can end right
    before ``start``: that pattern ends with "and|to|et|à|-" and whitespace."""
    j = start
    while j > lo and text[j - 1].isspace():
        j -= 1
    return j < start and text[max(0, j - 3) : j].lower().endswith(_RANGE_ENDS)


_RANGE_GAP = re.compile(r"\s*(?:to|and|-|et|à)\s*")
_RANGE_OPEN = re.compile(r"(between|from|entre|de)\s*$")


def _merge_ranges(
    text: str, found: list[Quantity], rr: re.Pattern[str], lang: str
) -> list[Quantity]:
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        merged = False
        # "$3 million to $5 million", "$300,000 and $350,000"
        if i + 1 < len(found):
            nxt = found[i + 1]
            gap = text[q.end : nxt.start]
            before = text[max(0, q.start - 12) : q.start].lower()
            if _RANGE_GAP.fullmatch(gap) and (
                _RANGE_OPEN.search(before) or gap.strip() in ("to", "-", "à")
            ):
                low = q.value
                if low < 1000 <= nxt.value and q.low is None:
                    low *= _scale_of(nxt.value)  # "$8 to $10 million"
                out.append(_range(low, nxt, q.start, q.qualifier))
                i += 2
                continue
        # bare low bound before a currency-bearing high bound; the range pattern ends with
        # "and|to|et|à|-" and whitespace right before the amount (checked first, cheaply)
        lo = max(0, q.start - 60)
        if not _range_end_possible(text, lo, q.start):
            out.append(q)
            i += 1
            continue
        if not _RANGE_GATE.possible(text[lo : q.start + 1]):
            out.append(q)
            i += 1
            continue
        for m in rr.finditer(text, lo, q.start + 1):
            if m.end() == q.start or text[m.end() : q.start].strip() == "":
                try:
                    low = parse_number(m.group("a"), lang) * _scale(m.group("sa"))
                except ValueError:
                    break
                if not m.group("sa") and q.value >= 1e6 and low < 1000:
                    low *= _scale_of(q.value)
                if low < q.value:
                    out.append(_range(low, q, m.start(), _qualifier(text, m.start())))
                    merged = True
                break
        if not merged:
            out.append(q)
        i += 1
    return out


def _scale_of(value: float) -> float:
    for s in (1e12, 1e9, 1e6, 1e3):
        if value >= s:
            return s
    return 1.0


def _range(low: float, high: Quantity, start: int, qualifier: str | None) -> Quantity:
    return _quantity(
        "money",
        high.value,
        start,
        high.end,
        low=low,
        high=high.value,
        qualifier=qualifier,
        currency=high.currency,
        per=high.per,
    )


# --- megawatts, percentages, terms, counts ----------------------------------------------

_BASIS_CRIT_RX = re.compile(
    r"critical[- ]it|it (?:load|capacity)|informatique critique|charge (?:it|informatique)|"
    r"critical load|charge critique|\bit\b",
    re.I,
)
_BASIS_GROSS_RX = re.compile(r"\bgross\b|\bbrute?s?\b|utility power|grid power", re.I)
# the same patterns in text.class_led form (same matches), searched for every MW figure
_BASIS_CRIT = class_led(_BASIS_CRIT_RX) or _BASIS_CRIT_RX
_BASIS_GROSS = class_led(_BASIS_GROSS_RX) or _BASIS_GROSS_RX


_GROSS_AFTER = re.compile(r"\s*\(?\s*gross", re.I)
_UNIT_PAREN = re.compile(r"\s*\((?:MW|GW|megawatts?|gigawatts?)\)", re.I)
_GROSS_NEXT = re.compile(r"\s*gross\b", re.I)


def find_mw(text: str, lang: str = "en") -> list[Quantity]:
    """Power quantities in MW (GW × 1000) with qualifier and stated basis."""
    if "W" not in text and "watt" not in text.lower():
        return []
    rx = _MW_CACHE.get(lang) or _MW_CACHE.setdefault(lang, _mw_regex(lang))
    out: list[Quantity] = []
    for m in rx.finditer(text):
        q = _mw_quantity(text, m, lang)
        if q is not None:
            out.append(q)
    return out


# "GW|gigawatts?|MW|MWs|mégawatts?|megawatts?" (re.I) led by exact classes; the MW pattern
# needs re.I nowhere else ("[\w-]" and "\s" do not depend on it). The lookahead after the
# number repeats the unit's first letter test, so numbers that are not followed by a unit
# fail there instead of in the unit alternation (it holds wherever the rest can match).
_MW_UNITS = ignorecase_alternatives("GW|gigawatts?|MW|MWs|mégawatts?|megawatts?")


def _mw_regex(lang: str) -> re.Pattern[str]:
    num = number_pattern(lang)
    return re.compile(
        rf"(?P<n>{num})(?=\s?-?\s?[GgMm])\s?-?\s?(?P<u>{_MW_UNITS})\b"
        # up to three words after the unit (for the basis); a word starting with a digit
        # ends them, so "from 600 MW to 750 MW" still holds two figures
        rf"(?P<tail>(?:\s+(?i:of)|\s+(?i:de)|\s+(?i:d')|)(?:\s+[^\W\d][\w-]*){{0,3}})",
    )


def _mw_quantity(text: str, m: re.Match[str], lang: str) -> Quantity | None:
    try:
        value = parse_number(m.group("n"), lang)
    except ValueError:
        return None
    if m.group("u").lower().startswith("g"):
        value *= 1000.0
    tail = m.group("tail") or ""
    after = text[m.end("u") : m.end("u") + 45]
    if not tail and "(" in after[:3]:
        # "168 megawatts (MW) of critical IT load": the unit's abbreviation in brackets
        # comes between the figure and its basis
        paren = _UNIT_PAREN.match(after)
        if paren:
            tail = " ".join(after[paren.end() :].split()[:4])
    window = tail + " " + text[max(0, m.start() - 3) : m.start()]
    basis = None
    if _BASIS_CRIT.search(window):
        basis = "critical_it"
    elif _BASIS_GROSS.search(window) or _GROSS_AFTER.match(after):
        basis = "gross"
    # "168 MW of critical IT load (244 MW gross)": the bracketed figure is gross
    if _GROSS_NEXT.match(after):
        basis = "gross"
    qualifier = _qualifier(text, m.start())
    return _quantity("mw", value, m.start(), m.end("u"), qualifier=qualifier, basis=basis)


def find_percent(text: str, lang: str = "en") -> list[Quantity]:
    """Percentages: "8 %", "7,750 %", "1.375%", "8 percent", "8 pour cent"."""
    if "%" not in text and "cent" not in text:
        return []
    num = number_pattern(lang)
    rx = _PCT_CACHE.get(lang) or _PCT_CACHE.setdefault(
        lang, re.compile(rf"(?P<n>{num})\s?(?:%|percent\b|per cent\b|pour cent\b)", re.I)
    )
    out = []
    for m in rx.finditer(text):
        try:
            out.append(_quantity("percent", parse_number(m.group("n"), lang), m.start(), m.end()))
        except ValueError:
            continue
    return out


_WORDS = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# the term pattern is "\b(?P<n>num|words)(?:\s|-)(?:years?|yr|ans|années)\b" (re.I) with the
# words in text.class_led form and the units led by exact classes, without global re.I: the
# engine then rejects most word starts on one character test instead of entering each word
_WORDS_CI = class_led_source(_WORDS) or f"(?i:{_WORDS})"


# "in five years", "the past two years", "extending the maturity by one year": not a term
_NOT_A_TERM = re.compile(r"\b(?:in|within|dans|d'ici|past|last|derniers?|by|de plus de)\s*$")


def find_terms(text: str, lang: str = "en") -> list[Quantity]:
    """Durations in years: "12-year", "15 years", "five-year", "12 ans", "cinq ans"."""
    if not _TERM_UNIT.search(text):
        return []
    num = number_pattern(lang)
    rx = _TERM_CACHE.get(lang) or _TERM_CACHE.setdefault(
        lang, re.compile(rf"\b(?P<n>{num}|{_WORDS_CI})(?:\s|-){_TERM_UNITS_CI}\b")
    )
    out = []
    for m in rx.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if _NOT_A_TERM.search(before):
            continue
        try:
            value = parse_number(m.group("n"), lang)
        except ValueError:
            continue
        out.append(
            _quantity("term", value, m.start(), m.end(), qualifier=_qualifier(text, m.start()))
        )
    return out


_GPU_MODELS = (
    "GB300",
    "GB200",
    "B300",
    "B200",
    "H200",
    "H 100",
    "H100",
    "A100",
    "MI300X",
    "MI325X",
    "L40S",
)
# "\b(GB300|GB200|...)\b" with the leading "\b" written after each model's first letter as
# "(?<!\w\w)" (the letter is a word character, so both test that no word character comes
# before it): the pattern then starts with an alternation of plain letters, which the
# regex engine turns into a fast scan for G, B, H, A, M or L.
# searched in every sentence (``classify``): the literal gate skips the sentences without
# any of the models' digit runs ("100", "200", ...) at the cost of a few substring tests
GPU_MODEL = Gated(
    re.compile(
        "("
        + "|".join(re.escape(m[0]) + r"(?<!\w\w)" + re.escape(m[1:]) for m in _GPU_MODELS)
        + r")\b"
    )
)


def find_gpu_models(text: str) -> list[str]:
    """Distinct GPU model codes in order of appearance ("H 100" → "H100")."""
    seen: list[str] = []
    for m in GPU_MODEL.finditer(text):
        code = m.group(1).replace(" ", "")
        if code not in seen:
            seen.append(code)
    return seen


_GPU_COUNT_CACHE: dict[str, Gated] = {}


def _gpu_count_regex(lang: str) -> Gated:
    num = number_pattern(lang)
    return Gated(
        re.compile(
            rf"(?P<n>{num})\s+(?:(?:NVIDIA|Nvidia|next-generation|new|Blackwell|Hopper|"
            rf"de génération|units?|of|d')\s+){{0,3}}(?:GPUs?|GB300|GB200|B300|B200|H200|H100|"
            rf"H 100|A100)\b",
        )
    )


def find_gpu_counts(text: str, lang: str = "en") -> list[Quantity]:
    """Counts of GPUs: "816 GPU Nvidia H 100", "2,400 NVIDIA Blackwell GPUs", "2 400 GPU"."""
    rx = _GPU_COUNT_CACHE.get(lang) or _GPU_COUNT_CACHE.setdefault(lang, _gpu_count_regex(lang))
    out = []
    for m in rx.finditer(text):
        try:
            out.append(_quantity("count", parse_number(m.group("n"), lang), m.start(), m.end()))
        except ValueError:
            continue
    return out


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}  # fmt: skip
_MONTH_RX = "|".join(_MONTHS)
_DATE_EN = Gated(re.compile(rf"\b({_MONTH_RX})\s+(\d{{1,2}}),\s+(\d{{4}})\b", re.I))
_DATE_FR = Gated(re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_RX})\s+(\d{{4}})\b", re.I))


_YEAR = re.compile(r"\d\d\d\d")  # both date patterns need a four-digit year


def find_date(text: str) -> str | None:
    """First full date with a year ("July 7, 2025", "3 novembre 2025") as ISO text."""
    if not _YEAR.search(text):
        return None
    m = _DATE_EN.search(text)
    if m:
        parts = (int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    else:
        m = _DATE_FR.search(text)
        if not m:
            return None
        parts = (int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None
