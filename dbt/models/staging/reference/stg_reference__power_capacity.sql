-- Company-level power capacity facts (data/raw/reference/power_capacity.csv), one row per
-- source. mw_basis is free text; mw_basis_class buckets it. is_lower_bound marks "> X" figures.
select
    ticker,
    as_of_date,
    energized_mw,
    under_construction_mw,
    pipeline_mw,
    total_secured_mw,
    hpc_designated_mw,
    mw_basis,
    case
        when mw_basis ilike 'mixed%' then 'mixed'
        when mw_basis ilike 'critical it%' or mw_basis ilike 'lease capacity (critical it)'
            then 'critical_it'
        when mw_basis ilike 'gross%' then 'gross'
        when mw_basis ilike 'nameplate%' then 'nameplate'
        when mw_basis ilike 'energy capacity under management%' then 'under_management'
        else 'other'
    end as mw_basis_class,
    coalesce(note ilike '%lower bound%', false) as is_lower_bound,
    source_url,
    source_date,
    note,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'power_capacity') }}
