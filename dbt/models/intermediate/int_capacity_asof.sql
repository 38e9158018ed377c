-- Power capacity per tracked miner at every date a capacity, site or contract fact exists.
-- Two partial views side by side, never summed together:
--   reported_*: latest company-level figure on or before the date (stg_reference__power_capacity;
--   two sources of the same date: the first source_url alphabetically);
--   sites_*: sum over single sites (aggregate rows excluded) of each site's latest row by status.
-- HPC contracted MW: firm (definitive | option_exercised) contracts announced by the date, curated
-- deals plus press-extracted ones no curated deal matches (int_economics_hpc_contracts_combined);
-- a cumulative ("all contracts") row replaces the per-deal sum when larger (it includes them).
with miners as (
    select ticker from {{ ref('stg_reference__miners') }}
),

ratio as (
    select gross_to_critical_it_ratio
    from {{ ref('int_assumption_levels') }}
    where assumption_level = '{{ var("economics_assumption_level", "base") }}'
),

-- targets (figure_kind = 'target') never count as energized, secured or planned capacity
capacity as (
    select * from {{ ref('stg_reference__power_capacity') }}
    where as_of_date is not null and coalesce(figure_kind, '') != 'target'
),

sites as (
    select * from {{ ref('stg_reference__sites') }}
    where as_of_date is not null and coalesce(figure_kind, '') != 'target'
),

contracts as (
    select * from {{ ref('int_economics_hpc_contracts_combined') }}
    where as_of_date is not null and status in ('definitive', 'option_exercised')
),

dates as (
    select
        ticker,
        as_of_date
    from capacity
    union
    select
        ticker,
        as_of_date
    from sites
    union
    select
        ticker,
        as_of_date
    from contracts
),

grid as (
    select
        d.ticker,
        d.as_of_date
    from dates as d
    inner join miners as m on d.ticker = m.ticker
),

reported as (
    select
        g.ticker,
        g.as_of_date,
        first(c.energized_mw order by c.as_of_date desc, c.source_url asc) filter (
            where c.energized_mw is not null
        ) as reported_energized_mw,
        first(c.under_construction_mw order by c.as_of_date desc, c.source_url asc) filter (
            where c.under_construction_mw is not null
        ) as reported_under_construction_mw,
        first(c.pipeline_mw order by c.as_of_date desc, c.source_url asc) filter (
            where c.pipeline_mw is not null
        ) as reported_pipeline_mw,
        first(c.total_secured_mw order by c.as_of_date desc, c.source_url asc) filter (
            where c.total_secured_mw is not null
        ) as reported_total_secured_mw,
        first(c.hpc_designated_mw order by c.as_of_date desc, c.source_url asc) filter (
            where c.hpc_designated_mw is not null
        ) as reported_hpc_designated_mw,
        max(c.as_of_date) as reported_latest_as_of_date,
        bool_or(c.is_lower_bound) as reported_has_lower_bound,
        string_agg(distinct c.source_url, ' | ' order by c.source_url) as reported_sources
    from grid as g
    inner join capacity as c on g.ticker = c.ticker and c.as_of_date <= g.as_of_date
    group by g.ticker, g.as_of_date
),

site_latest as (
    select
        g.ticker,
        g.as_of_date,
        s.site,
        s.status,
        s.is_aggregate,
        s.source_url,
        coalesce(s.gross_mw, s.critical_it_mw * r.gross_to_critical_it_ratio) as gross_mw
    from grid as g
    inner join sites as s on g.ticker = s.ticker and s.as_of_date <= g.as_of_date
    cross join ratio as r
    qualify row_number() over (
        partition by g.ticker, g.as_of_date, s.site
        order by s.as_of_date desc, s.source_url asc, s.status asc, s.gross_mw asc
    ) = 1
),

site_sums as (
    select
        ticker,
        as_of_date,
        -- float sums in site order, so two builds agree to the last bit
        sum(gross_mw order by site) filter (
            where status = 'energized' and not is_aggregate
        ) as sites_energized_mw,
        sum(gross_mw order by site) filter (
            where status = 'under_construction' and not is_aggregate
        ) as sites_under_construction_mw,
        sum(gross_mw order by site) filter (
            where status = 'planned' and not is_aggregate
        ) as sites_planned_mw,
        sum(gross_mw order by site) filter (
            where status = 'contracted' and not is_aggregate
        ) as sites_contracted_mw,
        count(*) filter (where not is_aggregate) as n_sites,
        count(*) filter (where is_aggregate) as n_aggregate_site_rows,
        string_agg(distinct source_url, ' | ' order by source_url) as site_sources
    from site_latest
    group by ticker, as_of_date
),

contract_sums as (
    select
        g.ticker,
        g.as_of_date,
        count(*) filter (where not k.is_aggregate) as n_hpc_contracts,
        count(*) filter (
            where not k.is_aggregate and k.contract_source = 'extracted'
        ) as n_hpc_contracts_extracted_only,
        bool_or(k.has_disagreement) as has_contract_disagreement,
        sum(k.critical_it_mw_effective order by k.contract_id) filter (
            where not k.is_aggregate
        ) as deals_critical_it_mw,
        max(k.critical_it_mw_effective) filter (where k.is_aggregate) as cumulative_critical_it_mw,
        sum(k.gross_mw_effective order by k.contract_id) filter (
            where not k.is_aggregate
        ) as deals_gross_mw,
        max(k.gross_mw_effective) filter (where k.is_aggregate) as cumulative_gross_mw,
        bool_or(
            k.mw_conversion in ('gross_from_critical_it', 'critical_it_from_gross')
        ) as has_converted_mw,
        string_agg(distinct k.source_urls, ' | ' order by k.source_urls) as contract_sources
    from grid as g
    inner join contracts as k on g.ticker = k.ticker and k.as_of_date <= g.as_of_date
    group by g.ticker, g.as_of_date
)

select
    g.ticker,
    g.as_of_date,
    r.reported_energized_mw,
    r.reported_under_construction_mw,
    r.reported_pipeline_mw,
    r.reported_total_secured_mw,
    r.reported_hpc_designated_mw,
    r.reported_latest_as_of_date,
    coalesce(r.reported_has_lower_bound, false) as reported_has_lower_bound,
    s.sites_energized_mw,
    s.sites_under_construction_mw,
    s.sites_planned_mw,
    s.sites_contracted_mw,
    coalesce(s.n_sites, 0) as n_sites,
    coalesce(s.n_aggregate_site_rows, 0) as n_aggregate_site_rows,
    coalesce(k.n_hpc_contracts, 0) as n_hpc_contracts,
    coalesce(k.n_hpc_contracts_extracted_only, 0) as n_hpc_contracts_extracted_only,
    coalesce(k.has_contract_disagreement, false) as has_contract_disagreement,
    k.deals_critical_it_mw,
    k.cumulative_critical_it_mw,
    nullif(
        greatest(coalesce(k.deals_critical_it_mw, 0), coalesce(k.cumulative_critical_it_mw, 0)), 0
    ) as hpc_contracted_mw_critical_it,
    nullif(
        greatest(coalesce(k.deals_gross_mw, 0), coalesce(k.cumulative_gross_mw, 0)), 0
    ) as hpc_contracted_mw_gross,
    coalesce(k.has_converted_mw, false) as hpc_mw_basis_converted,
    array_to_string(
        list_sort(
            list_distinct(
                string_split(
                    concat_ws(' | ', r.reported_sources, s.site_sources, k.contract_sources), ' | '
                )
            )
        ),
        ' | '
    ) as sources
from grid as g
left join reported as r on g.ticker = r.ticker and g.as_of_date = r.as_of_date
left join site_sums as s on g.ticker = s.ticker and g.as_of_date = s.as_of_date
left join contract_sums as k on g.ticker = k.ticker and g.as_of_date = k.as_of_date
