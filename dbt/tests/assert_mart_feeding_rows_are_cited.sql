-- Fails for every curated row the marts use that lacks a source, a source kind or a figure date
-- (issue 15): such a figure could not be re-checked at its origin.
select
    table_name,
    ticker,
    row_label,
    source_url,
    source_kind,
    figure_date
from {{ ref('int_curated_provenance') }}
where
    feeds_marts
    and (
        source_url is null
        or source_kind is null
        or figure_date is null
    )
