"""A corrupted-input corpus made by code: copies of the real inputs with one fault each.

``copy_inputs`` copies the committed ``data/raw`` and the real market snapshot into a temporary
directory; each function below then breaks one file the way a user, an editor or a provider
might (a duplicated line, a value in the wrong unit, an unknown ticker, a binary or mis-encoded
press document, a landed response whose bytes no longer match their checksum). Nothing here is
committed data: every corrupted file is derived from the real one at test time.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from dagster_project.settings import REPO_ROOT, Settings, load_settings

REAL_RAW = REPO_ROOT / "data" / "raw"
BTC = "market/btc_usd_daily_cccagg.csv"
FEES = "market/btc_tx_fees_daily_blockchaincom.csv"
EQUITIES = "market/miner_stocks_daily_yahoo_2023_2024q1.csv"
MINERS = "reference/miners.csv"
SITES = "reference/sites.csv"
SEGMENTS = "filings/reported_segment_revenue.csv"


@dataclass(frozen=True)
class Inputs:
    """A private copy of the inputs: ``raw_dir`` (data/raw) and ``snapshot_dir`` (market/)."""

    raw_dir: Path
    snapshot_dir: Path


def copy_inputs(tmp: Path, real_snapshot: Path) -> Inputs:
    raw = tmp / "raw"
    for sub in ("reference", "filings", "press"):
        shutil.copytree(REAL_RAW / sub, raw / sub)
    snap = tmp / "snapshot"
    shutil.copytree(real_snapshot / "market", snap / "market")
    return Inputs(raw_dir=raw, snapshot_dir=snap)


def settings_for(inputs: Inputs) -> Settings:
    """Offline settings that read the copied inputs (no network, a warehouse beside them)."""
    base = load_settings()
    return Settings(
        mode="offline",
        snapshot_dir=inputs.snapshot_dir,
        raw_dir=inputs.raw_dir,
        warehouse_dir=inputs.raw_dir.parent / "wh",
        context_dir=base.context_dir,
        sec_user_agent=None,
        http_user_agent="test",
        cryptocompare_api_key=None,
    )


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def duplicate_line(path: Path, line: int, change: dict[str, str] | None = None) -> int:
    """Insert a copy of file line ``line`` (header = 1) right after it, with ``change`` applied
    (column → new value); returns the copy's line number."""
    rows = read_rows(path)
    header = rows[0]
    copy = list(rows[line - 1])
    for column, value in (change or {}).items():
        copy[header.index(column)] = value
    rows.insert(line, copy)
    write_rows(path, rows)
    return line + 1


def set_value(path: Path, line: int, column: str, value: str) -> dict[str, str]:
    """Set one cell; returns the row as it now is (column → value)."""
    rows = read_rows(path)
    header = rows[0]
    rows[line - 1][header.index(column)] = value
    write_rows(path, rows)
    return dict(zip(header, rows[line - 1], strict=True))


def cell(path: Path, line: int, column: str) -> str:
    rows = read_rows(path)
    return rows[line - 1][rows[0].index(column)]


def line_of(path: Path, **match: str) -> int:
    """File line number of the first row whose columns equal ``match``."""
    rows = read_rows(path)
    idx = {c: rows[0].index(c) for c in match}
    for n, row in enumerate(rows[1:], start=2):
        if all(row[idx[c]] == v for c, v in match.items()):
            return n
    raise LookupError(f"{path}: no row with {match}")


# -- press documents ----------------------------------------------------------------------------

TEXT_HEADER = (
    "---\nsource_url: https://example.org/press/{name}\ndate: 2025-01-02\nlanguage: en\n"
    "split: dev\n---\n"
)


def press_doc(press_dir: Path, name: str, body: bytes, *, header: bool = True) -> Path:
    """Write ``<name>.txt`` into the press corpus (front matter + ``body``, or raw ``body``)."""
    path = press_dir / f"{name}.txt"
    head = TEXT_HEADER.format(name=name).encode() if header else b""
    path.write_bytes(head + body)
    return path


# -- landed responses ---------------------------------------------------------------------------


def corrupt_landed_body(meta_path: Path) -> Path:
    """Flip one byte of a landed body so it no longer matches the sha256 in its meta file."""
    body = meta_path.with_name(meta_path.name.removesuffix(".meta.json") + ".body")
    data = bytearray(body.read_bytes())
    data[len(data) // 2] ^= 0x01
    body.chmod(0o644)
    body.write_bytes(bytes(data))
    json.loads(meta_path.read_text())  # the meta file stays valid
    return body
