-- Curated and EDGAR segment revenue in one shape: one row per fact per source.
{%- set columns = [
    'ticker', 'fiscal_period', 'period_end', 'segment', 'revenue_usd', 'source_url',
    'source_date', 'as_of_date', 'note'
] %}

with unioned as (
    select
        {{ columns | join(', ') }},
        'curated' as source_kind
    from {{ source('raw_filings', 'reported_segment_revenue') }}
    union all
    select
        {{ columns | join(', ') }},
        'edgar' as source_kind
    from {{ source('raw_filings', 'sec_segment_revenue') }}
),

typed as (
    select
        ticker,
        fiscal_period,
        cast(period_end as date) as period_end,
        segment,
        cast(revenue_usd as double) as revenue_usd,
        source_url,
        cast(source_date as date) as source_date,
        cast(as_of_date as date) as as_of_date,
        note,
        source_kind
    from unioned
)

select
    ticker,
    fiscal_period,
    period_end,
    segment,
    revenue_usd,
    source_url,
    source_date,
    as_of_date,
    note,
    source_kind,
    source_kind = 'edgar'
    or regexp_matches(source_url, '^https?://(www\.)?sec\.gov/') as is_sec_source,
    segment != 'total'
    and regexp_matches(
        coalesce(note, ''),
        '(?i)(\bclassified as discontinued operations|\(discontinued operations\))'
    ) as is_discontinued_operations
from typed
