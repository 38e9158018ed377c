-- Published industry aggregates (data/raw/reference/analyst_aggregates.csv), one row per source.
select
    scope,
    analyst,
    as_of_date,
    power_mw,
    hpc_suitable_mw,
    pipeline_mw,
    cast(n_miners as integer) as n_miners,
    source_url,
    source_date,
    note,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'analyst_aggregates') }}
