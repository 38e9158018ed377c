"""Bytes → normalised text: charset sniffing, HTML → text, front matter, normalisation.

Offsets of extracted facts point into the string returned by :func:`normalise`, so every
transformation that changes length happens here, once, before extraction.
"""

from __future__ import annotations

import re
import unicodedata

import ahocorasick
from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "title", "section", "article", "blockquote", "td", "th",
)  # fmt: skip


def sniff_encoding(raw: bytes, declared: str | None = None) -> str:
    """Pick a codec: BOM, then a declared charset (header/meta/XML), then detection.

    Declared ``iso-8859-1``/``latin-1`` is read as ``cp1252`` as browsers do (curly quotes
    and dashes in 0x80–0x9F are common in "latin-1" press releases).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    head = raw[:4096]
    for pattern in (_META_CHARSET, _XML_DECL):
        m = pattern.search(head)
        if m:
            candidates.append(m.group(1).decode("ascii"))
    for name in candidates:
        codec = _codec(name)
        if codec:
            try:
                raw.decode(codec)
                return codec
            except UnicodeDecodeError:
                continue
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        return "utf-8"
    best = from_bytes(raw).best()
    return best.encoding if best is not None else "cp1252"


def _mostly_utf8(raw: bytes) -> bool:
    """UTF-8 with a few broken bytes (a cut or corrupted release), not another codec.

    A single-byte codec's text (e.g. Latin-1 "finalisé") holds no valid multi-byte UTF-8
    sequence, so at least one is required; a few broken sequences (up to four, or one per
    four good ones) are tolerated.
    """
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for c in text if c > "\x7f") - broken
    return multibyte > 0 and broken <= max(4, multibyte // 4)


def _codec(name: str) -> str | None:
    import codecs

    low = name.strip().lower()
    if low in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        return "cp1252"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def decode(raw: bytes | str, declared: str | None = None) -> str:
    """Text of ``raw`` using :func:`sniff_encoding` (undecodable bytes replaced)."""
    if isinstance(raw, str):
        return raw
    return raw.decode(sniff_encoding(raw, declared), errors="replace")


def looks_like_html(text: str, content_type: str | None = None) -> bool:
    """True for ``text/html`` content or text that starts like markup."""
    if content_type and "html" in content_type.lower():
        return True
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Visible text of an HTML page (blocks become paragraphs) and its ``<meta name>`` map."""
    soup = BeautifulSoup(html, "lxml")
    meta = {
        str(m.get("name")).lower(): str(m.get("content", ""))
        for m in soup.find_all("meta")
        if m.get("name")
    }
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    return soup.get_text(), meta


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``key: value`` header between ``---`` lines (corpus documents) and the body."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip()
    return meta, text[m.end() :]


_TRANSLATE = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2010": "-", "\u2011": "-",  # hyphen, non-breaking hyphen ("zero‑coupon", "15‑year")
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ",
    }
)  # fmt: skip


_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC, ASCII quotes/dashes/spaces, one blank line between paragraphs, trimmed lines.

    Thin/no-break spaces become plain spaces so "3 500" and "3,5 %" parse like any space.
    """
    text = unicodedata.normalize("NFC", text)
    # same as text.translate(_TRANSLATE) (every replacement is ASCII and no key), but
    # str.translate with a dict is slow on non-ASCII text; most documents hold few keys
    for key, value in _TRANSLATE.items():
        if chr(key) in text:
            text = text.replace(chr(key), value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [
        (_SPACE_RUN.sub(" ", line) if "  " in line else line).strip() for line in text.split("\n")
    ]
    out = _BLANK_RUN.sub("\n\n", "\n".join(lines))
    return out.strip()


def document_text(content: bytes | str, content_type: str | None = None) -> tuple[str, dict]:
    """Normalised body text and metadata (front matter or HTML meta) of a document."""
    text = decode(content)
    meta, text = split_front_matter(text)
    if looks_like_html(text, content_type):
        text, html_meta = html_to_text(text)
        meta = {**html_meta, **meta}
    return normalise(text), meta


# --- fast pre-checks for regular expressions ---------------------------------------------

# ``re.IGNORECASE`` lets a pattern letter match a few characters whose ``str.lower()`` is not
# that letter: "İ" (lower "i̇", two characters) and "ı" match "i", "ſ" matches "s". An
# exhaustive check over every code point found no other such character for ASCII and the
# French accented letters (_FOLD_SAFE), so ``fold(c) == fold(p)`` whenever ``c`` matches
# ``p`` for those letters.
_FOLD_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyz0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~éèêëàâäçôöûüùîïœæÿ€"
)
_last_fold: tuple[str, str] = ("", "")
# The same check: under ``re.IGNORECASE`` a character of _FOLD_SAFE matches exactly itself,
# its upper case and these.
_IGNORECASE_EXTRA = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}


def ignorecase_chars(ch: str) -> str | None:
    """The characters ``ch`` matches under ``re.IGNORECASE``, sorted (``None`` when not
    known for ``ch``)."""
    low = ch.lower()
    if len(ch) != 1 or len(low) != 1 or low not in _FOLD_SAFE:
        return None
    return "".join(sorted({low, low.upper(), *_IGNORECASE_EXTRA.get(low, "")}))


def ignorecase_class(ch: str) -> str | None:
    """Regex source matching exactly the characters ``ch`` matches under ``re.IGNORECASE``
    (a plain literal for uncased characters; ``None`` when not known for ``ch``)."""
    chars = ignorecase_chars(ch)
    if chars is None:
        return None
    if len(chars) == 1:
        return re.escape(ch)
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def fold_safe(word: str) -> bool:
    """True when every character of ``word`` is one :func:`fold` is exact for."""
    return all(c in _FOLD_SAFE for c in word)


def fold(text: str) -> str:
    """Lower-cased ``text`` in which a character matches a letter of :data:`_FOLD_SAFE` under
    ``re.IGNORECASE`` only if it folds to that letter (used for necessary-condition checks)."""
    global _last_fold
    last = _last_fold
    if last[0] is text:
        return last[1]
    low = text
    if not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        low = text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s")
    low = low.lower()
    _last_fold = (text, low)
    return low


def _required_literals(seq: list) -> frozenset[str] | None:
    """Folded strings one of which every match of parsed pattern ``seq`` contains (or None)."""
    from re import _constants as c

    best: frozenset[str] | None = None

    def consider(cand: frozenset[str] | None) -> None:
        nonlocal best
        if not cand:
            return
        key = (min(map(len, cand)), -len(cand))
        if best is None or key > (min(map(len, best)), -len(best)):
            best = cand

    run: list[str] = []
    for op, av in seq:
        if op is c.LITERAL:
            ch = chr(av).lower()
            if ch in _FOLD_SAFE:
                run.append(ch)
                continue
        elif op is c.AT:  # zero width: the literals around it are adjacent in the text
            continue
        consider(frozenset(["".join(run)]) if run else None)
        run = []
        if op is c.BRANCH:
            alts = [_required_literals(list(alt)) for alt in av[1]]
            if all(alts):
                consider(frozenset().union(*alts))  # type: ignore[arg-type]
        elif op is c.SUBPATTERN:
            consider(_required_literals(list(av[3])))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_required_literals(list(av[2])))
    consider(frozenset(["".join(run)]) if run else None)
    return best


def _top_alternatives(src: str) -> list[str]:
    """``src`` split at its top-level ``|`` (outside groups, classes and escapes)."""
    parts: list[str] = []
    depth = start = i = 0
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # skip the class: "]" right after "[" or "[^" is a member
            j = i + 1
            j += src.startswith("^", j)
            j += src.startswith("]", j)
            while j < len(src) and src[j] != "]":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(src[start:i])
            start = i + 1
        i += 1
    parts.append(src[start:])
    return parts


# an alternative that starts with one letter (optionally after "\b") that is not repeated
_LEAD_LETTER = re.compile(r"(\\b)?([^\W\d_])(?![?*+{])")


def ignorecase_alternatives(src: str) -> str:
    """``(?i:src)`` for an alternation ``src``, with each alternative that starts with a
    letter written as that letter's exact case-insensitive class followed by ``(?i:rest)``.

    Same matches in the same order; inside a pattern compiled without ``re.I`` the regex
    engine then rejects such an alternative on one character test instead of entering it
    (it only does that for alternatives led by a plain character or class).
    """
    parts = []
    for alt in _top_alternatives(src):
        m = _LEAD_LETTER.match(alt)
        cls = ignorecase_class(m.group(2)) if m and not m.group(1) else None
        if m is None or cls is None:
            parts.append(f"(?i:{alt})")
            continue
        rest = alt[m.end() :]
        parts.append(cls + (f"(?i:{rest})" if rest else ""))
    return "(?:" + "|".join(parts) + ")"


def class_led(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same regex written so that the engine can skip positions with one class test.

    For a case-insensitive ``alt1|alt2|...`` whose alternatives each start with a letter
    (optionally after ``\\b``), returns ``[C](?:(?<=c1)(?:rest1|rest2)|(?<=c2)(?:rest3)...)``
    without the global ``re.I``: ``C`` holds every character the first letters match under
    ``re.IGNORECASE`` (exact classes from :func:`ignorecase_class`), alternatives are grouped
    by that class in their original order (the classes are disjoint, so at any position only
    one group can match and the first matching alternative is the same one) and each rest is
    ``(?i:...)``. ``\\b`` before a letter becomes ``(?<!\\w\\w)`` after it (the letter is a
    word character). Group numbers and names are unchanged. Without the leading class, a
    case-insensitive alternation is entered at every position; with it, the scan for a
    candidate position runs in C. ``None`` when the pattern does not have that form.
    """
    if not pattern.flags & re.I or not isinstance(pattern.pattern, str):
        return None
    src = class_led_source(pattern.pattern)
    if src is None:
        return None
    try:
        return re.compile(src, pattern.flags & ~re.I)
    except re.error:
        return None


def class_led_source(src: str) -> str | None:
    """The :func:`class_led` form of case-insensitive regex source ``src`` (to be used
    without ``re.I``), or ``None``."""
    groups: dict[str, list[str]] = {}
    members: dict[str, str] = {}
    for alt in _top_alternatives(src):
        m = _LEAD_LETTER.match(alt)
        cls = ignorecase_class(m.group(2)) if m else None
        if m is None or cls is None:
            return None
        rest = alt[m.end() :]
        body = (r"(?<!\w\w)" if m.group(1) else "") + (f"(?i:{rest})" if rest else "")
        groups.setdefault(cls, []).append(body)
        members[cls] = cls[1:-1] if cls.startswith("[") else cls
    first = "".join(members.values())
    alts = "|".join(f"(?<={c})(?:{'|'.join(b)})" for c, b in groups.items())
    return f"[{first}](?:{alts})"


# gates with at least this many literals share one scan per text instead of testing each
_SHARED_SCAN_MIN = 4
_GATE_LITERALS: dict[str, int] = {}  # every shared-scan literal → its id
_automaton: ahocorasick.Automaton | None = None  # over _GATE_LITERALS, built on first use
_last_present: tuple[str | None, frozenset[int]] = (None, frozenset())


def _register_literals(lits: tuple[str, ...]) -> frozenset[int]:
    """Ids of ``lits`` in the shared literal table (the automaton is rebuilt on next use)."""
    global _automaton, _last_present
    ids = []
    for lit in lits:
        if lit not in _GATE_LITERALS:
            _GATE_LITERALS[lit] = len(_GATE_LITERALS)
            _automaton = None
            _last_present = (None, frozenset())  # found without the new literal
        ids.append(_GATE_LITERALS[lit])
    return frozenset(ids)


def _literals_in(low: str) -> frozenset[int]:
    """Ids of the registered gate literals that folded text ``low`` contains (one C scan of
    the text for all of them; the answer for the last text is kept)."""
    global _automaton, _last_present
    last = _last_present
    if last[0] is low:
        return last[1]
    auto = _automaton
    if auto is None:
        auto = ahocorasick.Automaton()
        for lit, i in _GATE_LITERALS.items():
            auto.add_word(lit, i)
        auto.make_automaton()
        _automaton = auto
    found = frozenset(i for _, i in auto.iter(low)) if low else frozenset()
    _last_present = (low, found)
    return found


class Gated:
    """A compiled pattern that skips texts lacking all of its required literals.

    ``search``/``finditer`` return exactly what the wrapped pattern returns: the literals are
    derived from the parsed pattern (a literal run, or one per alternative, that every match
    must contain) and compared on :func:`fold`-ed text, so a skipped text cannot match.
    Patterns without such literals are always run. Texts that pass the gate are searched
    with the :func:`class_led` form of the pattern when it has one (same matches and groups).
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._rx = class_led(pattern) or pattern
        try:
            from re import _parser

            lits = _required_literals(list(_parser.parse(pattern.pattern, pattern.flags).data))
        except Exception:  # any parser change: fall back to always running the regex
            lits = None
        self.literals = lits
        # substring tests, one per literal: about twice as fast as one regex alternation of
        # them on sentences (measured over every gate of the extractor), same answer
        self._lits: tuple[str, ...] | None = tuple(sorted(lits)) if lits else None
        # gates with many literals look them up in the set of every gate literal the text
        # holds, found by one Aho-Corasick scan per text (see :func:`_literals_in`)
        self._ids: frozenset[int] | None = (
            _register_literals(self._lits)
            if self._lits is not None and len(self._lits) >= _SHARED_SCAN_MIN
            else None
        )
        self._last: tuple[str | None, re.Match[str] | None] = (None, None)

    def _absent(self, low: str) -> bool:
        """True when folded text ``low`` holds none of the literals (so no match)."""
        if self._ids is not None:
            return self._ids.isdisjoint(_literals_in(low))
        lits = self._lits
        if lits is None:
            return False
        for lit in lits:
            if lit in low:
                return False
        return True

    def possible(self, text: str) -> bool:
        """False only when ``text`` cannot match."""
        return not self._absent(fold(text))

    def search(self, text: str) -> re.Match[str] | None:
        """``pattern.search(text)`` (the same sentence is often asked again at once: the last
        answer is kept for that very string object)."""
        last = self._last  # one tuple: read and replaced atomically
        if last[0] is text:
            return last[1]
        folded = _last_fold  # fold(text), without the call when it is the text just folded
        if self._lits is not None and self._absent(folded[1] if folded[0] is text else fold(text)):
            m = None
        else:
            m = self._rx.search(text)
        self._last = (text, m)
        return m

    def finditer(self, text: str) -> list[re.Match[str]]:
        """``list(pattern.finditer(text))``."""
        if self._absent(fold(text)):
            return []
        return list(self._rx.finditer(text))
