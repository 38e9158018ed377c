"""Bytes → normalised text: charset sniffing, HTML → text, front matter, normalisation.

Offsets of extracted facts point into the string returned by :func:`normalise`, so every
transformation that changes length happens here, once, before extraction.
"""

from __future__ import annotations

import re
import unicodedata

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
    best = from_bytes(raw).best()
    return best.encoding if best is not None else "cp1252"


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
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ",
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """NFC, ASCII quotes/dashes/spaces, one blank line between paragraphs, trimmed lines.

    Thin/no-break spaces become plain spaces so "3 500" and "3,5 %" parse like any space.
    """
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip()


def document_text(content: bytes | str, content_type: str | None = None) -> tuple[str, dict]:
    """Normalised body text and metadata (front matter or HTML meta) of a document."""
    text = decode(content)
    meta, text = split_front_matter(text)
    if looks_like_html(text, content_type):
        text, html_meta = html_to_text(text)
        meta = {**html_meta, **meta}
    return normalise(text), meta
