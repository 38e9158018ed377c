{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='trade_date',
        full_refresh=daily_full_refresh(),
    )
}}

-- Close, volume and daily return per ticker and trading day, with the source of each row.
-- Nightly (incremental): the days from (latest day − lookback) are recomputed, reading each
-- ticker's last bar before them too, so the return and the source switch of the first
-- recomputed day are exact.
{%- if is_incremental() %}
    with recompute_from as (
        select {{ incremental_start('trade_date') }} as first_day
    ),

    previous_day as (
        select
            i.ticker,
            max(i.trade_date) as trade_date
        from {{ ref('int_miner_equities_daily') }} as i, recompute_from as r
        where i.trade_date < r.first_day
        group by i.ticker
    ),

    bars as (
        select i.*
        from {{ ref('int_miner_equities_daily') }} as i, recompute_from as r
        where i.trade_date >= r.first_day
        union all
        select i.*
        from {{ ref('int_miner_equities_daily') }} as i
        inner join previous_day as p on i.ticker = p.ticker and i.trade_date = p.trade_date
    ),
{%- else %}
    with bars as (
        select * from {{ ref('int_miner_equities_daily') }}
    ),
{%- endif %}

computed as (
    select
        ticker,
        trade_date,
        close_usd,
        market_volume_shares,
        venue_volume_shares,
        close_usd / lag(close_usd) over (partition by ticker order by trade_date) - 1
            as daily_return,
        source,
        source != lag(source) over (partition by ticker order by trade_date) as is_source_switch,
        is_predecessor_entity
    from bars
)

select * from computed
{%- if is_incremental() %}
    where trade_date >= (select r.first_day from recompute_from as r)
{%- endif %}
