"""Checks on text: claim verification against passages, and the PHI guard."""
