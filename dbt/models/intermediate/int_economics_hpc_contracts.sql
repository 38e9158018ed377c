-- HPC contracts deduplicated across sources, with MW on both bases and revenue per MW-year.
-- Dedup key: ticker, counterparty, MW, term and value (the same deal seen on two pages); a deal is
-- gpu_cloud if any of its source rows says so. Earliest as-of date wins; sources are listed.
-- Basis: a missing critical IT or gross MW is converted with the cited gross_to_critical_it_ratio
-- (var economics_assumption_level, default base) and mw_conversion says which way.
-- Revenue per MW-year = contract value ÷ (term × MW); from_annual uses a stated annual revenue.
with rows_in as (
    select * from {{ ref('stg_reference__hpc_contracts_curated') }}
),

ratio as (
    select gross_to_critical_it_ratio
    from {{ ref('int_assumption_levels') }}
    where assumption_level = '{{ var("economics_assumption_level", "base") }}'
),

deduped as (
    select
        md5(
            concat_ws(
                '|', ticker, counterparty, cast(critical_it_mw as varchar),
                cast(gross_mw as varchar), cast(term_years as varchar),
                cast(contract_value_usd as varchar)
            )
        ) as contract_id,
        ticker,
        counterparty,
        critical_it_mw,
        gross_mw,
        term_years,
        contract_value_usd,
        min(as_of_date) as as_of_date,
        min(announced_date) as announced_date,
        max(annual_revenue_usd) filter (
            where annual_revenue_kind = 'revenue'
        ) as annual_revenue_stated_usd,
        max(annual_revenue_usd) filter (where annual_revenue_kind = 'noi') as annual_noi_stated_usd,
        max(annual_revenue_usd) filter (
            where annual_revenue_kind = 'guidance'
        ) as annual_revenue_guided_usd,
        -- definitive > option_exercised > loi
        case
            when bool_or(status = 'definitive') then 'definitive'
            when bool_or(status = 'option_exercised') then 'option_exercised'
            else 'loi'
        end as status,
        bool_or(is_aggregate) as is_aggregate,
        case
            when bool_or(contract_kind = 'gpu_cloud') then 'gpu_cloud' else 'colocation'
        end as contract_kind,
        count(*) as n_source_rows,
        string_agg(distinct source_url, ' | ' order by source_url) as source_urls
    from rows_in
    group by ticker, counterparty, critical_it_mw, gross_mw, term_years, contract_value_usd
),

converted as (
    select
        d.*,
        r.gross_to_critical_it_ratio,
        coalesce(d.critical_it_mw, d.gross_mw / r.gross_to_critical_it_ratio)
            as critical_it_mw_effective,
        coalesce(d.gross_mw, d.critical_it_mw * r.gross_to_critical_it_ratio) as gross_mw_effective,
        case
            when d.critical_it_mw is not null and d.gross_mw is not null then 'both_stated'
            when d.critical_it_mw is not null then 'gross_from_critical_it'
            when d.gross_mw is not null then 'critical_it_from_gross'
            else 'no_mw'
        end as mw_conversion
    from deduped as d
    cross join ratio as r
)

select
    contract_id,
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
    annual_revenue_stated_usd,
    annual_noi_stated_usd,
    annual_revenue_guided_usd,
    {{ contract_rates() }},
    annual_revenue_stated_usd / critical_it_mw_effective
        as usd_per_mw_year_critical_it_from_annual,
    n_source_rows,
    source_urls
from converted
