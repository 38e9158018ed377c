"""Any document gives facts or a quarantine row with a reason, never an exception."""

import random

import pytest

from dagster_project.extraction.doc_checks import MAX_BYTES
from dagster_project.extraction.pipeline import StoredDocument, extract_documents, extract_frame

DEAL = "TeraWulf signed a 10-year lease with Fluidstack for 200 MW worth $3.7 billion."


def _doc(doc_id: str, content, ctype: str = "text/plain") -> StoredDocument:
    return StoredDocument(doc_id, None, "test", content, ctype)


def _run(content, ctype="text/plain", resolver=None):
    return extract_documents([_doc("d", content, ctype)], resolver)


@pytest.mark.parametrize(
    ("content", "ctype", "expected"),
    [
        (b"", "text/plain", "empty document"),
        (b"  \n\n\t ", "text/plain", "empty document"),
        (b"<html><body><script>x=1</script></body></html>", "text/html", "no visible text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary stream", "application/pdf", "PDF content"),
        (b"PK\x03\x04\x14\x00 zipped docx", "text/plain", "ZIP/Office content"),
    ],
)
def test_unusable_documents_are_quarantined(content, ctype, expected, resolver):
    facts, quarantine = _run(content, ctype, resolver)
    assert facts.height == 0
    (row,) = quarantine.to_dicts()
    assert row["dataset"] == "press_documents" and row["file"] == "d"
    assert expected in row["reason"]


def test_random_bytes_are_not_read_as_text(resolver):
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4000))
    facts, quarantine = _run(noise, resolver=resolver)
    assert facts.height == 0
    assert "binary or wrongly encoded" in quarantine["reason"][0]


def test_a_few_broken_bytes_keep_the_facts_and_say_so(resolver):
    body = "Bitfarms a finalisé l'acquisition de Stronghold pour 110 millions de dollars. " + DEAL
    raw = body.encode("utf-8") + b"\xff\xfe\xc3"
    facts, quarantine = _run(raw, resolver=resolver)
    assert {"acquisition", "hpc_contract"} <= set(facts["fact_type"])
    assert "finalisé" in facts.filter(facts["fact_type"] == "acquisition")["evidence"][0]
    assert quarantine["check"].to_list() == ["encoding"]


def test_huge_document_is_cut_and_reported(resolver):
    raw = ("Filler sentence about the weather. " * 40_000 + DEAL).encode("utf-8")
    head_deal = (DEAL + " " + "Filler sentence about the weather. " * 40_000).encode("utf-8")
    assert len(raw) > MAX_BYTES
    facts, quarantine = _run(raw, resolver=resolver)
    assert facts.height == 0  # the deal sits beyond the first MAX_BYTES
    assert quarantine["check"].to_list() == ["size"]
    facts, _ = _run(head_deal, resolver=resolver)
    assert facts["mw"].to_list() == [200.0]


def test_extractor_error_becomes_a_row_and_other_documents_still_run(monkeypatch, resolver):
    import dagster_project.extraction.pipeline as pipeline

    real = pipeline.extract_normalised

    def flaky(text, meta, doc_id, *args):
        if doc_id == "boom":
            raise RuntimeError("regex exploded")
        return real(text, meta, doc_id, *args)

    monkeypatch.setattr(pipeline, "extract_normalised", flaky)
    docs = [_doc("boom", DEAL.encode()), _doc("fine", DEAL.encode())]
    facts, quarantine = extract_documents(docs, resolver)
    assert facts["doc_id"].to_list() == ["fine"]
    assert quarantine["reason"].to_list() == [
        "doc boom: extractor failed: RuntimeError: regex exploded"
    ]
    assert extract_frame(docs, resolver)["doc_id"].to_list() == ["fine"]


def test_str_content_and_utf16_are_read(resolver):
    facts, quarantine = _run(DEAL, resolver=resolver)
    assert facts.height == 1 and quarantine.height == 0
    facts, quarantine = _run(DEAL.encode("utf-16"), resolver=resolver)
    assert facts["company"].to_list() == ["WULF"] and quarantine.height == 0


def test_str_content_with_lone_surrogates_keeps_the_facts_and_says_so(resolver):
    """Text decoded from JSON can hold lone surrogates ("\\ud800"), which UTF-8 cannot
    encode: the document is read with '?' in their place and the loss is reported."""
    facts, quarantine = _run(DEAL.replace(" for ", " \ud800for "), resolver=resolver)
    assert facts["mw"].to_list() == [200.0]
    assert quarantine["check"].to_list() == ["encoding"]
    assert "lone surrogates" in quarantine["reason"][0]
