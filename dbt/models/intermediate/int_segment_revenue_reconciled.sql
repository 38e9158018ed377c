-- The same figure from several sources becomes one value with all its sources.
-- Rule (docs/filings.md): within 0.5 % the sources agree; otherwise sources_disagree = true and
-- min / max are kept. The value is never averaged: it is the preferred source's figure, in
-- this order: EDGAR XBRL (accession) > other SEC filings > company releases > most recent
-- source_date (undated last) > the more precise figure (not a multiple of 100,000) > source_url
-- alphabetically.
with ranked as (
    select
        *,
        row_number() over (
            partition by ticker, period_end, segment
            order by
                origin = 'edgar' desc,
                is_sec_source desc,
                source_kind = 'company_release' desc,
                source_date desc nulls last,
                revenue_usd % 100000 != 0 desc,
                source_url asc,
                fiscal_period asc,
                revenue_usd asc
        ) as preference
    from {{ ref('stg_filings__segment_revenue') }}
),

one_row_per_source as (
    -- a source quoted twice for the same fact counts once (its preferred row)
    select *
    from ranked
    qualify row_number() over (
        partition by ticker, period_end, segment, source_url order by preference
    ) = 1
),

grouped as (
    select
        ticker,
        period_end,
        segment,
        arg_min(fiscal_period, preference) as fiscal_period,
        arg_min(revenue_usd, preference) as revenue_usd,
        min(revenue_usd) as revenue_usd_min,
        max(revenue_usd) as revenue_usd_max,
        count(*) as n_sources,
        list(source_url order by preference) as sources,
        list(distinct origin order by origin) as origins,
        list(distinct source_kind order by source_kind) as source_kinds,
        arg_min(source_url, preference) as chosen_source_url,
        arg_min(origin, preference) as chosen_origin,
        arg_min(source_kind, preference) as chosen_source_kind,
        arg_min(basis, preference) as basis,
        arg_min(source_date, preference) as chosen_source_date,
        bool_or(is_discontinued_operations) as is_discontinued_operations
    from one_row_per_source
    group by ticker, period_end, segment
),

spread as (
    select
        *,
        case
            when greatest(abs(revenue_usd_min), abs(revenue_usd_max)) > 0
                then
                    (revenue_usd_max - revenue_usd_min)
                    / greatest(abs(revenue_usd_min), abs(revenue_usd_max))
            else 0
        end as relative_spread
    from grouped
),

flagged as (
    select
        *,
        relative_spread > 0.005 as sources_disagree
    from spread
)

select
    ticker,
    fiscal_period,
    period_end,
    segment,
    revenue_usd,
    revenue_usd_min,
    revenue_usd_max,
    relative_spread,
    sources_disagree,
    n_sources,
    sources,
    origins,
    source_kinds,
    chosen_source_url,
    chosen_origin,
    chosen_source_kind,
    basis,
    chosen_source_date,
    is_discontinued_operations
from flagged
