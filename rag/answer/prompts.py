"""Prompt files: one per prompt in ``prompts/``, YAML front matter declaring its variables,
a ``string.Template`` body (``${name}``), versioned by the SHA-256 of the file."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml

from rag.errors import PromptError
from rag.types import PromptInfo

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass(frozen=True)
class Prompt:
    name: str
    description: str
    variables: frozenset[str]
    template: str
    sha256: str

    @property
    def info(self) -> PromptInfo:
        return PromptInfo(self.name, self.sha256)

    def render(self, **values: str) -> str:
        given = set(values)
        if given != self.variables:
            missing = sorted(self.variables - given)
            unknown = sorted(given - self.variables)
            raise PromptError(
                f"prompt '{self.name}' rendered with missing {missing} / unknown {unknown} variables"
            )
        return Template(self.template).substitute(values)


def load_prompt(directory: Path, name: str) -> Prompt:
    path = directory / f"{name}.md"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PromptError(f"prompt file {path} cannot be read: {exc}") from exc
    text = raw.decode("utf-8")
    match = _FRONT.match(text)
    if not match:
        raise PromptError(f"prompt file {path} lacks its '---' front matter")
    try:
        header = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise PromptError(f"prompt file {path} has malformed front matter: {exc}") from exc
    declared = frozenset(header.get("variables") or [])
    # The file's final newline is not part of the prompt: a completion prompt must end
    # exactly where the model is to continue (after "Answer:").
    body = text[match.end() :].removesuffix("\n")
    template = Template(body)
    if not template.is_valid():
        raise PromptError(f"prompt file {path} has a malformed ${{...}} placeholder")
    used = frozenset(template.get_identifiers())
    if used != declared:
        raise PromptError(
            f"prompt file {path}: declared variables {sorted(declared)} but the text uses "
            f"{sorted(used)}"
        )
    if header.get("name") != name:
        raise PromptError(f"prompt file {path} must declare 'name: {name}'")
    return Prompt(
        name=name,
        description=str(header.get("description", "")),
        variables=declared,
        template=body,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def all_prompt_names(directory: Path) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.md"))
