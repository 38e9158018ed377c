{#- Post-hook: log the model's row count as a structured dbt log line, so Dagster can put it on the
    materialization while dbt is still running (no second DuckDB connection after the run). -#}
{% macro log_row_count() %}
    {%- if execute and model.config.materialized in ('table', 'incremental') -%}
        {%- set result = run_query('select count(*) from ' ~ this) -%}
        {%- do log('minerpivot_row_count ' ~ this.schema ~ '.' ~ this.identifier ~ ' '
                   ~ result.columns[0].values()[0], info=True) -%}
    {%- endif -%}
{% endmacro %}
