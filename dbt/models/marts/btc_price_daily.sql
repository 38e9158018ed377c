{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='price_date',
        full_refresh=daily_full_refresh(),
    )
}}

-- BTC/USD per day with simple moving averages and the month's close.
-- Nightly (incremental): the days from the first of the month of (latest day − lookback) are
-- recomputed (the month close and last-day flag need whole months), reading the 199 days before
-- them too so the 200-day average and the previous close are exact.
{%- if is_incremental() %}
    with recompute_from as (
        select date_trunc('month', {{ incremental_start('price_date') }})::date as first_day
    ),

    context_from as (
        select coalesce(min(price_date), date '1900-01-01') as first_day
        from (
            select s.price_date
            from {{ ref('stg_market__btc_price_daily') }} as s, recompute_from as r
            where s.price_date < r.first_day
            order by s.price_date desc
            limit 199
        )
    ),

    prices as (
        select s.*
        from {{ ref('stg_market__btc_price_daily') }} as s, context_from as c
        where s.price_date >= c.first_day
    ),
{%- else %}
    with prices as (
        select * from {{ ref('stg_market__btc_price_daily') }}
    ),
{%- endif %}

-- The averages sum exact decimals: a double sum depends on how the window's segment tree
-- groups the rows, so a nightly build (fewer rows) and a full build would differ in the last
-- bits.
exact as (
    select
        *,
        cast(close_usd as decimal(38, 10)) as close_exact
    from prices
),

computed as (
    select
        price_date,
        open_usd,
        high_usd,
        low_usd,
        close_usd,
        volume_usd,
        close_usd / lag(close_usd) over (order by price_date) - 1 as daily_return,
        case when count(*) over w7 = 7 then avg(close_exact) over w7 end as sma_7d_usd,
        case when count(*) over w30 = 30 then avg(close_exact) over w30 end as sma_30d_usd,
        case when count(*) over w200 = 200 then avg(close_exact) over w200 end as sma_200d_usd,
        cast(date_trunc('month', price_date) as date) as month_start,
        last(close_usd order by price_date) over (partition by date_trunc('month', price_date))
            as month_close_usd,
        price_date = max(price_date) over (partition by date_trunc('month', price_date))
            as is_last_day_of_month_in_data,
        source
    from exact
    window
        w7 as (order by price_date rows between 6 preceding and current row),
        w30 as (order by price_date rows between 29 preceding and current row),
        w200 as (order by price_date rows between 199 preceding and current row)
)

select * from computed
{%- if is_incremental() %}
    where price_date >= (select r.first_day from recompute_from as r)
{%- endif %}
