"""The learned fact scorer: weights load, features and fits are deterministic, and a cut drops
a low-evidence candidate while keeping a well-supported one (own-words texts)."""

import math

import numpy as np
import pytest

from dagster_project.extraction.facts import Fact
from dagster_project.extraction.fit_scorer import fit_logistic
from dagster_project.extraction.rules import extract_candidates, extract_facts
from dagster_project.extraction.scorer import FEATURES, FactScorer, feature_rows, load_default

from .test_bad_input import StoredDocument

TEXT = (
    "Hut 8 signed a 10-year lease with CoreWeave for 100 MW of critical IT load worth "
    "$2 billion.\n\nThe northern campus has room for 50 MW more."
)


def _doc(text: str = TEXT) -> StoredDocument:
    return StoredDocument("sc", None, "test", text.encode("utf-8"), "text/plain")


def test_shipped_weights_load():
    scorer = load_default()
    assert len(scorer.weights) == len(FEATURES)
    assert all(math.isfinite(w) for w in (*scorer.weights, scorer.bias))
    assert 0.0 <= scorer.threshold < 1.0


def test_an_unknown_feature_name_is_an_error():
    with pytest.raises(ValueError, match="typo_feature"):
        FactScorer.from_mapping({"typo_feature": 1.0}, 0.0, 0.5)


def test_features_are_deterministic(resolver):
    first = [x for _, x in extract_candidates(_doc(), resolver=resolver)]
    again = [x for _, x in extract_candidates(_doc(), resolver=resolver)]
    assert first == again and len(first) == 2
    assert all(len(x) == len(FEATURES) for x in first)


def test_a_cut_drops_a_low_evidence_fact_and_keeps_a_supported_one(resolver):
    # weights written for this test: a named party, a status and figures raise the score,
    # a company only inferred from the text lowers it
    scorer = FactScorer.from_mapping(
        {"counterparty": 3.0, "status": 2.0, "numbers": 1.0, "company_inferred": -2.0},
        bias=-3.0,
        threshold=0.5,
    )
    every = extract_facts(_doc(), resolver=resolver, scorer=None)
    assert sorted(f.fact_type for f in every) == ["hpc_contract", "site"]
    kept = extract_facts(_doc(), resolver=resolver, scorer=scorer)
    assert [(f.fact_type, f.counterparty, f.mw) for f in kept] == [
        ("hpc_contract", "CoreWeave", 100)
    ]


def test_a_figure_shared_across_types_is_flagged():
    facts = [
        Fact("d", "IREN", "hpc_contract", contract_value_usd=9.7e9),
        Fact("d", "IREN", "acquisition", amount_usd=9.71e9),  # within 0.5 %: the same figure
        Fact("d", "IREN", "site", mw=200),
    ]
    traces = {id(f): [i, 0, False, False, False, 1, 0] for i, f in enumerate(facts)}
    rows = feature_rows(facts, traces, release=True)
    share, money = FEATURES.index("shares_figure"), FEATURES.index("shares_money")
    assert [(r[share], r[money]) for r in rows] == [(1.0, 1.0), (1.0, 1.0), (0.0, 0.0)]


def test_the_fit_is_deterministic_and_finds_a_planted_signal():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(300, 3))
    y = (x[:, 0] + 0.3 * rng.normal(size=300) > 0).astype(float)
    w1, b1 = fit_logistic(x, y, lam=1.0)
    w2, b2 = fit_logistic(x, y, lam=1.0)
    assert np.array_equal(w1, w2) and b1 == b2
    assert w1[0] > 1.0 and abs(w1[1]) < 0.5 * w1[0] and abs(w1[2]) < 0.5 * w1[0]
