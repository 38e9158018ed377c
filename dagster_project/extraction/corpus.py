"""Offline press corpus: ``data/raw/press/*.txt|*.html`` plus the French context article."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dagster_project.extraction.text import document_text

CONTEXT_ARTICLE = "forbes_miners_ai_pivot_fr.txt"


@dataclass(frozen=True)
class CorpusDocument:
    """Same attribute names as ``sources.documents.PressDocument`` plus corpus metadata.

    ``date`` may be ``None`` when the cited page showed no publication date.
    """

    doc_id: str
    date: date | None
    source: str
    content: bytes
    content_type: str
    language: str | None = None
    split: str = "dev"
    accession_number: str | None = None


def read_document(path: Path, split: str | None = None) -> CorpusDocument:
    """One corpus file; metadata from its front matter or ``<meta name=...>`` tags."""
    raw = path.read_bytes()
    content_type = "text/html" if path.suffix.lower() in (".html", ".htm") else "text/plain"
    _, meta = document_text(raw, content_type)
    raw_date = (meta.get("date") or "").strip()
    try:
        when = date.fromisoformat(raw_date) if raw_date else None
    except ValueError as exc:
        raise ValueError(f"{path}: field 'date' is not YYYY-MM-DD: {raw_date!r}") from exc
    return CorpusDocument(
        doc_id=path.stem,
        date=when,
        source=meta.get("source_url") or str(path),
        content=raw,
        content_type=content_type,
        language=meta.get("language") or None,
        split=split or meta.get("split") or "dev",
    )


def load_corpus(press_dir: Path, context_dir: Path | None = None) -> list[CorpusDocument]:
    """All corpus documents sorted by id; the French context article is read in place."""
    docs = [
        read_document(p)
        for p in sorted(press_dir.iterdir())
        if p.suffix.lower() in (".txt", ".html", ".htm") and p.name != "README.md"
    ]
    if context_dir is not None and (context_dir / CONTEXT_ARTICLE).is_file():
        path = context_dir / CONTEXT_ARTICLE
        docs.append(
            CorpusDocument(
                doc_id=path.stem,
                date=None,
                source="Forbes (Nina Bambysheva), French compilation by Foresight News",
                content=path.read_bytes(),
                content_type="text/plain",
                language="fr",
                split="dev",
            )
        )
    return docs


def load_gold(path: Path) -> list[dict]:
    """Gold facts, one JSON object per line; errors name the line."""
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: line {i}: invalid JSON ({exc.msg})") from exc
        for key in ("doc_id", "fact_type"):
            if key not in row:
                raise ValueError(f"{path}: line {i}: field {key!r} missing")
        out.append(row)
    return out
