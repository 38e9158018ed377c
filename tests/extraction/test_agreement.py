"""Labeller agreement: the sample draw, scoring one label set against another, loading."""

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from dagster_project.extraction.agreement import (
    SAMPLE_POPULATION,
    SAMPLE_QUOTA,
    bootstrap_pr,
    disagreements,
    draw_sample,
    load_sample_docs,
    main,
    read_dev_docs,
    read_sample,
    score_by_group,
)
from dagster_project.extraction.realset import dev_subsplit

EVAL = Path(__file__).resolve().parents[2] / "data" / "eval"
HEADER = "doc_id,url,title,published_date,company,language,kind,split,sha256\n"


def _f(doc="d1", **kw):
    return {"doc_id": doc, "company": "WULF", "fact_type": "hpc_contract", **kw}


def test_committed_sample_is_the_seeded_stratified_draw_of_dev():
    rows = read_dev_docs(EVAL)
    assert len(rows) >= SAMPLE_POPULATION and {r["split"] for r in rows} == {"dev"}
    rows = rows[:SAMPLE_POPULATION]  # the dev rows when the sample was drawn
    sample = read_sample(EVAL)
    assert [(r["doc_id"], r["kind"], r["subsplit"]) for r in sample] == [
        (r["doc_id"], r["kind"], r["subsplit"]) for r in draw_sample(rows)
    ]
    assert Counter(r["kind"] for r in sample) == Counter(SAMPLE_QUOTA)
    for r in sample:
        assert r["subsplit"] == dev_subsplit(r["url"])
    assert Counter(r["subsplit"] for r in sample) == {"dev_check": 15, "dev_fit": 15}
    assert len({r["doc_id"] for r in sample}) == 30
    # every second label belongs to a sampled document
    second = [json.loads(x) for x in (EVAL / "labels_dev_second.jsonl").read_text().splitlines()]
    assert {g["doc_id"] for g in second} <= {r["doc_id"] for r in sample}


def test_draw_depends_on_the_seed_and_never_takes_test_rows():
    rows = [
        {"doc_id": f"n{i:02d}", "url": f"https://x.example/{i}", "kind": "news", "split": "dev"}
        for i in range(40)
    ]
    quota = {"news": 6}
    a, b = draw_sample(rows, seed=1, quota=quota), draw_sample(rows, seed=1, quota=quota)
    assert a == b and len(a) == 6
    assert Counter(r["subsplit"] for r in a) == {"dev_check": 3, "dev_fit": 3}
    assert [r["doc_id"] for r in draw_sample(rows, seed=2, quota=quota)] != [r["doc_id"] for r in a]
    # a cell smaller than its share gives what it has
    assert len(draw_sample(rows[:1], seed=1, quota={"news": 4})) == 1


def test_agreement_is_asymmetric_where_one_label_states_more_numbers():
    first = [_f(mw=200, term_years=10), _f(fact_type="site", mw=40)]
    second = [_f(mw=200, term_years=10, contract_value_usd=3.7e9)]
    # second against first: its one fact matches (the first states no value); 1 of 2 found
    s = score_by_group(second, first, {"d1": "news"})["ALL"]
    assert (s.fact_tp, s.fact_fp, s.fact_fn) == (1, 0, 1)
    # first against second: the contract of the first lacks the value the second states
    r = score_by_group(first, second, {"d1": "news"})["ALL"]
    assert (r.fact_tp, r.fact_fp, r.fact_fn) == (0, 2, 1)
    # so the contract is a match one way and a miss the other way
    only_first, only_second = disagreements(first, second)
    assert only_first == [first[1]] and only_second == second


def test_scores_per_kind_and_the_2_percent_rule():
    first = [_f("a", fact_type="site", mw=100), _f("b", fact_type="financing", amount_usd=650e6)]
    second = [
        _f("a", fact_type="power_capacity", mw=101),
        _f("b", fact_type="financing", amount_usd=550e6),
    ]
    kinds = score_by_group(second, first, {"a": "news", "b": "press_release"})
    assert (kinds["news"].fact_tp, kinds["news"].fact_fn) == (1, 0)  # site ≡ power_capacity
    assert (kinds["press_release"].fact_tp, kinds["press_release"].fact_fp) == (0, 1)
    assert (kinds["ALL"].precision, kinds["ALL"].recall) == (0.5, 0.5)
    # a document outside the groups is not scored
    assert score_by_group(second + [_f("z", mw=5)], first, {"a": "news"})["ALL"].fact_fp == 0


def test_bootstrap_interval_brackets_the_point_estimate():
    first = [_f(f"d{i}", mw=10 * (i + 1)) for i in range(10)]
    second = first[:8] + [_f("d8", mw=999), _f("d9", mw=998)]
    (plo, phi), (rlo, rhi) = bootstrap_pr(second, first, [f"d{i}" for i in range(10)], rounds=300)
    assert plo <= 0.8 <= phi and rlo <= 0.8 <= rhi
    assert phi <= 1.0 and plo < phi
    # perfect agreement has no spread
    assert bootstrap_pr(first, first, ["d0", "d1"], rounds=50) == ((1.0, 1.0), (1.0, 1.0))


def _mini_set(tmp_path: Path, text: bytes = b"TeraWulf signed a 200 MW lease.") -> Path:
    eval_dir, texts = tmp_path / "eval", tmp_path / "texts"
    eval_dir.mkdir()
    texts.mkdir()
    (texts / "wulf_a.txt").write_bytes(text)
    (texts / "wulf_b.txt").write_bytes(b"changed after labelling")
    sha_a = hashlib.sha256(b"TeraWulf signed a 200 MW lease.").hexdigest()
    (eval_dir / "real_docs.csv").write_text(
        HEADER
        + f"wulf_a,https://x.example/a,A,2025-08-14,WULF,en,news,dev,{sha_a}\n"
        + f"wulf_b,https://x.example/b,B,,WULF,en,news,dev,{'0' * 64}\n"
        + f"wulf_t,https://x.example/t,T,,WULF,en,news,test,{'0' * 64}\n",
        encoding="utf-8",
    )
    (eval_dir / "agreement_sample.csv").write_text(
        "doc_id,kind,subsplit,url\n"
        f"wulf_a,news,{dev_subsplit('https://x.example/a')},https://x.example/a\n"
        f"wulf_b,news,{dev_subsplit('https://x.example/b')},https://x.example/b\n",
        encoding="utf-8",
    )
    return eval_dir


def test_sample_docs_are_loaded_with_the_hash_guard_and_test_ids_refused(tmp_path):
    eval_dir = _mini_set(tmp_path)
    docs, skipped = load_sample_docs(eval_dir, tmp_path / "texts", ["wulf_a", "wulf_b"])
    assert [d.doc_id for d in docs] == ["wulf_a"]
    assert docs[0].split == "dev" and str(docs[0].date) == "2025-08-14"
    assert skipped == [("wulf_b", "sha256 differs from metadata")]
    with pytest.raises(ValueError, match="wulf_t"):
        load_sample_docs(eval_dir, tmp_path / "texts", ["wulf_t"])


def test_main_prints_both_directions_and_the_disagreements(tmp_path, capsys):
    eval_dir = _mini_set(tmp_path)
    (eval_dir / "labels_dev.jsonl").write_text(
        json.dumps(_f("wulf_a", mw=200, status="definitive")) + "\n", encoding="utf-8"
    )
    (eval_dir / "labels_dev_second.jsonl").write_text(
        json.dumps(_f("wulf_a", mw=200)) + "\n" + json.dumps(_f("wulf_b", mw=7)) + "\n",
        encoding="utf-8",
    )
    assert main(["--eval-dir", str(eval_dir), "--no-extractor", "--show-disagreements"]) == 0
    out = capsys.readouterr().out
    assert "== real second against first (2 documents) ==" in out
    assert "ALL FACTS         0.50  1.00    1    1    0" in out
    assert "ALL FACTS         1.00  0.50    1    0    1" in out
    assert "SECOND doc_id=wulf_b company=WULF fact_type=hpc_contract mw=7" in out
