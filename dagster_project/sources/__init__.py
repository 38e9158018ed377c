"""Plain-Python source readers and live clients. No Dagster imports here."""
