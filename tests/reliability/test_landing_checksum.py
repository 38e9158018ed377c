"""A landed EDGAR response whose bytes no longer match their SHA-256 is quarantined and fails
the run naming the company and the file (it used to be a warning, and the company vanished)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from pytest_httpserver import HTTPServer

from tests.filings.test_edgar_assets import _failure_text, _materialize, _serve, edgar_env, raw_dir
from tests.reliability.corpus import corrupt_landed_body

__all__ = ["edgar_env", "raw_dir"]  # fixtures reused from the EDGAR asset tests


def test_corrupt_landed_response_is_quarantined_and_fails_the_company(
    edgar_env: HTTPServer, raw_dir: Path, tmp_path: Path
) -> None:
    _serve(edgar_env)
    assert _materialize("live", raw_dir, tmp_path / "wh").success
    [meta] = [
        p for p in (raw_dir / "landing").rglob("*.meta.json") if "companyfacts" in p.read_text()
    ]
    body = corrupt_landed_body(meta)

    edgar_env.clear()
    replay = _materialize("offline", raw_dir, tmp_path / "wh2")
    assert not replay.success
    text = _failure_text(replay)
    assert "failed their SHA-256 check" in text and "CORZ companyfacts" in text
    assert str(body) in text
    with duckdb.connect(str(tmp_path / "wh2" / "build.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select file, reason from raw.quarantine where dataset = 'sec_landing'"
        ).fetchall()
    assert rows == [(str(body), rows[0][1])] and "checksum mismatch" in rows[0][1]
