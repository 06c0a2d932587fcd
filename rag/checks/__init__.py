"""Checks on text: claim verification against passages, and the PHI guard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import lazy_exports

if TYPE_CHECKING:
    from rag.checks.phi import find_phi as find_phi
    from rag.checks.phi import redact as redact
    from rag.checks.phi import redact_together as redact_together
    from rag.checks.quantities import Quantity as Quantity
    from rag.checks.relevance import relevance_flags as relevance_flags
    from rag.checks.verify import Verifier as Verifier
    from rag.checks.verify import claim_records as claim_records
    from rag.checks.verify import split_claims as split_claims

# Public names and their modules, imported on first use (see rag.lazy_exports).
_EXPORTS = {
    "Quantity": "quantities",
    "Verifier": "verify",
    "claim_records": "verify",
    "find_phi": "phi",
    "redact": "phi",
    "redact_together": "phi",
    "relevance_flags": "relevance",
    "split_claims": "verify",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
