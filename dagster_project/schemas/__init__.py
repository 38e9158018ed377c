"""pandera (polars) contracts, one module per dataset. No Dagster imports here."""
