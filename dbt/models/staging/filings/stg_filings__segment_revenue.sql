-- Curated and EDGAR segment revenue in one shape: one row per fact per source.
-- origin: curated (data/raw/filings) or edgar (live XBRL). source_kind / figure_kind / basis come
-- from the curated file; EDGAR rows are an SEC filing's figure as first reported.
{%- set columns = [
    'ticker', 'fiscal_period', 'period_end', 'segment', 'revenue_usd', 'source_url',
    'source_date', 'as_of_date', 'note'
] %}

with unioned as (
    select
        {{ columns | join(', ') }},
        'curated' as origin,
        source_kind,
        accession,
        figure_kind,
        estimate_by,
        source_note,
        basis
    from {{ source('raw_filings', 'reported_segment_revenue') }}
    union all
    select
        {{ columns | join(', ') }},
        'edgar' as origin,
        'sec_filing' as source_kind,
        case
            when regexp_matches(source_url, '^\d{10}-\d{2}-\d{6}$') then source_url
        end as accession,
        'stated' as figure_kind,
        null as estimate_by,
        'XBRL instance of the filing (live EDGAR ingest)' as source_note,
        'as_reported' as basis
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
        origin,
        source_kind,
        accession,
        figure_kind,
        estimate_by,
        source_note,
        basis
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
    origin,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note,
    basis,
    origin = 'edgar'
    or source_kind = 'sec_filing'
    or regexp_matches(source_url, '^https?://(www\.)?sec\.gov/') as is_sec_source,
    segment != 'total'
    and regexp_matches(
        coalesce(note, ''),
        '(?i)(\bclassified as discontinued operations|\(discontinued operations\))'
    ) as is_discontinued_operations
from typed
