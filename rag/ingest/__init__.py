"""Ingest stage: guideline files → parsed pages and sections → chunks in the index."""
