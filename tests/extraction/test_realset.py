"""Real-set scoring on small hand-made cases, and loading with the SHA-256 guard."""

import hashlib
import json

from dagster_project.extraction.evaluate import main
from dagster_project.extraction.realset import fact_matches, load_real_set, score_real


def _f(**kw):
    base = {"doc_id": "d1", "company": "WULF", "fact_type": "hpc_contract"}
    return {**base, **kw}


def test_fact_match_needs_every_labelled_number_within_two_percent():
    gold = _f(mw=200, contract_value_usd=3.7e9, term_years=10)
    assert fact_matches(_f(mw=203, contract_value_usd=3.66e9, term_years=10), gold)
    assert not fact_matches(_f(mw=200, contract_value_usd=3.7e9), gold)  # term missing
    assert not fact_matches(_f(mw=205, contract_value_usd=3.7e9, term_years=10), gold)  # 2.5 %
    # numbers the label does not state do not matter; other slots neither
    assert fact_matches(_f(mw=200, contract_value_usd=3.7e9, term_years=10, amount_usd=5.0), gold)
    assert fact_matches(_f(mw=200, contract_value_usd=3.7e9, term_years=10, status="x"), gold)
    assert not fact_matches(
        _f(company="CIFR", mw=200, contract_value_usd=3.7e9, term_years=10), gold
    )
    assert not fact_matches(_f(fact_type="acquisition", mw=200), _f(mw=200))


def test_site_and_power_capacity_count_for_each_other():
    gold = _f(fact_type="site", mw=250.0)
    assert fact_matches(_f(fact_type="power_capacity", mw=250.0), gold)
    s = score_real([_f(fact_type="power_capacity", mw=250.0, mw_basis="gross")], [gold])
    assert (s.fact_tp, s.fact_fp, s.fact_fn) == (1, 0, 0)
    assert s.fields["mw"] == [1, 0, 0]
    assert s.fields["mw_basis"] == [0, 1, 0]


def test_one_prediction_matches_one_label_and_slots_are_counted():
    golds = [_f(mw=200, counterparty="Fluidstack"), _f(mw=200, counterparty="Core42")]
    preds = [_f(mw=200, counterparty="Fluidstack Ltd", term_years=10)]
    s = score_real(preds, golds)
    assert (s.fact_tp, s.fact_fp, s.fact_fn) == (1, 0, 1)
    assert (s.precision, s.recall) == (1.0, 0.5)
    assert s.fields["counterparty"] == [1, 0, 1]  # containment, then the unmatched label
    assert s.fields["term_years"] == [0, 1, 0]
    assert s.fields["mw"] == [1, 0, 1]
    assert s.missed == [golds[1]]
    # nothing predicted, nothing labelled
    empty = score_real([], [])
    assert (empty.precision, empty.recall) == (None, None)


def _write_set(tmp_path, text: bytes, sha: str | None = None):
    eval_dir, texts = tmp_path / "eval", tmp_path / "texts"
    eval_dir.mkdir(parents=True)
    texts.mkdir(parents=True)
    (texts / "wulf_a.txt").write_bytes(text)
    sha = sha or hashlib.sha256(text).hexdigest()
    (eval_dir / "real_docs.csv").write_text(
        "doc_id,url,title,published_date,company,language,kind,split,sha256\n"
        f"wulf_a,https://example.com/a,A,2025-08-14,WULF,en,press_release,dev,{sha}\n"
        "gone,https://example.com/b,B,2025-08-15,CIFR,en,press_release,test,00\n",
        encoding="utf-8",
    )
    label = {"doc_id": "wulf_a", "company": "WULF", "fact_type": "hpc_contract", "mw": 200}
    (eval_dir / "labels_dev.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    return eval_dir, texts


def test_load_real_set_reports_missing_and_changed_texts(tmp_path):
    body = b"TeraWulf signed a 10-year lease with Fluidstack for 200 MW of critical IT load.\n"
    eval_dir, texts = _write_set(tmp_path, body)
    real = load_real_set(eval_dir, texts)
    assert [d.doc_id for d in real.docs] == ["wulf_a"]
    assert real.skipped == [("gone", f"no text in {texts}")]
    assert real.docs[0].split == "dev" and len(real.labels) == 1

    eval_dir2, texts2 = _write_set(tmp_path / "x", body, sha="ab" * 32)
    real = load_real_set(eval_dir2, texts2)
    assert not real.docs
    assert "differs from metadata" in real.skipped[0][1]


def test_eval_command_scores_real_set(tmp_path, capsys, monkeypatch):
    body = b"TeraWulf signed a 10-year lease with Fluidstack for 200 MW of critical IT load.\n"
    eval_dir, texts = _write_set(tmp_path, body)
    monkeypatch.setenv("MINERPIVOT_EVAL_TEXTS_DIR", str(texts))
    assert main(["--eval-dir", str(eval_dir)]) == 0
    out = capsys.readouterr().out
    assert "== real dev (1 documents) ==" in out
    assert "gone not scored: no text" in out
    line = next(x for x in out.splitlines() if x.startswith("ALL FACTS") and "1    0    0" in x)
    assert line.split()[2:4] == ["1.00", "1.00"]


def test_eval_command_without_real_set(tmp_path, capsys):
    assert main(["--eval-dir", str(tmp_path / "none")]) == 0
    assert "real set: no metadata" in capsys.readouterr().out


def test_dev_subsplit_is_a_salted_url_hash():
    from dagster_project.extraction.realset import dev_subsplit

    # sha1("check:" + url) first hex digit 0-6 -> dev_check, else dev_fit (own example URLs)
    urls = [f"https://example.com/release-{i}" for i in range(64)]
    got = {u: dev_subsplit(u) for u in urls}
    for u, sub in got.items():
        digit = hashlib.sha1(("check:" + u).encode()).hexdigest()[0]
        assert sub == ("dev_check" if digit in "0123456" else "dev_fit")
    assert set(got.values()) == {"dev_check", "dev_fit"}
    # independent of the dev/test cut: it is not the unsalted sha1 of the URL
    unsalted = {u: hashlib.sha1(u.encode()).hexdigest()[0] in "0123456" for u in urls}
    assert unsalted != {u: s == "dev_check" for u, s in got.items()}


def test_eval_dev_prints_sub_splits_and_errors_of_dev_fit_only(tmp_path, capsys, monkeypatch):
    from dagster_project.extraction.realset import dev_subsplit

    eval_dir, texts = tmp_path / "eval", tmp_path / "texts"
    eval_dir.mkdir()
    texts.mkdir()
    # two own-words dev documents, one in each sub-split; each misses a labelled fact
    urls: dict[str, str] = {}
    for i in range(200):
        u = f"https://example.com/r{i}"
        urls.setdefault(dev_subsplit(u), u)
    rows, labels = [], []
    for sub, url in sorted(urls.items()):
        doc_id = f"doc_{sub}"
        body = b"TeraWulf signed a 10-year lease with Fluidstack for 200 MW of critical IT load.\n"
        (texts / f"{doc_id}.txt").write_bytes(body)
        sha = hashlib.sha256(body).hexdigest()
        rows.append(f"{doc_id},{url},T,2025-08-14,WULF,en,press_release,dev,{sha}")
        labels.append({"doc_id": doc_id, "company": "WULF", "fact_type": "site", "mw": 777})
    (eval_dir / "real_docs.csv").write_text(
        "doc_id,url,title,published_date,company,language,kind,split,sha256\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    (eval_dir / "labels_dev.jsonl").write_text(
        "".join(json.dumps(g) + "\n" for g in labels), encoding="utf-8"
    )
    monkeypatch.setenv("MINERPIVOT_EVAL_TEXTS_DIR", str(texts))
    assert main(["--eval-dir", str(eval_dir), "--split", "dev", "--show-errors"]) == 0
    out = capsys.readouterr().out
    for head in ("== real dev (2 documents) ==", "== real dev_fit (1 documents) ==",
                 "== real dev_check (1 documents) =="):  # fmt: skip
        assert head in out
    missed = [x for x in out.splitlines() if x.strip().startswith("MISSED")]
    assert len(missed) == 1 and "doc_dev_fit" in missed[0]
    spurious = [x for x in out.splitlines() if x.strip().startswith("SPURIOUS")]
    assert spurious and all("doc_dev_fit" in x for x in spurious)
    assert "dev_check P " in out.splitlines()[-1]
