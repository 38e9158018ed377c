{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='trade_date',
        full_refresh=daily_full_refresh(),
    )
}}

-- One bar per ticker and trading day. Yahoo (consolidated volume) is preferred; the secondary
-- file is used only for days after the last Yahoo day, and its single-venue volume is never
-- reported as market volume.
-- Nightly (incremental): the days from (latest day − lookback) are recomputed; the Yahoo end
-- is taken over all bars, as in a full build.
with yahoo_end as (
    select max(trade_date) as last_yahoo_day
    from {{ ref('stg_market__miner_equities_daily') }}
    where is_consolidated_volume
),

bars as (
    select * from {{ ref('stg_market__miner_equities_daily') }}
    {%- if is_incremental() %}
        where trade_date >= {{ incremental_start('trade_date') }}
    {%- endif %}
),

chosen as (
    select bars.*
    from bars cross join yahoo_end
    where
        bars.is_consolidated_volume
        or yahoo_end.last_yahoo_day is null
        or bars.trade_date > yahoo_end.last_yahoo_day
)

select
    ticker,
    trade_date,
    open_usd,
    high_usd,
    low_usd,
    close_usd,
    adj_close_usd,
    case when is_consolidated_volume then volume_shares end as market_volume_shares,
    case when not is_consolidated_volume then volume_shares end as venue_volume_shares,
    source,
    -- HUT before 2023-12-01 is Hut 8 Mining Corp., the predecessor of today's Hut 8 Corp.
    (ticker = 'HUT' and trade_date < date '2023-12-01') as is_predecessor_entity
from chosen
