-- The HPC contracts the economics use: every curated deal (int_economics_hpc_contracts) plus the
-- press-extracted events no curated deal matches (int_hpc_contracts_curated_vs_extracted), on the
-- same columns. A matched pair keeps the curated values and carries the disagreement flag.
-- Extracted-only events: MW goes to the basis the documents state (none stated → no MW, so the
-- event is not priced and adds no MW); status letter_of_intent → loi, missing → unspecified;
-- contract_kind from the evidence sentence with the curated rule (GPU cloud wording → gpu_cloud);
-- as_of_date = announced_date (undated events are not placed in time).
with curated as (
    select * from {{ ref('int_economics_hpc_contracts') }}
),

comparison as (
    select * from {{ ref('int_hpc_contracts_curated_vs_extracted') }}
),

extracted as (
    select * from {{ ref('int_hpc_contract_events') }}
),

ratio as (
    select gross_to_critical_it_ratio
    from {{ ref('int_assumption_levels') }}
    where assumption_level = '{{ var("economics_assumption_level", "base") }}'
),

extracted_only as (
    select
        e.event_id as contract_id,
        e.ticker,
        e.counterparty,
        e.announced_date as as_of_date,
        e.announced_date,
        case
            when e.status = 'letter_of_intent' then 'loi'
            else coalesce(e.status, 'unspecified')
        end as status,
        case
            when regexp_matches(
                coalesce(e.evidence, ''), '(?i)GPU-as-a-service|AI cloud|GPU services|cloud gaming'
            ) then 'gpu_cloud'
            else 'colocation'
        end as contract_kind,
        false as is_aggregate,
        case when e.mw_basis = 'critical_it' then e.mw end as critical_it_mw,
        case when e.mw_basis = 'gross' then e.mw end as gross_mw,
        case
            when e.mw_basis = 'critical_it' then 'gross_from_critical_it'
            when e.mw_basis = 'gross' then 'critical_it_from_gross'
            when e.mw is not null then 'basis_unknown'
            else 'no_mw'
        end as mw_conversion,
        r.gross_to_critical_it_ratio,
        e.term_years,
        e.contract_value_usd,
        case when e.annual_value_basis = 'stated' then e.annual_value_usd end
            as annual_revenue_stated_usd,
        e.n_documents as n_source_rows,
        array_to_string(e.sources, ' | ') as source_urls
    from comparison as k
    inner join extracted as e on k.extracted_event_id = e.event_id
    cross join ratio as r
    where k.match_status = 'extracted_only'
),

extracted_converted as (
    select
        *,
        case
            when mw_conversion = 'gross_from_critical_it' then critical_it_mw
            when mw_conversion = 'critical_it_from_gross' then gross_mw / gross_to_critical_it_ratio
        end as critical_it_mw_effective,
        case
            when mw_conversion = 'gross_from_critical_it'
                then critical_it_mw * gross_to_critical_it_ratio
            when mw_conversion = 'critical_it_from_gross' then gross_mw
        end as gross_mw_effective
    from extracted_only
)

select
    c.contract_id,
    'curated' as contract_source,
    coalesce(k.match_status, 'curated_only') as match_status,
    k.extracted_event_id as matched_event_id,
    coalesce(k.has_disagreement, false) as has_disagreement,
    c.ticker,
    c.counterparty,
    c.as_of_date,
    c.announced_date,
    c.status,
    c.contract_kind,
    c.is_aggregate,
    c.critical_it_mw,
    c.gross_mw,
    c.mw_conversion,
    c.gross_to_critical_it_ratio,
    c.critical_it_mw_effective,
    c.gross_mw_effective,
    c.term_years,
    c.contract_value_usd,
    c.annual_contract_value_usd,
    c.usd_per_mw_year_critical_it,
    c.usd_per_mw_year_gross,
    c.annual_revenue_stated_usd,
    c.n_source_rows,
    c.source_urls
from curated as c
left join comparison as k on c.contract_id = k.curated_contract_id
union all
select
    contract_id,
    'extracted' as contract_source,
    'extracted_only' as match_status,
    null as matched_event_id,
    false as has_disagreement,
    ticker,
    counterparty,
    as_of_date,
    announced_date,
    status,
    contract_kind,
    is_aggregate,
    critical_it_mw,
    gross_mw,
    mw_conversion,
    gross_to_critical_it_ratio,
    critical_it_mw_effective,
    gross_mw_effective,
    term_years,
    contract_value_usd,
    {{ contract_rates() }},
    annual_revenue_stated_usd,
    n_source_rows,
    source_urls
from extracted_converted
