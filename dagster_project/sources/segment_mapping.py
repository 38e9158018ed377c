"""Load the versioned XBRL member -> canonical segment mapping.

File: ``data/raw/filings/segment_member_map.csv`` with columns
``version, ticker, axis, member, canonical_segment, note``.

* ``version`` is a positive integer. Loading version *N* takes, for every
  ``(ticker, axis, member)`` key, the row with the highest version <= *N*; a row whose
  ``canonical_segment`` is empty in a later version retires the key. Default: the highest
  version in the file. So old runs can be reproduced and mappings are only ever appended.
* ``ticker`` is a ticker or ``*`` (any company); ``axis`` a QName or ``*`` (any axis).
* ``member`` is a QName as written by :mod:`dagster_project.sources.xbrl`
  (``core:ColocationServiceMember``) or ``*:LocalName`` for a generic row matching any
  prefix.
* Precedence on lookup: exact ticker before ``*``, then exact axis before ``*``, then exact
  member before ``*:`` generic member.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.settings import REPO_ROOT

CANONICAL_SEGMENTS: frozenset[str] = frozenset(
    {
        "bitcoin_mining_self",
        "hosted_mining",
        "hpc_hosting_colocation",
        "ai_cloud_services",
        "other",
    }
)

DEFAULT_MAPPING_PATH = REPO_ROOT / "data" / "raw" / "filings" / "segment_member_map.csv"
REQUIRED_COLUMNS = ("version", "ticker", "axis", "member", "canonical_segment", "note")


class SegmentMappingError(ValueError):
    """The mapping file is malformed; the message names file, row and field."""


@dataclass(frozen=True)
class MappingRow:
    """One effective mapping entry."""

    version: int
    ticker: str
    axis: str
    member: str
    canonical_segment: str
    note: str


@dataclass(frozen=True)
class SegmentMapping:
    """Effective mapping for one version; call :meth:`lookup`."""

    version: int
    rows: tuple[MappingRow, ...]
    _index: dict[tuple[str, str, str], str] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            self._index[(row.ticker.upper(), row.axis, row.member)] = row.canonical_segment

    @property
    def axes(self) -> frozenset[str]:
        """Explicit axes named in the mapping (members on them count as segment lines)."""
        return frozenset(r.axis for r in self.rows if r.axis != "*")

    def lookup(self, ticker: str, axis: str, member: str) -> str | None:
        """Canonical segment for a member of ``axis`` in ``ticker``'s filing, or None."""
        local = member.rpartition(":")[2]
        for t in (ticker.upper(), "*"):
            for a in (axis, "*"):
                for m in (member, f"*:{local}"):
                    hit = self._index.get((t, a, m))
                    if hit is not None:
                        return hit
        return None


def load_segment_mapping(path: Path | None = None, *, version: int | None = None) -> SegmentMapping:
    """Read and validate the mapping CSV; errors name the file, line and field."""
    path = path or DEFAULT_MAPPING_PATH
    if not path.is_file():
        raise SegmentMappingError(f"{path}: segment mapping file not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SegmentMappingError(f"{path}: missing column(s) {', '.join(missing)}")
        parsed: list[MappingRow] = []
        for line_no, raw in enumerate(reader, start=2):
            parsed.append(_parse_row(raw, path=path, line=line_no))
    if not parsed:
        raise SegmentMappingError(f"{path}: no mapping rows")
    max_version = max(r.version for r in parsed)
    wanted = max_version if version is None else version
    effective: dict[tuple[str, str, str], MappingRow] = {}
    for row in sorted(parsed, key=lambda r: r.version):
        if row.version > wanted:
            continue
        effective[(row.ticker.upper(), row.axis, row.member)] = row
    rows = tuple(r for r in effective.values() if r.canonical_segment)
    return SegmentMapping(version=wanted, rows=rows)


def _parse_row(raw: dict[str, str | None], *, path: Path, line: int) -> MappingRow:
    def field_(name: str) -> str:
        return (raw.get(name) or "").strip()

    version_text = field_("version")
    try:
        version = int(version_text)
        if version < 1:
            raise ValueError
    except ValueError as exc:
        raise SegmentMappingError(
            f"{path}:{line}: field 'version' must be a positive integer, got {version_text!r}"
        ) from exc
    for name in ("ticker", "axis", "member"):
        if not field_(name):
            raise SegmentMappingError(f"{path}:{line}: field {name!r} is empty")
    member = field_("member")
    if ":" not in member:
        raise SegmentMappingError(
            f"{path}:{line}: field 'member' must be a QName 'prefix:Local' or '*:Local', "
            f"got {member!r}"
        )
    segment = field_("canonical_segment")
    if segment and segment not in CANONICAL_SEGMENTS:
        raise SegmentMappingError(
            f"{path}:{line}: field 'canonical_segment' is {segment!r}; expected one of "
            f"{', '.join(sorted(CANONICAL_SEGMENTS))} (or empty to retire the key)"
        )
    if not field_("note"):
        raise SegmentMappingError(
            f"{path}:{line}: field 'note' must cite where the member was seen"
        )
    return MappingRow(version, field_("ticker"), field_("axis"), member, segment, field_("note"))
