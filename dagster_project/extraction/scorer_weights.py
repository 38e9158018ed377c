"""Weights of the learned fact scorer (written by ``python -m
dagster_project.extraction.fit_scorer --write``; do not edit by hand).

Fitted on dev_fit: 77 documents, 233 candidates (20 wrong);
lambda 0.3, threshold by 5-fold CV over documents (seed 20261130): CV F1 0.8802.
"""

WEIGHTS: dict[str, float] = {
    "type_hpc_contract": -1.644988,
    "type_financing": -0.915534,
    "type_acquisition": -0.961418,
    "type_gpu_purchase": 2.452828,
    "type_capex_per_mw": 3.337251,
    "type_power_capacity": 1.024823,
    "numbers": 0.850029,
    "counterparty": 1.865853,
    "status": 1.199437,
    "option": -0.166904,
    "total": 3.936614,
    "company_inferred": -2.177413,
    "company_none": 0.0,
    "headline": -0.62825,
    "sentence_log": -0.579634,
    "merges_log": 0.458994,
    "carried": 2.983099,
    "side_type": 2.662339,
    "miners_in_sentence": -0.316306,
    "same_type_log": 0.365757,
    "doc_facts_log": 0.410094,
    "release": 0.456891,
    "rule_confidence": -10.385588,
    "shares_figure": -1.854083,
    "shares_money": 0.0,
}
BIAS = 8.806361
THRESHOLD = 0.0
