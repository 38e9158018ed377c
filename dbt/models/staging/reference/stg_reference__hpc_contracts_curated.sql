-- Curated HPC/AI contracts (data/raw/reference/hpc_contracts_curated.csv), one row per source.
-- Derived flags (documented in docs/economics.md):
--   is_aggregate: cumulative rows ("all contracts", "all HPC leases") overlapping per-deal rows;
--   contract_kind: gpu_cloud when the note says the revenue includes GPU services, else colocation
--     (colocation leases are the comparable "HPC revenue per MW"; GPU cloud revenue pays for GPUs);
--   annual_revenue_kind: what annual_revenue_usd is (revenue, noi or guidance).
select
    md5(
        concat_ws(
            '|', ticker, counterparty, cast(as_of_date as varchar), source_url,
            cast(critical_it_mw as varchar), cast(gross_mw as varchar)
        )
    ) as contract_row_id,
    ticker,
    counterparty,
    announced_date,
    critical_it_mw,
    gross_mw,
    term_years,
    contract_value_usd,
    annual_revenue_usd,
    case
        when annual_revenue_usd is null then null
        when note ilike '%NOI%' then 'noi'
        when note ilike '%guidance%' or note ilike '%annualized%' then 'guidance'
        else 'revenue'
    end as annual_revenue_kind,
    status,
    regexp_matches(coalesce(counterparty, ''), '(?i)\ball\b') as is_aggregate,
    case
        when regexp_matches(
            coalesce(note, ''), '(?i)GPU-as-a-service|AI cloud|GPU services|cloud gaming'
        ) then 'gpu_cloud'
        else 'colocation'
    end as contract_kind,
    source_url,
    source_date,
    as_of_date,
    note,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'hpc_contracts_curated') }}
