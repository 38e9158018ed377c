"""Round 5: the figure-role model (made-up sentences and figures, own words).

The mechanisms that use it in assembly ship off (``DEFAULT_ROLE_USE``); each is tested here
with probabilities written for the test, so that it fails if the mechanism stops doing its job.
"""

import numpy as np
import pytest

from dagster_project.extraction.facts import Fact
from dagster_project.extraction.fit_roles import fit_softmax, gold_role
from dagster_project.extraction.roles import (
    DEFAULT_ROLE_USE,
    NONE,
    SITE_THRESHOLD,
    Mention,
    RoleModel,
    RoleUse,
    apply_roles,
    load_default,
    role_of,
)
from dagster_project.extraction.rules import document_mentions, extract_facts

from .test_bad_input import StoredDocument

# dev_fit labels one annual revenue only, so the model knows the role from that one figure
# ("will generate ... in annualized revenue"); other wordings ("annual revenue of $X") still
# come out as the contract's value (see docs/extraction.md, "Round 5")
ANNUAL = (
    "The new capacity will generate close to $240 million in annualized revenue when fully "
    "deployed."
)
LEASE = (
    "Acme Mining signed a ten-year lease with Northwind Cloud for 120 MW of critical IT "
    "capacity, worth $3.5 billion in total contract value."
)


def _mentions(text: str, resolver) -> list[Mention]:
    return document_mentions(text, "en", resolver, load_default().window)


def test_shipped_model_loads_and_is_consistent():
    model = load_default()
    assert model.roles[0] == NONE and len(model.roles) >= 10
    assert model.window > 0 and len(model.bias) == len(model.roles)
    assert all(len(w) == len(model.roles) for w in model.weights.values())


def test_role_probabilities_are_deterministic_and_sum_to_one(resolver):
    model = load_default()
    first = [model.probabilities(m) for m in _mentions(LEASE, resolver)]
    again = [model.probabilities(m) for m in _mentions(LEASE, resolver)]
    assert first == again and len(first) == 3
    assert all(abs(sum(p.values()) - 1.0) < 1e-9 for p in first)


def test_an_annual_revenue_window_gets_the_annual_role(resolver):
    (money,) = [m for m in _mentions(ANNUAL, resolver) if m.kind == "money"]
    assert money.value == 240e6
    role, _ = load_default().predict(money)
    assert role == "hpc_contract.annual_revenue_usd"


def test_a_lease_sentence_gives_each_figure_its_contract_role(resolver):
    roles = {m.kind: load_default().predict(m)[0] for m in _mentions(LEASE, resolver)}
    assert roles == {
        "term": "hpc_contract.term_years",
        "mw": "hpc_contract.mw",
        "money": "hpc_contract.contract_value_usd",
    }


def test_roles_are_limited_to_the_figures_kind():
    model = RoleModel.from_json(
        {"roles": [NONE, "capacity.mw", "financing.amount_usd"], "window": 4,
         "bias": [0.0, 0.0, 0.0], "weights": {"L:loan": [0.0, 0.0, 9.0]}}
    )  # fmt: skip
    mw = Mention("mw", 50.0, 0, 5, 0, features=["L:loan"])
    assert set(model.probabilities(mw)) == {NONE, "capacity.mw"}


def test_a_weight_row_of_the_wrong_length_is_an_error():
    with pytest.raises(ValueError, match="wrong length"):
        RoleModel.from_json(
            {"roles": [NONE, "capacity.mw"], "window": 4, "bias": [0.0, 0.0],
             "weights": {"L:x": [1.0]}}
        )  # fmt: skip


def test_gold_roles_match_values_and_drop_ambiguous_figures():
    labels = [
        {"fact_type": "hpc_contract", "contract_value_usd": 3.5e9, "mw": 120},
        {"fact_type": "site", "mw": 300},
        {"fact_type": "power_capacity", "mw": 300},  # same group as site: one role
        {"fact_type": "acquisition", "mw": 120},  # 120 MW now claimed by two roles
    ]
    money = Mention("money", 3.52e9, 0, 1, 0)  # within 2 %
    assert gold_role(money, labels) == "hpc_contract.contract_value_usd"
    assert gold_role(Mention("mw", 300.0, 0, 1, 0), labels) == "capacity.mw"
    assert gold_role(Mention("mw", 120.0, 0, 1, 0), labels) is None
    assert gold_role(Mention("money", 9e6, 0, 1, 0), labels) == NONE
    assert role_of("financing", "amount_usd_low") == "financing.amount_usd"


def test_the_softmax_fit_is_deterministic_and_learns_a_cue():
    rng = np.random.default_rng(7)  # synthetic: a cue feature decides the class
    x = rng.integers(0, 2, size=(60, 4)).astype(float)
    y = x[:, 0].astype(int)
    mask = np.zeros((60, 2))
    w1, b1 = fit_softmax(x, y, mask, 1.0)
    w2, b2 = fit_softmax(x, y, mask, 1.0)
    assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    assert np.mean((x @ w1 + b1).argmax(axis=1) == y) == 1.0


# --- assembly mechanisms, with probabilities written for the tests ---------------------------

TEXT = "Acme leased 80 MW to Northwind for $900 million. Its Birch campus can hold 300 MW."


def _lease() -> Fact:
    return Fact("t", "ACME", "hpc_contract", counterparty="Northwind", mw=80.0,
                contract_value_usd=900e6, span_start=0, span_end=48)  # fmt: skip


def _m(kind: str, value: float, token: str) -> Mention:
    start = TEXT.index(token)
    return Mention(kind, value, start, start + len(token), 0 if start < 48 else 1)


MENTIONS = [_m("mw", 80.0, "80 MW"), _m("money", 900e6, "$900 million"), _m("mw", 300.0, "300 MW")]


def _probs(money_role: str, p: float = 0.97, site: float = 0.0) -> list[dict[str, float]]:
    return [
        {"hpc_contract.mw": 0.9, NONE: 0.1},
        {money_role: p, NONE: 1 - p} if money_role != NONE else {NONE: p},
        {"capacity.mw": site, NONE: 1 - site},
    ]


def test_the_shipped_use_only_adds_sites():
    assert DEFAULT_ROLE_USE.sites_only and DEFAULT_ROLE_USE.site == SITE_THRESHOLD < 1.0


def test_a_capacity_figure_no_rule_reads_becomes_a_site(resolver):
    text = (
        "Cipher Mining signed a 10-year lease with Northwind Cloud for 120 MW of critical IT "
        "capacity worth $3.5 billion. A second hall of 150 MW is planned next to it for 2027."
    )
    doc = StoredDocument("t", None, "test", text.encode(), "text/plain")
    off = extract_facts(doc, resolver=resolver, roles=RoleUse())
    assert [(f.fact_type, f.mw) for f in off] == [("hpc_contract", 120.0)]
    on = extract_facts(doc, resolver=resolver)  # the shipped use
    assert [(f.fact_type, f.company, f.mw) for f in on] == [
        ("hpc_contract", "CIFR", 120.0),
        ("site", "CIFR", 150.0),
    ]
    assert on[1].evidence == text[on[1].span_start : on[1].span_end]
    assert on[1].evidence == "A second hall of 150 MW is planned next to it for 2027."


def test_a_veto_clears_a_figure_the_model_calls_none():
    (f,) = apply_roles([_lease()], MENTIONS, _probs(NONE), RoleUse(veto=0.9))
    assert f.contract_value_usd is None and f.mw == 80.0
    (kept,) = apply_roles([_lease()], MENTIONS, _probs(NONE, p=0.6), RoleUse(veto=0.9))
    assert kept.contract_value_usd == 900e6  # not confident enough


def test_a_veto_moves_a_figure_to_its_deals_other_slot():
    probs = _probs("hpc_contract.annual_revenue_usd")
    (f,) = apply_roles([_lease()], MENTIONS, probs, RoleUse(veto=0.9, veto_to="any"))
    assert (f.contract_value_usd, f.annual_revenue_usd) == (None, 900e6)
    (kept,) = apply_roles([_lease()], MENTIONS, probs, RoleUse(veto=0.9))  # "none" only
    assert kept.contract_value_usd == 900e6


def test_a_one_figure_fact_takes_the_type_its_figure_belongs_to():
    lone = Fact("t", "ACME", "hpc_contract", mw=80.0, span_start=0, span_end=48)
    probs = [{"capacity.mw": 0.95, "hpc_contract.mw": 0.05}, {NONE: 1.0}, {NONE: 1.0}]
    (f,) = apply_roles([lone], MENTIONS, probs, RoleUse(veto=0.9, veto_to="any", retype=True))
    assert (f.fact_type, f.mw) == ("site", 80.0)


def test_a_contract_slot_is_filled_from_the_best_rated_figure():
    bare = Fact("t", "ACME", "hpc_contract", counterparty="Northwind", mw=80.0,
                span_start=0, span_end=48)  # fmt: skip
    probs = _probs("hpc_contract.contract_value_usd", p=0.8)
    (f,) = apply_roles([bare], MENTIONS, probs, RoleUse(fill=0.7))
    assert f.contract_value_usd == 900e6


def test_an_unused_capacity_figure_becomes_a_site_of_the_nearest_company():
    probs = _probs("hpc_contract.contract_value_usd", site=0.96)
    facts = apply_roles([_lease()], MENTIONS, probs, RoleUse(site=0.95), TEXT)
    assert [(f.fact_type, f.company, f.mw) for f in facts] == [
        ("hpc_contract", "ACME", 80.0),
        ("site", "ACME", 300.0),
    ]
    assert facts[1].evidence == "300 MW"
