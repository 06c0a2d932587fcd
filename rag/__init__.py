"""OncoGuide core library: offline, source-grounded answers from oncology guidelines.

Importing this package switches off every phone-home path of the libraries it drives
(Hugging Face hub, Chroma telemetry, tokenizers parallelism warnings). The package never
imports ``streamlit`` or ``app``.
"""

import importlib
import sys
from collections.abc import Callable
from typing import Any

from rag.offline import enforce_offline_environment

enforce_offline_environment()

__version__ = "0.1.0"


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A stage folder's module ``__getattr__`` (PEP 562): ``rag.retrieval.GuidelineIndex``
    imports ``rag.retrieval.index`` on first use only, so importing a stage for one light name
    never loads the embedder, Chroma or a language model. ``exports`` maps each public name to
    its module inside ``package``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
