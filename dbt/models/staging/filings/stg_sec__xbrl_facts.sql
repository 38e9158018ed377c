-- XBRL facts, latest filed wins per (company, tag, unit, period); restatements counted.
with facts as (
    select
        *,
        count(*) over (
            partition by cik, taxonomy, tag, unit, period_start, period_end
        ) as n_filings_reporting,
        count(distinct value) over (
            partition by cik, taxonomy, tag, unit, period_start, period_end
        ) as n_distinct_values,
        row_number() over (
            partition by cik, taxonomy, tag, unit, period_start, period_end
            order by filed desc, accession_number desc
        ) as filed_rank,
        case
            when period_start is not null then datediff('day', period_start, period_end) + 1
        end as duration_days
    from {{ source('raw_filings', 'sec_xbrl_facts') }}
),

restated as (
    select
        *,
        n_distinct_values > 1 as is_restated
    from facts
)

select
    ticker,
    cik,
    entity_name,
    taxonomy,
    tag,
    unit,
    value,
    period_start,
    period_end,
    is_instant,
    duration_days,
    fiscal_year,
    fiscal_period,
    form,
    filed,
    accession_number,
    frame,
    derived,
    n_filings_reporting,
    is_restated
from restated
where filed_rank = 1
