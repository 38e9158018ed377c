"""What makes a stored document unfit (or only partly fit) for extraction, with the reason.

Every document yields facts, a quarantine row, or both; nothing here raises. The checks are
cheap (byte prefixes and one character count) so they cost nothing on ordinary releases.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 1_000_000
"""Press releases and 8-K exhibits are 2-100 KB; beyond 1 MB only the head is read."""
UNREADABLE_SHARE = 0.05
"""More than 5 % replacement/control characters: binary or wrongly decoded, not text."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0", "OLE/Office"),
)
_ALLOWED_CONTROL = frozenset("\n\r\t\f\v")


@dataclass(frozen=True)
class DocProblem:
    """One reason a document was cut, read with losses, or not extracted."""

    check: str
    value: str
    reason: str
    blocking: bool  # True: no facts are extracted from the document


def binary_kind(raw: bytes) -> str | None:
    """Name of the binary format ``raw`` starts with, if any."""
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            return name
    return None


def unreadable_count(text: str) -> int:
    """Replacement characters (undecodable bytes) and control characters other than spaces."""
    n = text.count("\ufffd")
    # control characters are rare in real text; count them only when one is present
    if not text.isprintable():
        n += sum(1 for c in text if c < " " and c not in _ALLOWED_CONTROL)
        n += text.count("\x7f")
    return n


def size_problem(raw: bytes) -> DocProblem | None:
    """A document over :data:`MAX_BYTES` (only its head is extracted)."""
    if len(raw) <= MAX_BYTES:
        return None
    return DocProblem(
        "size",
        str(len(raw)),
        f"{len(raw)} bytes; only the first {MAX_BYTES} were extracted",
        blocking=False,
    )


def content_problems(raw: bytes, text: str) -> list[DocProblem]:
    """Binary formats, empty text, undecodable or control characters."""
    kind = binary_kind(raw)
    if kind:
        return [DocProblem("text content", kind, f"{kind} content, not text", blocking=True)]
    if not text.strip():
        what = "empty document" if not raw.strip() else "no visible text after decoding"
        return [DocProblem("text content", str(len(raw)), what, blocking=True)]
    bad = unreadable_count(text)
    if not bad:
        return []
    share = bad / len(text)
    if share > UNREADABLE_SHARE:
        return [
            DocProblem(
                "text content",
                f"{share:.1%}",
                f"{bad} of {len(text)} characters unreadable: binary or wrongly encoded",
                blocking=True,
            )
        ]
    return [
        DocProblem(
            "encoding",
            str(bad),
            f"{bad} undecodable or control character(s) replaced; facts kept",
            blocking=False,
        )
    ]
