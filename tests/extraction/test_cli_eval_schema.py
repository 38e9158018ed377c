"""CLI JSON Lines output, scoring rules and the pandera facts schema."""

import json

import polars as pl
import pytest
from click.testing import CliRunner

from dagster_project.cli import main
from dagster_project.extraction.corpus import load_corpus, load_gold
from dagster_project.extraction.evaluate import score, values_agree
from dagster_project.extraction.facts import FACT_FIELDS
from dagster_project.extraction.rules import extract_facts
from dagster_project.schemas.press_facts import PressFacts, facts_to_frame

from .conftest import PRESS, SHARED_MINERS


def test_cli_extract_json_lines(tmp_path):
    other = tmp_path / "plain.txt"
    other.write_text("Nothing to see: the weather was mild.\n", encoding="utf-8")
    args = ["extract", str(PRESS / "iren_microsoft_dell_2025-11-03.txt"), str(other)]
    if SHARED_MINERS.is_file():
        args += ["--reference", str(SHARED_MINERS)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(list(r) == list(FACT_FIELDS) for r in rows)
    assert {r["fact_type"] for r in rows} == {"hpc_contract", "gpu_purchase"}
    assert all(r["company"] == "IREN" for r in rows)


def test_cli_missing_file_fails():
    result = CliRunner().invoke(main, ["extract", "/nonexistent/file.txt"])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_score_matching_and_tolerance():
    gold = [{"doc_id": "d", "company": "X", "fact_type": "site", "mw": 100.0}]
    close = [{"doc_id": "d", "company": "X", "fact_type": "site", "mw": 100.4}]
    s = score(close, gold)
    assert (s.facts["site"].tp, s.fields["mw"].tp) == (1, 1)
    wrong_company = [{"doc_id": "d", "company": "Y", "fact_type": "site", "mw": 100.0}]
    s = score(wrong_company, gold)
    assert (s.facts["site"].tp, s.facts["site"].fp, s.facts["site"].fn) == (0, 1, 1)
    assert values_agree("interest_rate_pct", 0.0, 0.0)
    assert not values_agree("mw", 101.0, 100.0)
    assert values_agree("counterparty", "Fluidstack", "fluidstack")


def test_gold_is_well_formed():
    gold = load_gold(PRESS / "gold.jsonl")
    ids = {d.doc_id for d in load_corpus(PRESS)} | {"forbes_miners_ai_pivot_fr"}
    assert {g["doc_id"] for g in gold} <= ids
    assert all(set(g) <= set(FACT_FIELDS) for g in gold)


def test_schema_accepts_corpus_facts_and_rejects_bad_rows(resolver):
    facts = [f for d in load_corpus(PRESS) for f in extract_facts(d, resolver=resolver)]
    frame = facts_to_frame(facts)
    assert frame.columns == list(FACT_FIELDS)
    PressFacts.validate(frame)
    bad = frame.head(1).with_columns(pl.lit(80.0).alias("term_years"))
    with pytest.raises(Exception, match="term_years"):
        PressFacts.validate(bad)
    bad_type = frame.head(1).with_columns(pl.lit("rumour").alias("fact_type"))
    with pytest.raises(Exception, match="fact_type"):
        PressFacts.validate(bad_type)
    assert facts_to_frame([]).height == 0
