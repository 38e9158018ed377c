{#- Generic test: every non-null value lies in [min_value, max_value] (bounds optional).
    Kept local instead of pulling dbt_utils: dbt deps would need network at build time. -#}
{% test in_range(model, column_name, min_value=none, max_value=none, exclusive_min=false) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} is not null
  and (
    false
    {%- if min_value is not none %}
    or {{ column_name }} {{ '<=' if exclusive_min else '<' }} {{ min_value }}
    {%- endif %}
    {%- if max_value is not none %}
    or {{ column_name }} > {{ max_value }}
    {%- endif %}
  )
{% endtest %}
