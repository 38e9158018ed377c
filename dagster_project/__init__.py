"""minerpivot: a warehouse of Bitcoin miners pivoting to AI/HPC (Dagster + dbt + DuckDB)."""
