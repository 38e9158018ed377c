"""Rule-based press-release fact extraction (English and French), no Dagster import."""

from dagster_project.extraction.facts import FACT_FIELDS, FACT_TYPES, Fact
from dagster_project.extraction.rules import extract_facts, extract_text_facts

__all__ = ["FACT_FIELDS", "FACT_TYPES", "Fact", "extract_facts", "extract_text_facts"]
