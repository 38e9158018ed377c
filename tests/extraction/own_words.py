"""The extractor run on a sentence written for a test (own words, made-up figures)."""

from __future__ import annotations

from dagster_project.extraction.entities import Resolver
from dagster_project.extraction.facts import Fact
from dagster_project.extraction.pipeline import StoredDocument
from dagster_project.extraction.rules import extract_facts


def facts_of(
    text: str, resolver: Resolver, *, doc_id: str = "own-words", lang: str | None = None
) -> list[Fact]:
    """Facts of ``text`` as a plain-text document ``doc_id`` (language detected unless
    ``lang`` is given)."""
    doc = StoredDocument(doc_id, None, "test", text.encode("utf-8"), "text/plain")
    return extract_facts(doc, resolver=resolver, language=lang)
