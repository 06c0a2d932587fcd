"""Environment switches that keep every library offline and silent."""

from __future__ import annotations

import os

# Each variable stops one library from reaching the network or sending usage data.
OFFLINE_ENVIRONMENT: dict[str, str] = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    "TOKENIZERS_PARALLELISM": "false",
}


def enforce_offline_environment() -> None:
    """Set the offline switches in ``os.environ`` (overriding any value that re-enables them)."""
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ[key] = value
