-- BTC/USD per day with simple moving averages and the month's close.
with prices as (
    select * from {{ ref('stg_market__btc_price_daily') }}
)

select
    price_date,
    open_usd,
    high_usd,
    low_usd,
    close_usd,
    volume_usd,
    close_usd / lag(close_usd) over (order by price_date) - 1 as daily_return,
    case when count(*) over w7 = 7 then avg(close_usd) over w7 end as sma_7d_usd,
    case when count(*) over w30 = 30 then avg(close_usd) over w30 end as sma_30d_usd,
    case when count(*) over w200 = 200 then avg(close_usd) over w200 end as sma_200d_usd,
    date_trunc('month', price_date)::date as month_start,
    last(close_usd order by price_date) over (partition by date_trunc('month', price_date))
        as month_close_usd,
    price_date = max(price_date) over (partition by date_trunc('month', price_date))
        as is_last_day_of_month_in_data,
    source
from prices
window
    w7 as (order by price_date rows between 6 preceding and current row),
    w30 as (order by price_date rows between 29 preceding and current row),
    w200 as (order by price_date rows between 199 preceding and current row)
