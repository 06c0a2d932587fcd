"""Loaded by subprocesses started from the tests (PYTHONPATH): installs the network guard."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import netguard  # noqa: E402

netguard.install()
