{#- Rates of a contract from its total value, term and effective MW on both bases; one
    definition for curated and press-extracted contracts. -#}
{% macro contract_rates(
    value='contract_value_usd',
    term='term_years',
    critical_it_mw='critical_it_mw_effective',
    gross_mw='gross_mw_effective'
) -%}
    {{ value }} / {{ term }} as annual_contract_value_usd,
    {{ value }} / ({{ term }} * {{ critical_it_mw }}) as usd_per_mw_year_critical_it,
    {{ value }} / ({{ term }} * {{ gross_mw }}) as usd_per_mw_year_gross
{%- endmacro %}
