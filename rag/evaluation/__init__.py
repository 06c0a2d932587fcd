"""Evaluation stage: gold-set metrics, drift and the counterfactual equity check."""
