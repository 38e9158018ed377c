select
    cast(date as date) as hashrate_date,
    hash_rate_hs / 1e18 as hash_rate_ehs,
    source
from {{ source('raw', 'network_hashrate_daily') }}
