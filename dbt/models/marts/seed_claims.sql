-- Each headline claim of the source article beside our figure for the same thing, our sources and
-- a verdict (issue 15). Our figure never comes from rows that cite the article itself.
-- verdict: confirmed (within the claim's tolerance), differs, or not reproducible (no figure of
-- ours from another source).
with claims as (
    select
        *,
        split_part(our_metric, ':', 1) as metric,
        split_part(our_metric, ':', 2) as metric_arg,
        nullif(split_part(our_metric, ':', 3), '') as metric_date
    from {{ ref('stg_reference__seed_claims') }}
),

rollups as (
    select
        as_of_date,
        energized_mw,
        hpc_minus_analyst_mw + analyst_hpc_suitable_mw as hpc_mw,
        pipeline_minus_analyst_mw + analyst_pipeline_mw as pipeline_mw,
        (hpc_minus_analyst_mw + analyst_hpc_suitable_mw) / nullif(energized_mw, 0) as hpc_share,
        'marts.miner_power_capacity (industry_rollup ALL14, ' || n_miners_with_energized_mw
        || ' miners with energized MW)' as sources
    from {{ ref('miner_power_capacity') }}
    where row_type = 'industry_rollup' and ticker = 'ALL14'
),

contracts as (
    select * from {{ ref('stg_reference__hpc_contracts_curated') }}
    where source_url not like '%forbes_miners_ai_pivot_fr%'
),

contracts_by_date as (
    select
        ticker,
        announced_date,
        max(contract_value_usd) as contract_value_usd,
        max(annual_revenue_usd) as annual_revenue_usd,
        string_agg(distinct source_url, ' | ' order by source_url) as sources
    from contracts
    where announced_date is not null
    group by ticker, announced_date
),

contracts_by_ticker as (
    select
        ticker,
        max(term_years) filter (where counterparty ilike 'coreweave%') as coreweave_term_years,
        max(coalesce(gross_mw, critical_it_mw)) filter (where status = 'loi') as loi_mw,
        string_agg(distinct source_url, ' | ' order by source_url) filter (
            where counterparty ilike 'coreweave%'
        ) as coreweave_sources,
        string_agg(distinct source_url, ' | ' order by source_url) filter (
            where status = 'loi'
        ) as loi_sources
    from contracts
    group by ticker
),

assumptions as (
    select * from {{ ref('stg_reference__assumptions') }}
),

ours as (
    select
        c.claim_id,
        case c.metric
            when 'rollup_energized_mw' then r.energized_mw
            when 'rollup_hpc_mw' then r.hpc_mw
            when 'rollup_pipeline_mw' then r.pipeline_mw
            when 'rollup_hpc_share' then r.hpc_share
            when 'assumption_high' then a.high_value
            when 'assumption_base' then a.base_value
            when 'document' then c.our_value
            when 'contract_value' then d.contract_value_usd
            when 'contract_annual' then d.annual_revenue_usd
            when 'contract_term' then t.coreweave_term_years
            when 'contract_loi_mw' then t.loi_mw
        end as our_figure,
        case c.metric
            when 'assumption_high' then a.source_url
            when 'assumption_base' then a.source_url
            when 'document' then c.our_source_url
            when 'contract_value' then d.sources
            when 'contract_annual' then d.sources
            when 'contract_term' then t.coreweave_sources
            when 'contract_loi_mw' then t.loi_sources
            else r.sources
        end as our_sources
    from claims as c
    left join rollups as r on c.metric like 'rollup_%' and c.as_of_date = r.as_of_date
    left join assumptions as a on c.metric like 'assumption_%' and c.metric_arg = a.assumption_name
    left join contracts_by_date as d
        on
            c.metric in ('contract_value', 'contract_annual')
            and c.metric_arg = d.ticker
            and cast(c.metric_date as date) = d.announced_date
    left join contracts_by_ticker as t
        on c.metric in ('contract_term', 'contract_loi_mw') and c.metric_arg = t.ticker
)

select
    c.claim_id,
    c.topic,
    c.claim,
    c.article_value,
    o.our_figure,
    c.unit,
    case
        when o.our_figure is null or c.article_value is null then 'not reproducible'
        when abs(o.our_figure - c.article_value) <= c.tolerance * abs(c.article_value)
            then 'confirmed'
        else 'differs'
    end as verdict,
    case
        when o.our_figure is null or c.article_value is null
            then 'no figure of ours from a source other than the article: ' || c.note
        else
            'ours ' || round(o.our_figure, 3) || ' vs article ' || round(c.article_value, 3)
            || ' (' || round(100 * (o.our_figure - c.article_value) / abs(c.article_value), 1)
            || ' %, tolerance ' || round(100 * c.tolerance, 1) || ' %); ' || c.note
    end as reason,
    o.our_sources,
    c.as_of_date,
    c.figure_kind as claim_figure_kind,
    c.estimate_by as claim_estimate_by,
    c.source_url as claim_source
from claims as c
inner join ours as o on c.claim_id = o.claim_id
