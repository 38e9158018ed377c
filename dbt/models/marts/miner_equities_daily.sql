-- Close, volume and daily return per ticker and trading day, with the source of each row.
select
    ticker,
    trade_date,
    close_usd,
    market_volume_shares,
    venue_volume_shares,
    close_usd / lag(close_usd) over (partition by ticker order by trade_date) - 1 as daily_return,
    source,
    source != lag(source) over (partition by ticker order by trade_date) as is_source_switch,
    is_predecessor_entity
from {{ ref('int_miner_equities_daily') }}
