"""Documents → facts frame with stable ids, and the checks that send a fact to quarantine.

Plain Python (no Dagster): the ``press`` assets call these, and tests call them directly.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from dagster_project.extraction.doc_checks import (
    MAX_BYTES,
    DocProblem,
    content_problems,
    size_problem,
)
from dagster_project.extraction.entities import Resolver, default_resolver
from dagster_project.extraction.facts import FACT_FIELDS, Fact
from dagster_project.extraction.rules import extract_normalised
from dagster_project.extraction.text import document_text
from dagster_project.schemas.press_facts import FACTS_POLARS_SCHEMA
from dagster_project.schemas.validation import QUARANTINE_SCHEMA

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "doc_date": pl.Date(),
    "source": pl.String(),
    "accession_number": pl.String(),
    "content_type": pl.String(),
    "language": pl.String(),
    "origin": pl.String(),
    "content": pl.Binary(),
}


@dataclass(frozen=True)
class StoredDocument:
    """A document as kept in ``raw.press_documents`` (what the extractor needs)."""

    doc_id: str
    date: date | None
    source: str
    content: bytes
    content_type: str
    language: str | None = None


def fact_id(fact: Fact) -> str:
    """Stable id from everything the fact states (not its confidence).

    The extractor is deterministic, so the same document yields the same ids on every run, and
    two facts read from one sentence (e.g. a contract and its option) get different ids.
    """
    stated = {k: v for k, v in fact.to_dict().items() if k != "confidence"}
    key = json.dumps(stated, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


log = logging.getLogger(__name__)


def extract_document(
    doc: StoredDocument, resolver: Resolver | None = None
) -> tuple[list[Fact], list[DocProblem]]:
    """Facts of one document and the problems met on the way; never raises.

    Binary, empty or unreadable content gives no facts and a blocking problem; a document over
    ``MAX_BYTES`` is extracted from its head; an unexpected error in the extractor becomes a
    problem naming the exception instead of stopping the other documents.
    """
    problems: list[DocProblem] = []
    if isinstance(doc.content, bytes):
        raw = doc.content
    else:
        text_in = str(doc.content)
        raw = text_in.encode("utf-8", errors="replace")  # lone surrogates (e.g. from JSON)
        if len(raw) != len(text_in.encode("utf-8", errors="ignore")):
            bad = sum(1 for c in text_in if "\ud800" <= c <= "\udfff")
            problems.append(
                DocProblem(
                    "encoding",
                    str(bad),
                    f"{bad} character(s) not valid Unicode (lone surrogates) read as '?'",
                    False,
                )
            )
    cut = size_problem(raw)
    if cut:
        problems.append(cut)
        raw = raw[:MAX_BYTES]
    try:
        text, meta = document_text(raw, doc.content_type)
        problems += content_problems(raw, text)
        if any(p.blocking for p in problems):
            return [], problems
        lang = doc.language or meta.get("language") or None
        facts = extract_normalised(text, meta, doc.doc_id, lang, resolver or default_resolver())
    except Exception as exc:  # one bad document must not stop the others
        reason = f"extractor failed: {type(exc).__name__}: {exc}"[:500]
        return [], [*problems, DocProblem("extraction", type(exc).__name__, reason, True)]
    return facts, problems


def _document_quarantine(doc_id: str, problems: list[DocProblem]) -> list[dict]:
    return [
        {
            "dataset": "press_documents",
            "file": doc_id,
            "row": None,
            "column": "content",
            "check": p.check,
            "value": p.value,
            "reason": f"doc {doc_id}: {p.reason}",
        }
        for p in problems
    ]


def extract_documents(
    docs: Iterable[StoredDocument], resolver: Resolver | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Facts frame (see :func:`extract_frame`) and one quarantine row per document problem."""
    rows: list[dict] = []
    bad: list[dict] = []
    for doc in docs:
        facts, problems = extract_document(doc, resolver)
        bad += _document_quarantine(doc.doc_id, problems)
        for fact in facts:
            row = fact.to_dict()
            row.update(fact_id=fact_id(fact), doc_date=doc.date, doc_source=doc.source)
            rows.append(row)
    schema = {
        "fact_id": pl.String(),
        **FACTS_POLARS_SCHEMA,
        "doc_date": pl.Date(),
        "doc_source": pl.String(),
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    quarantine = (
        pl.DataFrame(bad, schema=QUARANTINE_SCHEMA)
        if bad
        else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )
    return frame, quarantine


def extract_frame(docs: Iterable[StoredDocument], resolver: Resolver | None = None) -> pl.DataFrame:
    """Extract every document: fact fields + ``fact_id``, ``doc_date``, ``doc_source``.

    Document problems are logged here; :func:`extract_documents` also returns them as
    quarantine rows.
    """
    frame, quarantine = extract_documents(docs, resolver)
    for reason in quarantine["reason"].to_list():
        log.warning("press extraction: %s", reason)
    return frame


def _problem(rows: Sequence[dict], column: str, check: str, message: str) -> list[dict]:
    return [
        {
            "dataset": "press_facts",
            "file": r["doc_id"],
            "row": r["_row"],
            "column": column,
            "check": check,
            "value": None if r.get(column) is None else str(r.get(column)),
            "reason": f"doc {r['doc_id']} fact {r['fact_id']} ({r['fact_type']}): {message}",
        }
        for r in rows
    ]


def business_problems(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts that must not reach the marts, each with a reason (beyond the pandera contract).

    A fact needs a company unless it is an explicit aggregate (``scope`` set, e.g. "14 US-listed
    miners") or an industry cost benchmark (``capex_per_mw``); an hpc_contract needs a
    counterparty, MW or a value to be worth an event.
    """
    problems: list[dict] = []
    no_company = facts.filter(
        pl.col("company").is_null()
        & pl.col("scope").is_null()
        & (pl.col("fact_type") != "capex_per_mw")
    )
    problems += _problem(
        no_company.to_dicts(),
        "company",
        "company resolved",
        "no company resolved and no aggregate scope",
    )
    empty_contract = facts.filter(
        (pl.col("fact_type") == "hpc_contract")
        & pl.col("counterparty").is_null()
        & pl.col("mw").is_null()
        & pl.col("contract_value_usd").is_null()
    )
    problems += _problem(
        empty_contract.to_dicts(),
        "counterparty",
        "contract has substance",
        "hpc_contract with no counterparty, MW or value",
    )
    return (
        pl.DataFrame(problems, schema=QUARANTINE_SCHEMA)
        if problems
        else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )


def relabel_quarantine(quarantine: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """Point pandera's row-level problems at the document and fact they belong to."""
    if not quarantine.height:
        return quarantine
    ids = facts.select(pl.col("_row").alias("row"), "doc_id", "fact_id", "fact_type")
    joined = quarantine.join(ids, on="row", how="left")
    return joined.with_columns(
        pl.col("doc_id").fill_null(pl.col("file")).alias("file"),
        pl.format(
            "doc {} fact {} ({}): column {} failed {} (value {})",
            pl.col("doc_id"),
            pl.col("fact_id"),
            pl.col("fact_type"),
            pl.col("column"),
            pl.col("check"),
            pl.col("value"),
        ).alias("reason"),
    ).select(list(QUARANTINE_SCHEMA))


CORRECTABLE_FIELDS = tuple(
    f for f in FACT_FIELDS if f not in ("doc_id", "evidence", "span_start", "span_end")
)
