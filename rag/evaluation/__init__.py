"""Evaluation stage: gold-set metrics, drift and the counterfactual equity check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import lazy_exports

if TYPE_CHECKING:
    from rag.evaluation.claims import score_claims as score_claims
    from rag.evaluation.equity import EquityReport as EquityReport
    from rag.evaluation.equity import run_equity as run_equity
    from rag.evaluation.evaluate import EvalReport as EvalReport
    from rag.evaluation.evaluate import compare as compare
    from rag.evaluation.evaluate import load_gold as load_gold
    from rag.evaluation.evaluate import run_evaluation as run_evaluation
    from rag.evaluation.phi import score_phi as score_phi

# Public names and their modules, imported on first use (see rag.lazy_exports).
_EXPORTS = {
    "EquityReport": "equity",
    "EvalReport": "evaluate",
    "compare": "evaluate",
    "load_gold": "evaluate",
    "run_equity": "equity",
    "run_evaluation": "evaluate",
    "score_claims": "claims",
    "score_phi": "phi",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
