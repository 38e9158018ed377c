"""The press ingest without Dagster: documents to extract from, checked facts, overrides.

``defs/press.py`` wraps these in assets; ``benchmarks/floor_ingest.py`` calls them directly.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dagster_project.extraction.corpus import load_corpus
from dagster_project.extraction.document_checks import document_problem
from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.pipeline import (
    DOCUMENT_SCHEMA,
    StoredDocument,
    business_problems,
    extract_documents,
    relabel_quarantine,
)
from dagster_project.schemas.press_facts import PressFacts
from dagster_project.schemas.press_overrides import OVERRIDE_COLUMNS
from dagster_project.schemas.validation import (
    ROW_COL,
    ValidationResult,
    empty_quarantine,
    make_quarantine,
    unknown_ticker_problems,
    validate,
)
from dagster_project.settings import display_path
from dagster_project.sources.csv_reader import read_typed_csv
from dagster_project.sources.reference_files import MINERS_FILE, known_tickers
from dagster_project.warehouse import connect, table_exists


class PressFactsRow(PressFacts):
    """The extracted-facts contract, allowing the id and document columns beside it."""

    class Config:
        strict = False
        ordered = False


def sec_documents(build_db: Path) -> pl.DataFrame:
    """8-K/6-K exhibits landed by the filings assets, if that table exists and has rows."""
    with connect(build_db) as con:
        if not table_exists(con, "raw.sec_press_documents"):
            return pl.DataFrame(schema=DOCUMENT_SCHEMA)
        frame = con.sql("select * from raw.sec_press_documents").pl()
    if not frame.height:
        return pl.DataFrame(schema=DOCUMENT_SCHEMA)
    content = pl.col("content")
    if frame.schema.get("content") == pl.String():
        content = content.cast(pl.Binary)
    return frame.select(
        pl.col("doc_id"),
        pl.col("date").cast(pl.Date).alias("doc_date"),
        pl.col("source"),
        pl.col("accession_number"),
        pl.col("content_type"),
        pl.lit(None, pl.String()).alias("language"),
        pl.lit("sec_exhibit").alias("origin"),
        content.alias("content"),
    )


def press_documents_frame(press_dir: Path, context_dir: Path, build_db: Path) -> pl.DataFrame:
    """The offline corpus, the context article and any SEC exhibits, one row per document."""
    corpus = load_corpus(press_dir, context_dir)
    offline = pl.DataFrame(
        [
            {
                "doc_id": d.doc_id,
                "doc_date": d.date,
                "source": d.source,
                "accession_number": d.accession_number,
                "content_type": d.content_type,
                "language": d.language,
                "origin": "context_article" if d.doc_id.startswith("forbes_") else "corpus",
                "content": d.content,
            }
            for d in corpus
        ],
        schema=DOCUMENT_SCHEMA,
    )
    docs = pl.concat([offline, sec_documents(build_db)])
    dupes = docs.filter(pl.col("doc_id").is_duplicated())["doc_id"].unique().to_list()
    if dupes:
        raise ValueError(f"press documents: duplicate doc_id(s) {dupes}")
    return docs


def check_documents(
    docs: pl.DataFrame, press_dir: Path, *, max_bytes: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split ``docs`` into documents that pass the document contract and quarantine rows.

    A corpus document is named by its file (the path actually read), an SEC exhibit by its URL;
    ``row`` is the document's position (1-based) in ``docs``.
    """
    keep: list[bool] = []
    problems = [empty_quarantine()]
    for i, d in enumerate(docs.iter_rows(named=True), start=1):
        problem = document_problem(
            bytes(d["content"] or b""),
            content_type=d["content_type"],
            source=d["source"],
            origin=d["origin"],
            max_bytes=max_bytes,
        )
        keep.append(problem is None)
        if problem is None:
            continue
        column, check, why = problem
        file = _document_file(press_dir, d["doc_id"], d["origin"], d["source"])
        size = len(d["content"] or b"")
        problems.append(
            make_quarantine(
                "press_documents", file, [i], column, check, [f"{d['doc_id']} ({size} bytes)"]
            ).with_columns(pl.lit(f"{file}: document {d['doc_id']!r}: {why}").alias("reason"))
        )
    return docs.filter(pl.Series(keep, dtype=pl.Boolean)), pl.concat(problems)


def _document_file(press_dir: Path, doc_id: str, origin: str, source: str | None) -> str:
    if origin == "corpus":
        found = sorted(press_dir.glob(f"{doc_id}.*"))
        if found:
            return display_path(found[0])
    return source or doc_id


def extract_stored_documents(
    build_db: Path, miners_csv: Path
) -> tuple[pl.DataFrame, int, pl.DataFrame]:
    """Facts of every document in ``raw.press_documents``, how many documents there were, and
    one quarantine row (dataset ``press_facts``) per document the extractor could not read whole
    (cut to its size limit, unreadable characters, an extractor error)."""
    with connect(build_db) as con:
        docs = con.execute(
            "select doc_id, doc_date, source, content, content_type, language "
            "from raw.press_documents order by doc_id"
        ).fetchall()
    resolver = Resolver(load_aliases(miners_csv))
    facts, problems = extract_documents(
        (StoredDocument(d[0], d[1], d[2], bytes(d[3]), d[4], d[5]) for d in docs), resolver
    )
    return facts, len(docs), problems.with_columns(dataset=pl.lit("press_facts"))


def check_facts(
    facts: pl.DataFrame,
    *,
    fail_on_bad_rows: bool,
    document_problems: pl.DataFrame | None = None,
) -> ValidationResult:
    """The PressFacts contract plus business rules; quarantine rows name their document.

    ``document_problems`` (from :func:`extract_stored_documents`) join the quarantine as they are.
    """
    facts = facts.with_row_index(ROW_COL, offset=1).with_columns(pl.col(ROW_COL).cast(pl.Int64))
    checked = validate(
        facts,
        PressFactsRow,
        dataset="press_facts",
        file="press_facts",
        prior_problems=business_problems(facts),
        fail_on_bad_rows=fail_on_bad_rows,
    )
    # Business problems already name their document; pandera's are relabelled to do so.
    from_pandera = pl.col("file") == "press_facts"
    quarantine = pl.concat(
        [
            checked.quarantine.filter(~from_pandera),
            relabel_quarantine(checked.quarantine.filter(from_pandera), facts),
            *([document_problems] if document_problems is not None else []),
        ]
    )
    return ValidationResult(valid=checked.valid, quarantine=quarantine)


def overrides_path(raw_dir: Path) -> str:
    """The overrides file as messages name it (the path actually read)."""
    return display_path(raw_dir / "press" / "overrides.csv")


def read_overrides(raw_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``data/raw/press/overrides.csv`` typed, with the parse problems found on the way
    (including a correction of ``company`` to a ticker that is not in miners.csv)."""
    name = overrides_path(raw_dir)
    frame, problems = read_typed_csv(
        raw_dir / "press" / "overrides.csv",
        OVERRIDE_COLUMNS,
        dataset="press_overrides",
        display_name=name,
    )
    company = frame.filter(pl.col("field") == "company")
    if company.height:
        miners = raw_dir / MINERS_FILE
        unknown = unknown_ticker_problems(
            company,
            known_tickers(raw_dir),
            dataset="press_overrides",
            file=name,
            column="value",
            known_from=display_path(miners),
        )
        problems = pl.concat([problems, unknown])
    return frame, problems
