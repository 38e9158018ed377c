{#- Incremental daily models (docs/performance.md, "Nightly runs"): a nightly build recomputes
    only the days from a window start on and replaces them (delete+insert on the day column).

    daily_full_refresh(): the model's full_refresh config. None follows dbt's own flag
    (`dbt build --full-refresh`); MINERPIVOT_DBT_FULL_REFRESH=1 forces a rebuild from scratch in
    a pipeline run too (`MINERPIVOT_DBT_FULL_REFRESH=1 make run`).

    incremental_start(column, where): first day to recompute, as a SQL scalar: the latest
    `column` already in this model (among rows matching `where`) minus the lookback
    (var incremental_lookback_days, 7 days: late or revised feed rows within a week are picked
    up); 1900-01-01 when the model is empty. -#}
{% macro daily_full_refresh() -%}
    {#- `env_var is defined`: sqlfluff's plain Jinja templater has no env_var -#}
    {%- set flag = env_var('MINERPIVOT_DBT_FULL_REFRESH', '') if env_var is defined else '' -%}
    {{ return(true if flag in ('1', 'true') else none) }}
{%- endmacro %}

{% macro incremental_start(column, where=none) -%}
    (
        select
            coalesce(
                cast(max({{ column }}) - to_days({{ var('incremental_lookback_days', 7) }}) as date),
                date '1900-01-01'
            )
        from {{ this }}
        {%- if where %} where {{ where }}{% endif %}
    )
{%- endmacro %}
