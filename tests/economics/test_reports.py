"""Chart functions return PNGs, previews are Markdown, and the CLI writes the report files."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from dagster_project.reports import (
    preview_markdown,
    render_economics_chart,
    render_hpc_share_chart,
)
from dagster_project.settings import REPO_ROOT

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_charts_are_png(wh):
    for data in (render_economics_chart(wh), render_hpc_share_chart(wh)):
        assert data.startswith(PNG_MAGIC)
        assert len(data) > 20_000  # a real plot, not an empty canvas


def test_missing_tables_render_a_message_not_an_error():
    con = duckdb.connect()
    try:
        for data in (render_economics_chart(con), render_hpc_share_chart(con)):
            assert data.startswith(PNG_MAGIC)
        assert "does not exist" in preview_markdown(con, "marts.per_mw_economics")
    finally:
        con.close()


def test_preview_markdown(wh):
    md = preview_markdown(wh, "marts.mining_vs_hpc_scenarios", 3, ["scenario", "ticker"])
    lines = md.splitlines()
    assert lines[0] == "| scenario | ticker |"
    assert len(lines) == 2 + 3
    with pytest.raises(ValueError, match="schema.name"):
        preview_markdown(wh, "marts.x; drop table y")
    with pytest.raises(ValueError, match="no column"):
        preview_markdown(wh, "marts.per_mw_economics", 1, ["nope"])


def test_cli_writes_report(economics_run, tmp_path):
    env = {
        **os.environ,
        "MINERPIVOT_WAREHOUSE_DIR": str(economics_run.warehouse_dir),
        "MINERPIVOT_REPORTS_DIR": str(tmp_path / "reports"),
    }
    out = subprocess.run(
        [sys.executable, "-m", "dagster_project.reports"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    names = {p.name for p in (tmp_path / "reports").iterdir()}
    assert names == {"economics.png", "hpc_share.png", "index.html"}
    html = (tmp_path / "reports" / "index.html").read_text()
    assert "flip_btc_price" in html and "CORZ" in html
    assert "index.html" in out.stdout
