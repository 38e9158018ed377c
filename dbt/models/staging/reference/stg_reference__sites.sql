-- One row per site fact and source (data/raw/reference/sites.csv); rows are not deduplicated.
-- is_aggregate marks rows that sum several sites ("Georgia sites (aggregate)", "platform",
-- "portfolio", "total"): they must not be added to single-site rows of the same company.
select
    ticker,
    site,
    location,
    gross_mw,
    critical_it_mw,
    status,
    primary_use,
    hpc_tenant,
    as_of_date,
    source_url,
    note,
    regexp_matches(
        site, '(?i)aggregate|platform|portfolio|total|all sites'
    ) as is_aggregate,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'sites') }}
