"""OncoGuide core library: offline, source-grounded answers from oncology guidelines.

Importing this package switches off every phone-home path of the libraries it drives
(Hugging Face hub, Chroma telemetry, tokenizers parallelism warnings). The package never
imports ``streamlit`` or ``app``.
"""

from rag.offline import enforce_offline_environment

enforce_offline_environment()

__version__ = "0.1.0"
