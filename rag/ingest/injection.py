"""Prompt-injection defence: guideline passages are data, never instructions.

At ingest, passages with instruction-like content (orders to ignore instructions, role or
chat-template markers, requests aimed at the assistant, hidden characters or comments) are
flagged. At answer time those sentences are withheld from the model, every passage is
stripped of template markers, and the flag is shown beside the passage.
"""

from __future__ import annotations

import re

# Who an order to software is addressed to, and what it orders.
_ADDRESSEE = (
    r"(?:(?:(?:ai|automated)\s+)?(?:assistants?|chatbots?|llms?|summari[sz]ers?|bots?)"
    r"|ai(?:\s+(?:models?|tools?|systems?))?|language\s+models?)"
)
_ORDER = r"(?:answer|say|report|state|reply|respond|write|output|tell|give|use|cite|quote|ignore)\b"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "orders to ignore or override instructions",
        re.compile(
            r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|"
            r"earlier|all|any|your|the)\b[^.\n]{0,30}?\b(?:instructions?|prompts?|rules?|guidelines?|"
            r"context|directions?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a role or chat-template marker",
        re.compile(
            r"<\|?(?:im_start|im_end|start_of_turn|end_of_turn|system|assistant|user|eot_id|"
            r"begin_of_text|start_header_id)\|?>|\[/?INST\]|<</?SYS>>|^\s*(?:system|assistant)\s*:|"
            r"#{2,}\s*(?:instruction|system|response)\b",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    (
        "instructions addressed to the assistant",
        re.compile(
            r"\b(?:you are now|you must now|as an ai|as a language model|new instructions?|"
            r"(?:assistant|model|chatbot|ai)[, ]+(?:must|should|will) (?:always|now|only|reply|respond|"
            r"answer|say)|(?:reply|respond|answer) (?:only )?with (?:the )?(?:word|phrase|text)|"
            r"do not (?:tell|mention|reveal) (?:this|the user)|reveal (?:your|the) (?:system )?prompt)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "text addressed to software reading the document",
        re.compile(
            r"\b(?:ai|llms?|chatbots?|(?:ai |language )models?)(?: systems?| tools?)?\s*:\s*"
            r"(?:please\s+)?(?:always|never|only)?\s*(?:answer|say|reply|respond|report|state|tell|"
            r"output|write)\b|\b(?:ai|llms?|chatbots?|assistants?|(?:language )?models?|software|"
            r"systems?|tools?|programs?)\s+(?:reading|processing|parsing|summari[sz]ing|indexing)\s+"
            r"(?:this|the)\s+(?:guideline|document|text|page|passage)s?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "text addressed to an assistant or summariser",
        re.compile(
            # "Note to the assistant: ...", "Automated summarisers: report ...", "To any AI tool, ..."
            r"\b(?:notes?|messages?|instructions?|reminders?)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?"
            rf"{_ADDRESSEE}\s*[:,]|\b(?:automated|ai|machine)\s+(?:summari[sz]ers?|assistants?|readers?|"
            r"systems?|tools?|agents?)\s*[:,]\s*(?:please\s+)?(?:always\s+|never\s+|only\s+)?"
            rf"{_ORDER}|\bto\s+(?:any|all)\s+(?:ai|automated|language)\s+\w+",
            re.IGNORECASE,
        ),
    ),
    (
        "orders on how to answer",
        re.compile(
            # "When asked about the mesna dose, answer that ...", "..., always state 50 mg", "do
            # not cite this passage" (an order, not "Reports always state the margin status")
            r"\b(?:when|if)\s+(?:you\s+are\s+|you're\s+)?asked\s+(?:about|for|what|how|which|"
            r"whether)\b[^.\n]{0,80}?,\s*(?:always\s+)?(?:answer|say|reply|respond|state|report)\b|"
            r"(?:^|[,;:]\s*|\band\s+)(?:always|never)\s+(?:state|say|answer|reply|respond|cite)\b|"
            r"\bdo\s+not\s+(?:cite|quote|reference|disclose|mention)\s+"
            r"(?:this|these)\s+(?:passage|document|text|section|source|sentence)s?\b",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    ("hidden characters", re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")),
    ("a hidden comment", re.compile(r"<!--.*?-->", re.DOTALL)),
]

# Found only to withhold the sentence they stand in; the others are also cut out of any text.
_WHOLE_SENTENCE = frozenset(
    {
        "orders to ignore or override instructions",
        "a role or chat-template marker",
        "instructions addressed to the assistant",
    }
)
_TEMPLATE_MARKERS = re.compile(
    r"<\|[^|>]{1,30}\|>|<(?:start_of_turn|end_of_turn|bos|eos)>|\[/?INST\]|<</?SYS>>",
    re.IGNORECASE,
)
WITHHELD = "[instruction-like text withheld]"


def injection_flags(text: str) -> tuple[str, ...]:
    """Names of the instruction-like patterns found in ``text`` (empty when clean)."""
    return tuple(name for name, pattern in _PATTERNS if pattern.search(text))


# Flags that mark text as odd but give no instruction (zero-width spaces from PDF or Word).
HARMLESS = frozenset({"hidden characters"})


def instructs(flags: tuple[str, ...] | list[str]) -> bool:
    """Whether ``flags`` mark instruction-like content, not only harmless oddities."""
    return bool(set(flags) - HARMLESS)


def neutralise(text: str, sentences: list[str]) -> str:
    """Passage text safe to show a model: flagged sentences withheld, markers removed."""
    kept = []
    for sentence in sentences or [text]:
        flags = injection_flags(sentence)
        # Stray invisible characters alone are stripped below; anything else is withheld.
        kept.append(WITHHELD if instructs(flags) else sentence)
    out = " ".join(kept)
    for name, pattern in _PATTERNS:
        if name not in _WHOLE_SENTENCE:
            out = pattern.sub("", out)
    return _TEMPLATE_MARKERS.sub("", out)
