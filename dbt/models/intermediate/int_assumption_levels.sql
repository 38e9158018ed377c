-- The cited assumptions pivoted wide: one row per level (low, base, high), one column per name.
-- Every economic input of the per-MW models comes from here (no number is typed into SQL).
-- A value the source does not give stays null (e.g. capex_hpc_retrofit has only a lower bound).
with assumptions as (
    select * from {{ ref('stg_reference__assumptions') }}
),

levels as (
    select unnest(['low', 'base', 'high']) as assumption_level
),

long_values as (
    select
        l.assumption_level,
        a.assumption_name,
        case l.assumption_level
            when 'low' then a.low_value
            when 'base' then a.base_value
            else a.high_value
        end as assumption_value
    from assumptions as a
    cross join levels as l
)

select
    assumption_level,
    max(assumption_value) filter (
        where assumption_name = 'power_price_usd_per_mwh'
    ) as power_price_usd_per_mwh,
    max(assumption_value) filter (
        where assumption_name = 'capex_mining_usd_per_mw'
    ) as capex_mining_usd_per_mw,
    max(assumption_value) filter (
        where assumption_name = 'capex_hpc_new_build_usd_per_mw'
    ) as capex_hpc_new_build_usd_per_mw_critical_it,
    max(assumption_value) filter (
        where assumption_name = 'capex_hpc_retrofit_usd_per_mw'
    ) as capex_hpc_retrofit_usd_per_mw,
    max(assumption_value) filter (where assumption_name = 'pue_hpc') as pue_hpc,
    max(assumption_value) filter (
        where assumption_name = 'gross_to_critical_it_ratio'
    ) as gross_to_critical_it_ratio,
    max(assumption_value) filter (
        where assumption_name = 'hpc_lease_usd_per_mw_year'
    ) as hpc_lease_usd_per_mw_year_critical_it,
    max(assumption_value) filter (where assumption_name = 'hpc_opex_share') as hpc_opex_share,
    max(assumption_value) filter (where assumption_name = 'pool_fee_pct') as pool_fee_pct
from long_values
group by assumption_level
