-- Fleet efficiency per miner and month: the latest J/TH stated on or before the month's last day.
-- No fallback is invented: raw.assumptions cites no generic fleet efficiency, so a miner with no
-- stated J/TH yet gets null and efficiency_status says why. A figure older than
-- var('fleet_efficiency_stale_days') days is still used but flagged 'stale'.
with months as (
    select
        month_start,
        last_day
    from {{ ref('int_economics_hashprice_monthly') }}
),

miners as (
    select ticker from {{ ref('stg_reference__miners') }}
),

stated as (
    select
        ticker,
        as_of_date,
        fleet_efficiency_j_per_th,
        source_url
    from {{ ref('stg_reference__fleet') }}
    -- a target efficiency (a planned fleet's) is not the fleet's stated efficiency
    where
        fleet_efficiency_j_per_th is not null
        and as_of_date is not null
        and coalesce(figure_kind, '') != 'target'
    qualify row_number() over (
        partition by ticker, as_of_date order by source_url, fleet_efficiency_j_per_th
    ) = 1
),

ever_stated as (
    select distinct ticker from stated
),

grid as (
    select
        mi.ticker,
        mo.month_start,
        mo.last_day
    from miners as mi
    cross join months as mo
),

matched as (
    select
        g.ticker,
        g.month_start,
        g.last_day,
        s.fleet_efficiency_j_per_th,
        s.as_of_date as efficiency_as_of_date,
        s.source_url as efficiency_source_url
    from grid as g
    asof left join stated as s
        on g.ticker = s.ticker and g.last_day >= s.as_of_date
)

select
    m.ticker,
    m.month_start,
    m.fleet_efficiency_j_per_th,
    m.efficiency_as_of_date,
    m.efficiency_source_url,
    date_diff('day', m.efficiency_as_of_date, m.last_day) as efficiency_age_days,
    case
        when
            m.fleet_efficiency_j_per_th is not null
            and date_diff('day', m.efficiency_as_of_date, m.last_day)
            > {{ var('fleet_efficiency_stale_days', 365) }}
            then 'stale'
        when m.fleet_efficiency_j_per_th is not null then 'stated'
        when e.ticker is not null then 'not_yet_stated'
        else 'no_cited_efficiency'
    end as efficiency_status
from matched as m
left join ever_stated as e on m.ticker = e.ticker
