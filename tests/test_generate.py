"""Prompts and generation: prompt files, the real bundled model, citations, model identity."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from conftest import PROJECT
from fakes import ScriptedModel

from rag.answer.generate import build_request, focus_passage, link_citations
from rag.answer.prompts import all_prompt_names, load_prompt
from rag.assistant import Assistant
from rag.config import load_settings
from rag.errors import PromptError

PROMPTS = PROJECT / "prompts"


def test_every_prompt_file_loads_with_declared_variables() -> None:
    names = all_prompt_names(PROMPTS)
    assert {"answer_completion", "answer_chat", "answer_system"} <= set(names)
    for name in names:
        prompt = load_prompt(PROMPTS, name)
        assert prompt.sha256 == hashlib.sha256((PROMPTS / f"{name}.md").read_bytes()).hexdigest()
        values = {v: f"<{v}>" for v in prompt.variables}
        rendered = prompt.render(**values)
        assert all(f"<{v}>" in rendered for v in prompt.variables)


def test_prompt_render_rejects_missing_and_unknown_variables() -> None:
    prompt = load_prompt(PROMPTS, "answer_completion")
    with pytest.raises(PromptError, match="missing"):
        prompt.render(question="q")
    with pytest.raises(PromptError, match="unknown"):
        prompt.render(question="q", passages="p", patient="x")


def test_prompt_file_with_undeclared_variable_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(
        "---\nname: bad\nvariables: [question]\n---\n${question} ${extra}\n"
    )
    with pytest.raises(PromptError, match="declared variables"):
        load_prompt(tmp_path, "bad")


def test_completion_prompt_fences_passages_and_ends_at_answer(corpus_home: Path) -> None:
    settings = load_settings()
    retrieval = Assistant(settings).retrieve("pegfilgrastim dose")
    request, info = build_request(settings, retrieval.question, retrieval.hits, "completion")
    assert request.completion.endswith("Question: pegfilgrastim dose\nAnswer:")
    assert "[1] Myeloid Growth Factors (G-CSF), Dosing and timing:" in request.completion
    assert info.name == "answer_completion"
    chat, chat_info = build_request(settings, retrieval.question, retrieval.hits, "chat")
    assert [m["role"] for m in chat.messages] == ["system", "user"]
    assert chat_info.sha256 != info.sha256


def test_focus_passage_keeps_the_matching_sentence() -> None:
    text = (
        "Intro sentence about nothing in particular. " * 10
    ) + "Pegfilgrastim 6 mg once per cycle."
    focused = focus_passage(text, "pegfilgrastim dose", 120)
    assert "Pegfilgrastim 6 mg once per cycle." in focused
    assert len(focused) <= 120


@pytest.mark.slow
def test_real_generation_with_bundled_model(corpus_home: Path) -> None:
    assistant = Assistant(load_settings())
    retrieval = assistant.retrieve("What is the pegfilgrastim dose and when is it given?")
    draft = assistant.draft(retrieval)
    tokens = list(draft)
    answer = draft.finish()
    assert len(tokens) > 1  # streamed, not one block
    assert answer.text and not answer.not_found
    assert answer.model.sha256 == (
        "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
    )
    assert answer.model.mode == "completion"  # base model: no chat template in the GGUF
    assert answer.prompt.name == "answer_completion"
    assert all(1 <= n <= len(answer.hits) for n in answer.citations)
    assert answer.settings["model_path"] == "bundled"


@pytest.mark.slow
def test_concurrent_generations_share_one_model(corpus_home: Path) -> None:
    assistants = [Assistant(load_settings()) for _ in range(2)]
    question = "How often should colonoscopy be repeated?"
    results: list[str] = []

    def run(helper: Assistant) -> None:
        results.append(helper.ask(question, mode="generated").text)

    threads = [threading.Thread(target=run, args=(a,)) for a in assistants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert assistants[0].model._llm is assistants[1].model._llm  # loaded once per process
    assert len(results) == 2 and results[0] == results[1]  # greedy decoding, no interleaving


def test_scripted_model_path_and_citation_checks(corpus_home: Path) -> None:
    assistant = Assistant(load_settings(llm_backend="scripted", answer_mode="generated"))
    ScriptedModel.reply = "Pegfilgrastim 6 mg is given once per cycle [1]. Something else [9]."
    answer = assistant.ask("What is the pegfilgrastim dose?")
    assert answer.model.name == "scripted"
    assert answer.citations == (1,)
    assert answer.invalid_citations == (9,)
    assert "Pegfilgrastim" in ScriptedModel.requests[-1].completion


def test_uncited_sentences_get_marked_as_added_by_oncoguide(corpus_home: Path) -> None:
    retrieval = Assistant(load_settings()).retrieve("pegfilgrastim dose")
    text, added = link_citations(
        "Pegfilgrastim is given 6 mg subcutaneously once per chemotherapy cycle.", retrieval.hits
    )
    assert text.endswith("[1].") and added == (1,)
    unrelated, none_added = link_citations("Zebras graze quietly.", retrieval.hits)
    assert unrelated == "Zebras graze quietly." and none_added == ()


@pytest.mark.slow
def test_patient_summary_draft_with_bundled_model(corpus_home: Path) -> None:
    draft = Assistant(load_settings()).patient_summary(
        "Pegfilgrastim 6 mg is given once per chemotherapy cycle, 24 to 72 hours after chemotherapy [1]."
    )
    assert draft.text and "\n" not in draft.text
    assert draft.prompt.name == "patient_summary"
    assert draft.model.sha256 == "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"


@pytest.mark.slow
def test_chat_prompt_format_through_llama_cpp(corpus_home: Path) -> None:
    """The chat path (used automatically for GGUFs that carry a chat template)."""
    assistant = Assistant(load_settings(prompt_format="chat"))
    answer = assistant.ask("What is the pegfilgrastim dose and when is it given?", mode="generated")
    assert answer.model.mode == "chat"
    assert answer.prompt.name == "answer_chat"
    assert answer.text and answer.verification is not None


@pytest.mark.slow
def test_a_waiting_request_hears_its_queue_position(corpus_home: Path) -> None:
    """While one session holds the shared model, another's draft waits its turn and is told
    how many requests are ahead (the Ask page shows it)."""
    first, second = Assistant(load_settings()), Assistant(load_settings())
    model = first.model
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with model._queue.turn():
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    positions: list[int] = []

    def heard(ahead: int) -> None:
        positions.append(ahead)
        release.set()  # let the holder go once the waiter has been told

    draft = second.draft(second.retrieve("How often should colonoscopy be repeated?"), heard)
    answer = draft.finish()
    holder.join(10)
    assert positions == [1]
    assert answer.text and second.model.queue_length == 0
