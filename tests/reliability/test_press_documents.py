"""The press-document contract on a copy of the real corpus with broken documents made by code:
binary, empty, mis-encoded, huge, or cited by a local path instead of a URL."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.press import press_documents
from dagster_project.defs.resources import PipelineSettings
from dagster_project.extraction.document_checks import document_problem
from dagster_project.extraction.press_ingest import check_documents, press_documents_frame
from dagster_project.settings import load_settings
from tests.reliability import corpus as c

FR_DOC = "wulf_billets_garantis_fr_2025-10-23"


@pytest.fixture
def press_dir(tmp_path: Path, snapshot_dir: Path) -> Path:
    return c.copy_inputs(tmp_path, snapshot_dir).raw_dir / "press"


def _check(press_dir: Path, tmp_path: Path, max_bytes: int = 2_000_000):
    docs = press_documents_frame(press_dir, load_settings().context_dir, tmp_path / "none.duckdb")
    valid, quarantine = check_documents(docs, press_dir, max_bytes=max_bytes)
    return docs, valid, {r["value"].split(" ")[0]: r for r in quarantine.iter_rows(named=True)}


def test_the_real_corpus_passes(press_dir, tmp_path):
    docs, valid, problems = _check(press_dir, tmp_path)
    assert problems == {} and valid.height == docs.height == 24


def test_broken_documents_are_quarantined_with_the_reason(press_dir, tmp_path):
    c.press_doc(press_dir, "zz_binary", bytes(range(256)) * 4)
    c.press_doc(press_dir, "zz_empty", b"", header=False)
    c.press_doc(press_dir, "zz_front_matter_only", b"")
    c.press_doc(press_dir, "zz_huge", b"IREN signs a 200 MW lease. " * 120_000)  # ~3.2 MB
    c.press_doc(press_dir, "zz_no_url", b"Cipher Mining signs a 300 MW lease.\n", header=False)
    # the real French document re-encoded as Latin-1 with no declared charset (UTF-8 assumed)
    real = (press_dir / f"{FR_DOC}.txt").read_bytes()
    (press_dir / f"{FR_DOC}.txt").write_bytes(real.decode("utf-8").encode("latin-1"))
    first_accent = real.decode("utf-8").encode("latin-1").index(b"\xe9")

    docs, valid, problems = _check(press_dir, tmp_path)
    assert valid.height == docs.height - 6 == 23
    assert set(problems) == {
        "zz_binary",
        "zz_empty",
        "zz_front_matter_only",
        "zz_huge",
        "zz_no_url",
        FR_DOC,
    }
    header = len(c.TEXT_HEADER.format(name="zz_binary").encode())
    binary = problems["zz_binary"]["reason"]
    assert f"binary content (NUL byte) at byte offset {header}" in binary
    assert "empty document" in problems["zz_empty"]["reason"]
    assert "no text after the front matter" in problems["zz_front_matter_only"]["reason"]
    assert "over the limit of 2,000,000" in problems["zz_huge"]["reason"]
    no_url = problems["zz_no_url"]["reason"]
    assert "is not an http(s) URL" in no_url and str(press_dir / "zz_no_url.txt") in no_url
    encoding = problems[FR_DOC]
    assert encoding["check"] == "decodes cleanly"
    assert f"not valid utf-8 at byte offset {first_accent} (byte 0xe9)" in encoding["reason"]
    assert encoding["file"] == str(press_dir / f"{FR_DOC}.txt")  # the path actually read


def test_the_size_limit_is_configurable(press_dir, tmp_path, monkeypatch):
    _, valid, problems = _check(press_dir, tmp_path, max_bytes=5_000)
    assert problems and all(p["check"] == "size limit" for p in problems.values())
    assert valid.height + len(problems) == 24


def test_declared_charset_is_honoured_and_a_lie_is_caught():
    html = '<html><head><meta charset="windows-1252"></head><body>caf\xe9 50 MW</body></html>'
    ok = html.encode("cp1252")
    assert (
        document_problem(
            ok, content_type="text/html", source="https://x.org/a", origin="corpus", max_bytes=10**6
        )
        is None
    )
    lie = html.replace("windows-1252", "utf-8").encode("cp1252")
    problem = document_problem(
        lie, content_type="text/html", source="https://x.org/a", origin="corpus", max_bytes=10**6
    )
    assert problem is not None and "not valid utf-8 at byte offset" in problem[2]


def test_press_documents_asset_quarantines_and_keeps_the_rest(press_dir, tmp_path, monkeypatch):
    c.press_doc(press_dir, "zz_empty", b"", header=False)
    monkeypatch.setenv("MINERPIVOT_PRESS_MAX_BYTES", "3000000")
    settings = PipelineSettings(raw_dir=str(press_dir.parent), warehouse_dir=str(tmp_path / "wh"))
    result = dg.materialize([press_documents], resources={"pipeline": settings})
    assert result.success
    [check] = result.get_asset_check_evaluations()
    assert not check.passed and check.metadata["quarantined_rows"].value == 1
    with duckdb.connect(str(tmp_path / "wh" / "build.duckdb"), read_only=True) as con:
        stored = con.execute("select count(*) from raw.press_documents").fetchone()[0]
        reason = con.execute(
            "select reason from raw.quarantine where dataset = 'press_documents'"
        ).fetchone()[0]
    assert stored == 24 and "zz_empty" in reason and "empty document" in reason
