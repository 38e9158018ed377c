"""Extractor behaviour on corpus documents and small hand-written texts."""

from dataclasses import dataclass

import pytest

from dagster_project.extraction.corpus import read_document
from dagster_project.extraction.facts import FACT_FIELDS
from dagster_project.extraction.rules import extract_facts, extract_text_facts
from dagster_project.extraction.text import document_text, sniff_encoding
from dagster_project.settings import load_settings

from .conftest import PRESS


@dataclass
class Doc:
    doc_id: str
    content: bytes
    content_type: str = "text/plain"


def _facts(name, resolver):
    return extract_facts(read_document(PRESS / name), resolver=resolver)


def test_spans_point_at_evidence(resolver):
    for path in sorted(PRESS.glob("*.*")):
        if path.suffix not in (".txt", ".html"):
            continue
        doc = read_document(path)
        text, _ = document_text(doc.content, doc.content_type)
        for fact in extract_facts(doc, resolver=resolver):
            assert text[fact.span_start : fact.span_end] == fact.evidence
            assert fact.span_end > fact.span_start
            assert 0 <= fact.confidence <= 1


def test_option_vs_definitive(resolver):
    facts = _facts("apld_coreweave_leases_2025-06-02.txt", resolver)
    contracts = [f for f in facts if f.fact_type == "hpc_contract"]
    statuses = {(f.mw, f.status) for f in contracts}
    assert (250.0, "definitive") in statuses
    assert (150.0, "option") in statuses
    assert all(f.company == "APLD" and f.counterparty == "CoreWeave" for f in contracts)


def test_gross_vs_critical_it(resolver):
    (contract,) = [
        f
        for f in _facts("cifr_fluidstack_google_2025-09-25.txt", resolver)
        if f.fact_type == "hpc_contract" and f.status == "definitive"
    ]
    assert (contract.mw, contract.mw_basis) == (168.0, "critical_it")
    assert (contract.term_years, contract.contract_value_usd) == (10.0, 3e9)
    hut = _facts("hut_river_bend_fluidstack_2025-12-17.txt", resolver)
    assert {(f.fact_type, f.mw, f.mw_basis) for f in hut} >= {
        ("hpc_contract", 245.0, "critical_it"),
        ("site", 330.0, "gross"),
    }


def test_results_release_without_deal_has_no_contract(resolver):
    for name in ("hut_q1_2025_results_2025-05-08.txt", "iren_april_2024_update_2024-05-06.html"):
        facts = _facts(name, resolver)
        assert facts, name
        assert not [f for f in facts if f.fact_type == "hpc_contract"], name


def test_french_article_corz_contract(resolver):
    path = load_settings().context_dir / "forbes_miners_ai_pivot_fr.txt"
    if not path.is_file():
        pytest.skip(f"context article missing: {path}")
    doc = Doc("forbes_miners_ai_pivot_fr", path.read_bytes())
    facts = extract_facts(doc, resolver=resolver, language="fr")
    corz = [f for f in facts if f.company == "CORZ" and f.fact_type == "hpc_contract"]
    main = next(f for f in corz if f.contract_value_usd == pytest.approx(3.5e9))
    assert main.counterparty == "CoreWeave"
    assert main.term_years == 12
    assert main.annual_revenue_usd == pytest.approx(290e6)
    hut = next(f for f in facts if f.company == "HUT" and f.fact_type == "financing")
    assert (hut.amount_usd, hut.interest_rate_pct) == (150e6, 8.0)
    assert hut.conversion_price_usd == pytest.approx(16.395)
    apld = next(f for f in facts if f.company == "APLD")
    assert (apld.mw, apld.status) == (400.0, "letter_of_intent")
    aggregates = [f for f in facts if f.fact_type == "power_capacity"]
    assert {f.mw for f in aggregates} == {5000.0, 3600.0, 4500.0}
    assert all(f.company is None and f.scope for f in aggregates)


def test_encoding_sniffing_cp1252_meta():
    raw = (PRESS / "iren_april_2024_update_2024-05-06.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert sniff_encoding(raw) == "cp1252"
    text, meta = document_text(raw, "text/html")
    assert "Iris Energy - April 2024" in text  # en dash decoded, then normalised
    assert "company's" in text
    assert meta["date"] == "2024-05-06"


def test_latin1_without_declaration_is_detected(resolver):
    body = "Bitfarms a finalisé l'acquisition de Stronghold pour 110 millions de dollars."
    doc = Doc("x", body.encode("latin-1"))
    (fact,) = extract_facts(doc, resolver=resolver, language="fr")
    assert (fact.company, fact.fact_type, fact.amount_usd) == ("BITF", "acquisition", 110e6)
    assert "finalisé" in fact.evidence


def test_unknown_company_is_null(resolver):
    text = "Acme Data signed a 10-year lease with CoreWeave for 50 MW worth $1 billion."
    (fact,) = extract_text_facts(text, "acme", "en", resolver)
    assert fact.company is None
    assert (fact.fact_type, fact.mw, fact.contract_value_usd) == ("hpc_contract", 50.0, 1e9)
    assert tuple(fact.to_dict()) == FACT_FIELDS


def test_non_usd_amount_not_converted(resolver):
    facts = _facts("btbt_q3_2024_results_2024-11-18.txt", resolver)
    acq = next(f for f in facts if f.fact_type == "acquisition")
    assert acq.counterparty == "Enovum Data Centers"
    assert acq.amount_usd is None
