{#- dbt's documented hook for a test's `where` config, overridden for one marker.

    `where: "recent_days_of:<column>"` on a test of an incremental daily model: in a nightly run
    (MINERPIVOT_DBT_TEST_WINDOW_DAYS set by the dbt asset for the `nightly` job) the test reads
    only the rows whose <column> is within that many days of the model's latest <column>, the
    days a nightly run can have rewritten; older rows are unchanged since the last full build,
    which tests every row (the variable is unset there). A key test restricted this way is
    exact: a duplicate key always shares its day, so it lies inside the window. Any other
    `where` behaves as in dbt's default. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where and where.startswith('recent_days_of:') -%}
        {%- set column = where.split(':', 1)[1] -%}
        {%- set days = env_var('MINERPIVOT_DBT_TEST_WINDOW_DAYS', '') -%}
        {%- if days -%}
            {%- set where -%}
                {{ column }} >= (select max({{ column }}) from {{ relation }}) - to_days({{ days | int }})
            {%- endset -%}
        {%- else -%}
            {%- set where = none -%}
        {%- endif -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
