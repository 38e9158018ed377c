"""Weights of the learned fact scorer (written by ``python -m
dagster_project.extraction.fit_scorer --write``; do not edit by hand).

Fitted on dev_fit: 77 documents, 232 candidates (20 wrong);
lambda 0.3, threshold by 5-fold CV over documents (seed 20261130): CV F1 0.8778.
"""

WEIGHTS: dict[str, float] = {
    "type_hpc_contract": -1.633752,
    "type_financing": -0.885376,
    "type_acquisition": -0.957123,
    "type_gpu_purchase": 2.455205,
    "type_capex_per_mw": 3.345334,
    "type_power_capacity": 1.017713,
    "numbers": 0.865189,
    "counterparty": 1.870927,
    "status": 1.142369,
    "option": -0.121773,
    "total": 3.930311,
    "company_inferred": -2.157212,
    "company_none": 0.0,
    "headline": -0.630366,
    "sentence_log": -0.576677,
    "merges_log": 0.484221,
    "carried": 2.997503,
    "side_type": 2.67421,
    "miners_in_sentence": -0.307285,
    "same_type_log": 0.384992,
    "doc_facts_log": 0.372516,
    "release": 0.44214,
    "rule_confidence": -10.433187,
    "shares_figure": -1.853782,
    "shares_money": 0.0,
}
BIAS = 8.857049
THRESHOLD = 0.0
