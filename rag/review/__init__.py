"""Review stage: the clinician's verification, the record store, audit trail, tumour boards, exports."""
