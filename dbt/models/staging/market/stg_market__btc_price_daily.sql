select
    cast(date as date) as price_date,
    open as open_usd,
    high as high_usd,
    low as low_usd,
    close as close_usd,
    volume_usd,
    source
from {{ source('raw', 'btc_price_daily') }}
