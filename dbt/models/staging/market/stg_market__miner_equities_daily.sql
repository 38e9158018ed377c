{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='trade_date',
        full_refresh=daily_full_refresh(),
    )
}}

-- Every source's bars, typed and labelled. The choice between sources is made in
-- int_miner_equities_daily.
select
    ticker,
    cast(date as date) as trade_date,
    open as open_usd,
    high as high_usd,
    low as low_usd,
    close as close_usd,
    adj_close as adj_close_usd,
    volume as volume_shares,
    source,
    source like '%yahoo%' as is_consolidated_volume
from {{ source('raw', 'miner_equities_daily') }}
{% if is_incremental() %}
    where cast(date as date) >= {{ incremental_start('trade_date') }}
{% endif %}
