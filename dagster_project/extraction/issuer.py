"""The company that issued a release: dateline, headline, or the opening lines.

A wire release opens with a dateline, "DALLAS, Aug. 29, 2025 (GLOBE NEWSWIRE) -- Applied
Digital Corporation (Nasdaq: APLD) ...": the first tracked miner after it is the issuer, and
"the Company", "we" and unnamed subjects in the rest of the release refer to it. News write-ups
have no dateline; there the extractor keeps following the last miner named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dagster_project.extraction.entities import Resolver

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_FR_MONTH = (
    r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
)
# a year followed by a wire tag, ")" or a dash (cheap first pass; _AFTER_YEAR checks the rest)
# written to start with a class ("(?<!\d)(?:19|20)" as "[12](?<!\d\d)..."): the engine scans
# for the next 1 or 2 in C instead of trying the lookbehind at every character (same matches)
_YEAR = re.compile(r"[12](?<!\d\d)(?:(?<=1)9|(?<=2)0)\d\d(?!\d)(?=\s*[(/)\-\u2013\u2014])")
_DATE_BEFORE = re.compile(
    r"(?:" + _MONTH + r"\s+\d{1,2},?\s+|\d{1,2}(?:er)?\s+" + _FR_MONTH + r"\s+)\Z"
)
_WIRE = (
    r"[(/]\s*[^)/\n]{0,40}?(?:NEWSWIRE|Newswire|WIRE|Wire|PRNewswire|ACCESSWIRE|Accesswire)"
    r"[^)/\n]{0,20}[)/]"
)
_DASH = r"[-\u2013\u2014]{1,2}"
# after the year of "CITY, ST, Month D, YYYY (WIRE) --", "CITY, le 3 novembre 2025
# /PRNewswire/ -" or Newsfile's "(Newsfile Corp. - March 17, 2025) - ": a wire tag or a dash
# (a bare date inside a sentence is not a dateline)
_AFTER_YEAR = re.compile(r"\s*(?:" + _WIRE + r"\s*(?:" + _DASH + r"|)|\)?\s*" + _DASH + r")")


@dataclass(frozen=True)
class Issuer:
    """Ticker of the issuer and how it was found ("dateline", "title", "opening")."""

    ticker: str
    how: str

    @property
    def is_release(self) -> bool:
        """A wire release (dateline): unnamed subjects are the issuer."""
        return self.how == "dateline"


def find_issuer(text: str, title: str, resolver: Resolver) -> Issuer | None:
    """Issuer of a release, or the main miner of a write-up; ``None`` when none is named."""
    head = text[:3000]
    for y in _YEAR.finditer(head):
        m = _AFTER_YEAR.match(head, y.end())
        if m is None or not _DATE_BEFORE.search(head, max(0, y.start() - 24), y.start()):
            continue
        after = resolver.miners(text[m.end() : m.end() + 250])
        if after:
            return Issuer(after[0].key, "dateline")
    if title:
        named = resolver.miners(title)
        if named:
            return Issuer(named[0].key, "title")
    opening = resolver.miners(text[:600])
    return Issuer(opening[0].key, "opening") if opening else None
