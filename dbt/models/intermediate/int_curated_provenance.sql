-- Every curated row of the tables that feed the marts, with where it comes from and whether the
-- marts use it (feeds_marts mirrors each mart's own filter). figure_date is the date the figure
-- describes: as_of_date, or the quarter end for revenue. Tested: a row that feeds the marts must
-- name a source, a source kind and a figure date (tests/assert_mart_feeding_rows_are_cited.sql).
with revenue as (
    select
        'reported_segment_revenue' as table_name,
        ticker,
        fiscal_period || ' ' || segment as row_label,
        period_end as figure_date,
        source_url,
        source_kind,
        figure_kind,
        true as feeds_marts
    from {{ ref('stg_filings__segment_revenue') }}
    where origin = 'curated'
),

capacity as (
    select
        'power_capacity' as table_name,
        ticker,
        coalesce(mw_basis, '') as row_label,
        as_of_date as figure_date,
        source_url,
        source_kind,
        figure_kind,
        as_of_date is not null and coalesce(figure_kind, '') != 'target' as feeds_marts
    from {{ ref('stg_reference__power_capacity') }}
),

sites as (
    select
        'sites' as table_name,
        ticker,
        site as row_label,
        as_of_date as figure_date,
        source_url,
        source_kind,
        figure_kind,
        as_of_date is not null and coalesce(figure_kind, '') != 'target' as feeds_marts
    from {{ ref('stg_reference__sites') }}
),

fleet as (
    select
        'fleet' as table_name,
        ticker,
        'fleet' as row_label,
        as_of_date as figure_date,
        source_url,
        source_kind,
        figure_kind,
        as_of_date is not null and coalesce(figure_kind, '') != 'target' as feeds_marts
    from {{ ref('stg_reference__fleet') }}
),

contracts as (
    select
        'hpc_contracts_curated' as table_name,
        ticker,
        coalesce(counterparty, '') as row_label,
        as_of_date as figure_date,
        source_url,
        source_kind,
        figure_kind,
        as_of_date is not null as feeds_marts
    from {{ ref('stg_reference__hpc_contracts_curated') }}
),

assumptions as (
    select
        'assumptions' as table_name,
        null as ticker,
        assumption_name as row_label,
        as_of_date as figure_date,
        source_url,
        source_kind,
        figure_kind,
        true as feeds_marts
    from {{ ref('stg_reference__assumptions') }}
),

aggregates as (
    select
        'analyst_aggregates' as table_name,
        scope as ticker,
        coalesce(analyst, '') as row_label,
        as_of_date as figure_date,
        source_url,
        source_kind,
        figure_kind,
        as_of_date is not null
        and coalesce(power_mw, hpc_suitable_mw, pipeline_mw) is not null as feeds_marts
    from {{ ref('stg_reference__analyst_aggregates') }}
)

select * from revenue
union all
select * from capacity
union all
select * from sites
union all
select * from fleet
union all
select * from contracts
union all
select * from assumptions
union all
select * from aggregates
