-- Monthly averages of the daily hashprice mart (USD and BTC per PH/s per day) and BTC price.
-- The last month may be partial: n_days says how many days the averages cover.
select
    cast(date_trunc('month', day) as date) as month_start,
    max(day) as last_day,
    count(*) as n_days,
    count(*) = day(last_day(max(day))) as is_complete_month,
    avg(btc_price_usd) as btc_price_usd,
    avg(hashprice_usd_per_ph_day) as hashprice_usd_per_ph_day,
    avg(hashprice_btc_per_ph_day) as hashprice_btc_per_ph_day,
    bool_or(is_subsidy_only) as has_subsidy_only_days
from {{ ref('hashprice_daily') }}
group by 1
