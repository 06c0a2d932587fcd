"""``oncoguide`` command line: ingest, ask, serve. A thin layer over the library."""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

from rag.checks.verify import claim_records
from rag.config import bundled_path, load_settings
from rag.db import utc_now
from rag.errors import OncoGuideError
from rag.files import read_capped, write_private
from rag.retrieval.retrieve import source_record
from rag.review.access import ROLES
from rag.types import Answer, IngestProgress, IngestReport, Retrieval, Verification, model_record

MAX_ANSWER_BYTES = 1_000_000  # an answer to check is text, not a dump


def shown(text: str) -> str:
    """A file name or reason on one terminal line: control characters (a newline in a file
    name would forge a report line, an escape would drive the terminal) written as escapes."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


# Control characters (an escape drives the terminal, a carriage return overwrites a line) and
# the bidirectional overrides that reorder what is shown.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


class _TerminalText:
    """Standard output for people and scripts: text from documents, answers and models is
    written with each control character as a ``\\uXXXX`` escape, so that none can erase a
    verdict line or hide a flag. In JSON output the escape is the JSON one, so the text
    reads back unchanged."""

    def __init__(self, stream: Any, progress: bool = False) -> None:
        self._stream = stream
        self._progress = progress  # standard error: a progress line may start with "\r"

    def write(self, text: str) -> int:
        lead = "\r" if self._progress and text.startswith("\r") else ""
        body = text[len(lead) :]
        self._stream.write(lead + _CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", body))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _progress(event: IngestProgress) -> None:
    if event.stage == "sentences":
        note = f"preparing sentence vectors for quick answers: {event.done}/{event.total}"
        if sys.stderr.isatty():
            print(f"\r{note:<90}", end="", file=sys.stderr, flush=True)
        elif event.done >= event.total:
            print(note, file=sys.stderr)
        return
    if not sys.stderr.isatty() and event.stage != "done":
        print(f"[{event.done + 1}/{event.total}] {shown(event.path)}", file=sys.stderr)
        return
    width = 30
    filled = int(width * event.done / max(event.total, 1))
    name = shown(Path(event.path).name) if event.path else "done"
    line = f"\r[{'#' * filled}{'.' * (width - filled)}] {event.done}/{event.total} {name[:50]:<50}"
    print(line, end="" if event.stage != "done" else "\n", file=sys.stderr, flush=True)


def print_report(report: IngestReport) -> None:
    for item in report.files:
        detail = f"{item.chunks} chunks" if item.status in ("added", "updated") else item.reason
        print(f"{item.status:<9} {shown(item.path)}" + (f"  ({shown(detail)})" if detail else ""))
        for warning in item.warnings:
            print(f"          warning: {shown(warning)}")
    counts = ", ".join(
        f"{status} {report.count(status)}"
        for status in ("added", "updated", "unchanged", "removed", "skipped")
    )
    for note in report.notes:
        print(f"warning: {shown(note)}")
    print(f"Summary: {counts}. Corpus snapshot {report.corpus_snapshot}.")


def sources_json(retrieval: Retrieval) -> list[dict[str, Any]]:
    return [source_record(hit, with_text=True) for hit in retrieval.hits]


def claims_json(verification: Verification | None) -> list[dict[str, Any]]:
    return claim_records(verification) if verification is not None else []


def answer_json(retrieval: Retrieval, answer: Answer | None, mode: str = "") -> dict[str, Any]:
    from rag.checks.phi import redact

    prompt = answer.consulted_prompt if answer else None
    verification = answer.verification if answer else None
    return {
        "question": retrieval.question,
        "answer": answer.text if answer else None,
        "not_found": answer.not_found if answer else retrieval.not_found,
        "not_found_reason": redact((answer.retrieval if answer else retrieval).reason),
        "sources": sources_json(retrieval),
        "mode": (answer.answer_mode or mode) if answer else mode or None,
        "shown": answer.mode if answer else None,
        # auto: what the model drafted, its model and prompt, shown or not and why
        "draft": answer.draft.record() if answer and answer.draft else None,
        "draft_rejected": list(answer.draft_rejected) if answer else [],
        "flags": [
            {"kind": f.kind, "message": f.message}
            for f in (verification.flags if verification else ())
        ],
        "claims": claims_json(verification),
        "verification_summary": verification.summary if verification else None,
        "citations": list(answer.citations) if answer else [],
        "auto_citations": list(answer.auto_citations) if answer else [],
        # the model consulted (it wrote the answer, or its draft was not shown); null: none
        "model": model_record(answer.consulted_model) if answer else None,
        "prompt_sha256": prompt.sha256 if prompt else None,
        "corpus_snapshot": retrieval.corpus_snapshot,
    }


def print_verification(verification: Verification, retrieval: Retrieval) -> None:
    print(verification.summary)
    for flag in verification.flags:
        print(f"! {flag.message}")
    for number, claim in enumerate(verification.claims, start=1):
        cited = ", ".join(f"[{n}]" for n in claim.citations) or "no citation"
        print(f"{number}. {claim.verdict.upper()} ({claim.score:.2f}, {cited}): {claim.text}")
        for flag in claim.flags:
            print(f"   ! {flag.message}")
        if claim.note:
            print(f"   ({claim.note})")
        if claim.best_source:
            hit = retrieval.hits[claim.best_source - 1]
            print(f"   best source {hit.line}")


def cmd_ingest(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant

    assistant = Assistant(load_settings())
    report = assistant.ingest([Path(p) for p in args.paths], progress=_progress)
    print_report(report)
    return 0 if report.readable else 1


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.answer.modes import GENERATED, rejection_text
    from rag.assistant import Assistant
    from rag.checks.phi import describe, find_phi, redact

    settings = load_settings()
    mode = args.mode or settings.answer_mode
    question = args.question
    identifiers = find_phi(question)
    if identifiers and args.redact:
        question = redact(question, identifiers)
        print(
            f"oncoguide: identifiers redacted ({describe(identifiers)}): {question}",
            file=sys.stderr,
        )
    elif identifiers:
        print(
            f"oncoguide: warning: the question holds patient identifiers ({describe(identifiers)})."
            " Guidelines need none; rerun with --redact to ask without them.",
            file=sys.stderr,
        )
    assistant = Assistant(settings)
    retrieval = assistant.retrieve(question, args.top_k)
    answer = None
    if not args.retrieval_only:

        def show_evidence(evidence: Answer) -> None:
            if not retrieval.not_found:  # said once below, with its reason
                print(evidence.text, flush=True)

        def show_token(token: str) -> None:
            print(token, end="", flush=True)

        quiet = args.json
        answer = assistant.answer(
            retrieval,
            mode,
            on_evidence=None if quiet else show_evidence,
            on_token=None if quiet else show_token,
        )
        if not quiet and mode == GENERATED:
            print()
        elif not quiet and answer.draft is not None:
            if answer.draft_rejected:
                print(f"\n{rejection_text(answer.draft_rejected)}")
            else:
                print(
                    f"\nThe model's draft passed every check and is shown instead:\n{answer.text}"
                )
    if args.json:
        print(json.dumps(answer_json(retrieval, answer, mode), ensure_ascii=False, indent=2))
        return 0
    reason = (answer.retrieval if answer else retrieval).reason
    if retrieval.not_found:
        print(f"Not found in the indexed guidelines ({redact(reason)}).")
    elif answer is not None and answer.not_found and reason and reason != answer.text:
        print(f"({redact(reason)})")
    elif answer is not None and answer.verification is not None:
        if mode == GENERATED:  # the streamed text had no markers OncoGuide added
            print(f"\nWith source markers: {answer.text}")
        print()
        print_verification(answer.verification, retrieval)
    print("\nSources (verify the answer against them):")
    for hit in retrieval.hits:
        print(hit.line)
    if answer is not None and not answer.not_found:
        print(
            "\nVerbatim guideline sentences chosen by OncoGuide; check them in their sources."
            if answer.mode == "evidence"
            else "\nDrafted by a language model; unverified. Check every statement against the "
            "sources."
        )
    consulted = answer.consulted_model if answer is not None else None
    if consulted and consulted.warning:
        print(f"oncoguide: model identity: {consulted.warning}", file=sys.stderr)
    return 0


# An answer to check is a clinical answer, not a document: longer text is refused with a clear
# message rather than checked for minutes.
MAX_CHECKED_CHARS = 20_000


def cmd_check(args: argparse.Namespace) -> int:
    """Verify an answer drafted elsewhere against the indexed guidelines."""
    from rag.assistant import Assistant

    try:
        text = read_capped(Path(args.answer_file), MAX_ANSWER_BYTES).decode("utf-8")
    except OSError as exc:
        print(f"oncoguide: cannot read {args.answer_file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (ValueError, UnicodeDecodeError) as exc:
        print(f"oncoguide: cannot check {args.answer_file}: {exc}", file=sys.stderr)
        return 2
    if not text.strip():
        print(f"oncoguide: {args.answer_file} holds no answer to check", file=sys.stderr)
        return 2
    from rag.checks.phi import describe, find_phi

    identifiers = find_phi(args.question) + find_phi(text)
    if identifiers:  # nothing is stored by a check; the clinician is told all the same
        print(
            f"oncoguide: warning: the question or answer holds patient identifiers "
            f"({describe(identifiers)}). Guidelines need none; nothing is stored.",
            file=sys.stderr,
        )
    if len(text) > MAX_CHECKED_CHARS:
        print(
            f"oncoguide: {args.answer_file} holds {len(text):,} characters; check takes an "
            f"answer of at most {MAX_CHECKED_CHARS:,} (split it and check each part)",
            file=sys.stderr,
        )
        return 2
    assistant = Assistant(load_settings())
    # Answers drafted elsewhere rarely carry [n] markers: an unmarked claim is judged against
    # every passage retrieved for the question and for the claim itself; a marked one must be
    # supported by the passage it cites.
    retrieval, verification = assistant.check(args.question, text, args.top_k)
    if not verification.claims:
        print(
            f"oncoguide: no statement to check was found in {args.answer_file} (a claim needs "
            "words, not only numbers or symbols); nothing was checked",
            file=sys.stderr,
        )
        return 2
    if args.json:
        data = {
            "question": retrieval.question,
            "answer": text,
            "summary": verification.summary,
            "contradicted": verification.contradicted,
            "flagged_claims": sum(bool(c.flags) for c in verification.claims),
            "claims": claims_json(verification),
            "sources": sources_json(retrieval),
            "corpus_snapshot": retrieval.corpus_snapshot,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_verification(verification, retrieval)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from rag.review.store import RecordStore

    store = RecordStore(load_settings().records_db)
    if args.audit_command == "list":
        for entry in store.audit_entries():
            print(
                f"{entry['seq']:>6} {entry['at']} {entry['action']:<8} {entry['actor']:<20} "
                f"{','.join(entry['object_ids'])}"
            )
        return 0
    if args.audit_command == "head" and args.head:
        print("oncoguide: --head goes with 'audit verify', not 'audit head'", file=sys.stderr)
        return 2
    check = store.verify_audit(args.head)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": check.ok,
                    "entries": check.entries,
                    "head": check.head,
                    "anchor": args.head,
                    "records_checked": check.records,
                    "problems": list(check.problems),
                    "notes": list(check.notes),
                },
                indent=2,
            )
        )
    elif args.audit_command == "head":
        print(check.head)
        print(
            f"{check.entries} entries at {utc_now()}. Keep this hash outside this machine; "
            "`oncoguide audit verify --head HASH` later proves nothing up to it was removed "
            "or rewritten.",
            file=sys.stderr,
        )
        if not check.ok:
            print(
                f"oncoguide: warning: the trail is already broken ({len(check.problems)} "
                "problems; run `oncoguide audit verify`)",
                file=sys.stderr,
            )
    elif check.ok:
        anchored = f"; head {args.head[:12]}… is in the chain" if args.head else ""
        print(
            f"Audit trail intact: {check.entries} entries, {check.records} saved records "
            f"match their entries{anchored}, head {check.head}."
        )
    else:
        print(f"AUDIT TRAIL BROKEN ({len(check.problems)} problems):")
        for problem in check.problems:
            print(f"  - {problem}")
    if not args.json:
        for note in check.notes:
            print(f"  note: {note}")
    return 0 if check.ok else 1


def _head_hash(value: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise argparse.ArgumentTypeError("give the full 64-character head hash")
    return value


def _eval_progress(done: int, total: int, text: str) -> None:
    _progress(IngestProgress(done, total, text, "done" if done >= total else "asking"))


def cmd_eval(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant
    from rag.evaluation.evaluate import (
        compare,
        failures_under,
        load_gold,
        parse_thresholds,
        report_markdown,
        run_evaluation,
    )
    from rag.review.store import RecordStore

    settings = load_settings()
    try:
        thresholds = parse_thresholds(args.fail_under or [])
    except ValueError as exc:
        print(f"oncoguide: {exc}", file=sys.stderr)
        return 2
    if args.markdown:  # refused now, not after a run of many minutes
        target = Path(args.markdown)
        problem = ""
        if target.is_symlink():
            problem = f"{target} is a symbolic link; nothing is written through it"
        elif target.exists() and not target.is_file():
            problem = f"{target} is not a regular file"
        elif os.path.lexists(target) and not args.overwrite:
            problem = f"{target} exists; add --overwrite to replace it"
        elif not target.parent.is_dir():
            problem = f"{target.parent} is not a folder"
        if problem:
            print(f"oncoguide: {problem}", file=sys.stderr)
            return 2
    assistant = Assistant(settings)
    progress = None if args.json else _eval_progress
    if args.counterfactual:
        return _counterfactual(assistant, args, progress)
    if not args.gold:
        print("oncoguide: eval needs GOLD.jsonl (or --counterfactual)", file=sys.stderr)
        return 2
    if assistant.chunk_count() == 0:
        print("oncoguide: the index is empty; run `oncoguide ingest PATH` first", file=sys.stderr)
        return 2
    gold_path = Path(args.gold)
    try:
        items = load_gold(gold_path)
    except (OSError, ValueError) as exc:
        print(f"oncoguide: cannot read the gold set: {exc}", file=sys.stderr)
        return 2
    report = run_evaluation(
        assistant,
        items,
        gold_path=gold_path,
        repeat=args.repeat,
        retrieval_only=args.retrieval_only,
        progress=progress,
        mode=args.mode,
    )
    store = RecordStore(settings.records_db)
    report = compare(
        report,
        store.eval_runs(report.gold_sha256, report.retrieval_only, report.mode),
        args.tolerance,
    )
    store.save_eval_run(report, pin=args.pin_baseline)
    breaches = failures_under(report.metrics, thresholds)
    if args.json:
        data = asdict(report)
        data["drift"] = [d.describe() for d in report.drift]
        data["fail_under"] = breaches
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(report_markdown(report))
        for breach in breaches:
            print(f"FAIL: {breach}")
    if args.markdown:
        write_private(
            Path(args.markdown), report_markdown(report).encode("utf-8"), overwrite=args.overwrite
        )
    return 1 if breaches else 0


def _counterfactual(assistant: Any, args: argparse.Namespace, progress: Any) -> int:
    from rag.config import bundled_path
    from rag.evaluation.equity import load_templates, run_equity

    path = (
        Path(args.gold) if args.gold else bundled_path("guideline_corpus") / "counterfactual.jsonl"
    )
    try:
        templates = load_templates(path)
    except (OSError, ValueError) as exc:
        print(f"oncoguide: cannot read the templates: {exc}", file=sys.stderr)
        return 2
    report = run_equity(assistant, templates, answers=not args.retrieval_only, progress=progress)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        return 0
    print(f"Counterfactual check: {len(templates)} templates, {len(report.results)} variants")
    for axis, stats in report.by_axis.items():
        print(f"  {axis:<10} " + ", ".join(f"{k} {v:g}" for k, v in stats.items()))
    for warning in report.warnings:
        print(f"  ! {warning}")
    return 0


def _actor(name: str | None = None) -> str:
    import getpass

    try:
        return name or getpass.getuser()
    except (KeyError, OSError):
        return "cli user"


def cmd_case(args: argparse.Namespace) -> int:
    from rag.review.board import CaseInput
    from rag.review.store import RecordStore

    store = RecordStore(load_settings().records_db)
    if args.case_command == "new":
        new = CaseInput(args.label, args.cancer_type, args.stage, args.findings, args.question)
        print(store.create_case(new, _actor()))
        return 0
    if args.case_command == "list":
        for case in store.cases(include_archived=args.all):
            print(
                f"{case.case_id}  {case.status:<8} {case.label}  "
                f"({case.cancer_type}, {case.stage or 'stage —'})"
            )
        return 0
    case = store.case(args.case_id)
    records = store.case_records(args.case_id)
    print(json.dumps(asdict(case) | {"verified_answers": len(records)}, indent=2))
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    from rag.review.audit import AuditEvent
    from rag.review.export import build_packet, render
    from rag.review.store import RecordStore

    settings = load_settings()
    store = RecordStore(settings.records_db)
    store.case(args.case_id)
    if args.board_command == "export":
        data = render(build_packet(store, args.case_id), args.format)
        out = Path(args.out or f"board_{args.case_id}.{args.format}")
        try:
            write_private(out, data, overwrite=args.overwrite)
        except FileExistsError:
            print(f"oncoguide: {out} exists; add --overwrite to replace it", file=sys.stderr)
            return 2
        store.log(AuditEvent(_actor(), "export", (args.case_id,), details={"format": args.format}))
        print(f"Wrote {out} ({len(data)} bytes)")
        return 0
    if args.board_command == "verify":
        return _board_verify(store, args)
    return _board_run(store, settings, args)


def _board_run(store: Any, settings: Any, args: argparse.Namespace) -> int:
    """Draft the question set and write a review file; never saves a record."""
    from rag.answer.modes import rejection_text
    from rag.assistant import Assistant
    from rag.review import review_file
    from rag.review.workflow import run_board

    if args.review_out and os.path.lexists(args.review_out):  # said before minutes of drafting
        print(
            f"oncoguide: {args.review_out} exists (a review file may hold marks already); "
            "name a new file",
            file=sys.stderr,
        )
        return 2
    run = run_board(
        Assistant(settings),
        store,
        args.case_id,
        _actor(),
        args.template,
        progress=_eval_progress,
        mode=args.mode,
    )
    failures = 0
    for number, draft in enumerate(run.drafts, start=1):
        print(f"\n{number}. {draft.item.question}")
        if draft.answer is None:
            failures += 1
            print(f"   FAILED: {draft.error}")
            continue
        print(f"   {draft.answer.text}")
        entry = review_file.entry(draft)
        if entry["draft_rejected"]:
            print(f"   ({rejection_text(draft.answer.draft_rejected)})")
        print(f"   [{entry['checks']}; {len(entry['open_flags'])} open flag(s)]")
        for flag in entry["open_flags"]:
            print(f"   ! {flag['id']}: {flag['message']}")
    out = (
        Path(args.review_out)
        if args.review_out
        else (settings.home / "reviews" / f"board-{args.case_id}-{run.run_id[:8]}.yaml")
    )
    review_file.write(run, out, overwrite=False)
    print(
        f"\nDrafts only: nothing was saved. Review file: {out}\n"
        "Mark the drafts you checked `verified: true`, acknowledge each open flag by id, then "
        f"run: oncoguide board verify {args.case_id} --review {out} --verified-by NAME"
    )
    return 1 if failures == len(run.drafts) else 0


def _board_verify(store: Any, args: argparse.Namespace) -> int:
    """Save only the entries a person marked verified in the review file."""
    from rag.review import review_file

    if not args.verified_by.strip():
        print("oncoguide: --verified-by needs a name", file=sys.stderr)
        return 2
    outcomes = review_file.apply(store, args.case_id, Path(args.review), args.verified_by)
    if not outcomes:
        print("No entry is marked `verified: true`: nothing saved.")
    refused = 0
    for outcome in outcomes:
        if outcome.record_id:
            print(f"saved    {outcome.item}: record {outcome.record_id[:12]}, verified by "
                  f"{args.verified_by}")  # fmt: skip
        else:
            refused += 1
            print(f"refused  {outcome.item}: {outcome.reason}", file=sys.stderr)
    return 2 if refused else 0


def cmd_users(args: argparse.Namespace) -> int:
    """Accounts for the app's optional sign-in (``sign_in = true``); every change is audited."""
    import getpass

    from rag.review.access import UserDirectory
    from rag.review.audit import AuditEvent
    from rag.review.store import RecordStore

    settings = load_settings()
    directory = UserDirectory(settings.users_file)
    if args.users_command == "list":
        for user in directory.users():
            print(f"{user.username:<20} {', '.join(user.roles):<28} {user.name}")
        if not settings.sign_in:
            print("(sign-in is off: set sign_in = true in config.toml to require it)")
        return 0
    if args.users_command == "remove":
        if not directory.remove(args.username):
            print(f"oncoguide: no account '{args.username}'", file=sys.stderr)
            return 2
        details: dict[str, Any] = {"change": "remove"}
    else:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"Password for {args.username}: ")
            if getpass.getpass("Again: ") != password:
                print("oncoguide: the passwords differ; nothing changed", file=sys.stderr)
                return 2
        roles = tuple(dict.fromkeys(args.role))
        directory.add(args.username, args.name or args.username, password, roles)
        details = {"change": "add", "roles": list(roles)}
    RecordStore(settings.records_db).log(
        AuditEvent(_actor(), "account", (args.username,), details=details)
    )
    print(f"Account {args.username}: {details['change']} done ({settings.users_file}).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant

    settings = load_settings()
    if settings.corpus_dir.is_dir():
        print(f"Indexing {settings.corpus_dir} (unchanged files are skipped)…", file=sys.stderr)
        assistant = Assistant(settings)
        try:
            print_report(assistant.ingest([settings.corpus_dir], progress=_progress))
        finally:
            assistant.close()
    app = Path(__file__).resolve().parent.parent / "app" / "main.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    # .streamlit/config.toml (theme, limits) is read from the working directory.
    cwd = bundled_path(".streamlit").parent
    print(f"OncoGuide on http://{args.address}:{args.port}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit replaces this process (same PID), so stopping `oncoguide serve` stops the app.
    os.chdir(cwd)
    os.execv(sys.executable, command)


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line too (subcommand parsers inherit this class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="oncoguide",
        description="Offline oncology guideline assistant. State lives in $ONCOGUIDE_HOME.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser(
        "ingest", help="index guideline files or folders (PDF, Markdown, text, HTML, DOCX)"
    )
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", help="ask the indexed guidelines a question")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=None, help="passages to retrieve")
    ask.add_argument("--retrieval-only", action="store_true", help="skip the language model")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--redact", action="store_true", help="replace patient identifiers before asking"
    )
    ask.add_argument(
        "--mode",
        choices=["evidence", "generated", "auto"],
        help="evidence: verbatim sentences; generated: the model's draft; auto (default "
        "setting): evidence, replaced by the draft only when it passes every check",
    )
    ask.add_argument(
        "--verbose", action="store_true", help="show model loading progress and library logs"
    )
    ask.set_defaults(func=cmd_ask)

    check = sub.add_parser("check", help="verify an answer drafted elsewhere, claim by claim")
    check.add_argument("--question", required=True)
    check.add_argument("--answer-file", required=True, help="text file holding the answer")
    check.add_argument("--top-k", type=int, default=None, help="passages to check against")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(func=cmd_check)

    evaluate = sub.add_parser("eval", help="measure retrieval and answers on a gold set")
    evaluate.add_argument(
        "gold", nargs="?", help="gold set (JSON Lines); templates with --counterfactual"
    )
    evaluate.add_argument("--json", action="store_true", help="print the whole report as JSON")
    evaluate.add_argument(
        "--repeat", type=int, default=1, help="answers per question (consistency)"
    )
    evaluate.add_argument("--retrieval-only", action="store_true", help="skip the language model")
    evaluate.add_argument(
        "--mode", choices=["evidence", "generated", "auto"], help="answer mode to evaluate"
    )
    evaluate.add_argument(
        "--fail-under", nargs="*", metavar="METRIC=VALUE", help="exit 1 when a metric misses"
    )
    evaluate.add_argument("--pin-baseline", action="store_true", help="pin this run as baseline")
    evaluate.add_argument("--tolerance", type=float, default=0.05, help="drift tolerance")
    evaluate.add_argument("--markdown", help="also write the report to this Markdown file")
    evaluate.add_argument(
        "--overwrite", action="store_true", help="replace the --markdown file if it exists"
    )
    evaluate.add_argument(
        "--counterfactual", action="store_true", help="equity check over patient-variant templates"
    )
    evaluate.set_defaults(func=cmd_eval)

    case = sub.add_parser("case", help="tumour-board cases (de-identified)")
    case_sub = case.add_subparsers(dest="case_command", required=True)
    new = case_sub.add_parser("new", help="create a case")
    new.add_argument("--label", required=True, help="de-identified label, e.g. 'Board 12 case 3'")
    new.add_argument("--cancer-type", required=True)
    new.add_argument("--stage", default="")
    new.add_argument("--findings", default="")
    new.add_argument("--question", default="", help="the question for the board")
    listing = case_sub.add_parser("list", help="list cases")
    listing.add_argument("--all", action="store_true", help="include archived cases")
    show = case_sub.add_parser("show", help="show one case")
    show.add_argument("case_id")
    case.set_defaults(func=cmd_case)

    board = sub.add_parser("board", help="run question sets and export packets for a case")
    board_sub = board.add_subparsers(dest="board_command", required=True)
    run = board_sub.add_parser("run", help="draft answers to a question set for a case")
    run.add_argument("case_id")
    run.add_argument("--template", help="question set (default: the case's cancer type)")
    run.add_argument("--review-out", help="review file to write (default: in the state directory)")
    run.add_argument(
        "--mode",
        choices=["evidence", "generated", "auto"],
        help="answer mode (default: the answer_mode setting)",
    )
    verify = board_sub.add_parser(
        "verify", help="save the drafts marked verified in a review file written by `board run`"
    )
    verify.add_argument("case_id")
    verify.add_argument("--review", required=True, help="the review file, marked up")
    verify.add_argument("--verified-by", required=True, help="your name, recorded as verifier")
    export = board_sub.add_parser("export", help="export the verified packet")
    export.add_argument("case_id")
    export.add_argument("--format", choices=["md", "pdf", "csv"], default="md")
    export.add_argument("--out", help="output file (default board_CASE.FORMAT)")
    export.add_argument(
        "--overwrite", action="store_true", help="replace the output file if it exists"
    )
    board.set_defaults(func=cmd_board)

    audit = sub.add_parser("audit", help="check, anchor or list the hash-chained audit trail")
    audit.add_argument(
        "audit_command",
        choices=["verify", "head", "list"],
        help="verify: chain and saved records; head: print the hash to keep elsewhere; list",
    )
    audit.add_argument(
        "--head",
        type=_head_hash,
        metavar="HASH",
        help="with verify: a head printed earlier by `audit head`; fail unless it is still "
        "in the chain",
    )
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(func=cmd_audit)

    users = sub.add_parser("users", help="accounts and roles for the app's optional sign-in")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create or replace an account")
    add.add_argument("username")
    add.add_argument("--name", help="full name, recorded as the verifier (default: username)")
    add.add_argument(
        "--role", action="append", required=True, choices=list(ROLES), help="repeat for several"
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    users_sub.add_parser("list", help="list accounts and their roles")
    remove = users_sub.add_parser("remove", help="delete an account")
    remove.add_argument("username")
    users.set_defaults(func=cmd_users)

    serve = sub.add_parser("serve", help="start the Streamlit app on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="127.0.0.1")
    serve.set_defaults(func=cmd_serve)
    return parser


def _quiet() -> None:
    """No third-party progress bars or info logs on the terminal (``--verbose`` keeps them)."""
    for key, value in (
        ("TQDM_DISABLE", "1"),
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
        ("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1"),
    ):
        os.environ.setdefault(key, value)
    import logging

    for name in ("sentence_transformers", "transformers", "chromadb", "httpx", "pypdf"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _verbose() -> None:
    """Library logs, llama.cpp's included, on stderr."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    logging.getLogger("oncoguide.llama_cpp").setLevel(logging.DEBUG)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "verbose", False):
        _verbose()
    else:
        _quiet()
    if getattr(args, "top_k", None) is not None and args.top_k < 1:
        print("oncoguide: --top-k must be at least 1", file=sys.stderr)
        return 2
    if getattr(args, "repeat", 1) < 1:
        print("oncoguide: --repeat must be at least 1", file=sys.stderr)
        return 2
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = _TerminalText(stdout)
    # messages name files and quote documents: a file name can hold an escape sequence too
    sys.stderr = _TerminalText(stderr, progress=True)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("oncoguide: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("ONCOGUIDE_DEBUG") and not isinstance(exc, OncoGuideError):
            raise
        print(f"oncoguide: {error_line(exc)}", file=sys.stderr)
        return 2
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def error_line(exc: BaseException) -> str:
    """One line for the person at the terminal: what failed, and on which file."""
    if isinstance(exc, OncoGuideError):
        message = str(exc)
    elif isinstance(exc, OSError):
        what = exc.strerror or str(exc)
        names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
        message = f"{what}: {' -> '.join(names)}" if names else what
    elif isinstance(exc, sqlite3.Error):
        message = f"database error ({exc})"
    else:
        message = (
            f"unexpected error ({type(exc).__name__}: {exc}); "
            "set ONCOGUIDE_DEBUG=1 to see the traceback"
        )
    return " ".join(message.split())


if __name__ == "__main__":
    raise SystemExit(main())
