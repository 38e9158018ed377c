"""Documents handed from source clients to the press-release extraction.

Kept in its own tiny module so the extraction package can import it without pulling in
any HTTP code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PressDocument:
    """One press release (e.g. an 8-K / 6-K exhibit 99.x) as fetched, bytes untouched.

    ``doc_id`` is stable across runs (``<accession>/<filename>`` for SEC exhibits) so the
    extraction can key its output on it; ``date`` is the filing date (the day the release
    became public on EDGAR), ``source`` the URL it was fetched from.
    """

    doc_id: str
    date: date
    source: str
    accession_number: str | None
    content: bytes
    content_type: str
