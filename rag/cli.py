"""``oncoguide`` command line: ingest, ask, serve. A thin layer over the library."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rag.checks.verify import Verification, claim_records
from rag.config import bundled_path, load_settings
from rag.errors import OncoGuideError
from rag.retrieval.retrieve import source_record
from rag.review.access import ROLES
from rag.review.store import flag_key
from rag.types import Answer, IngestProgress, IngestReport, Retrieval


def _progress(event: IngestProgress) -> None:
    if not sys.stderr.isatty() and event.stage != "done":
        print(f"[{event.done + 1}/{event.total}] {event.path}", file=sys.stderr)
        return
    width = 30
    filled = int(width * event.done / max(event.total, 1))
    name = Path(event.path).name if event.path else "done"
    line = f"\r[{'#' * filled}{'.' * (width - filled)}] {event.done}/{event.total} {name[:50]:<50}"
    print(line, end="" if event.stage != "done" else "\n", file=sys.stderr, flush=True)


def print_report(report: IngestReport) -> None:
    for item in report.files:
        detail = f"{item.chunks} chunks" if item.status in ("added", "updated") else item.reason
        print(f"{item.status:<9} {item.path}" + (f"  ({detail})" if detail else ""))
        for warning in item.warnings:
            print(f"          warning: {warning}")
    counts = ", ".join(
        f"{status} {report.count(status)}"
        for status in ("added", "updated", "unchanged", "removed", "skipped")
    )
    print(f"Summary: {counts}. Corpus snapshot {report.corpus_snapshot}.")


def sources_json(retrieval: Retrieval) -> list[dict[str, Any]]:
    return [source_record(hit, with_text=True) for hit in retrieval.hits]


def claims_json(verification: Verification | None) -> list[dict[str, Any]]:
    return claim_records(verification) if verification is not None else []


def answer_json(retrieval: Retrieval, answer: Answer | None) -> dict[str, Any]:
    model = answer.model if answer else None
    verification = answer.verification if answer else None
    return {
        "question": retrieval.question,
        "answer": answer.text if answer else None,
        "not_found": answer.not_found if answer else retrieval.not_found,
        "not_found_reason": retrieval.reason,
        "sources": sources_json(retrieval),
        "mode": answer.mode if answer else None,
        "claims": claims_json(verification),
        "verification_summary": verification.summary if verification else None,
        "citations": list(answer.citations) if answer else [],
        "auto_citations": list(answer.auto_citations) if answer else [],
        "model": {"name": model.name, "sha256": model.sha256, "warning": model.warning or None}
        if model
        else None,
        "prompt_sha256": answer.prompt.sha256 if answer and answer.prompt else None,
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
        if claim.best_source:
            hit = retrieval.hits[claim.best_source - 1]
            print(
                f"   best source [{claim.best_source}] {hit.chunk.title} · {hit.chunk.section_label}"
            )


def cmd_ingest(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant

    assistant = Assistant(load_settings())
    report = assistant.ingest([Path(p) for p in args.paths], progress=_progress)
    print_report(report)
    return 0 if report.readable else 1


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant

    assistant = Assistant(load_settings())
    retrieval = assistant.retrieve(args.question, args.top_k)
    answer = None
    if not args.retrieval_only:
        draft = assistant.draft(retrieval)
        if not args.json:
            for token in draft:
                print(token, end="", flush=True)
            print()
        answer = draft.finish()
    if args.json:
        print(json.dumps(answer_json(retrieval, answer), ensure_ascii=False, indent=2))
        return 0
    if retrieval.not_found:
        print(f"Not found in the indexed guidelines ({retrieval.reason}).")
    elif answer is not None and answer.verification is not None:
        print(f"\nWith source markers: {answer.text}\n")
        print_verification(answer.verification, retrieval)
    print("\nSources (verify the answer against them):")
    for hit in retrieval.hits:
        page = f" · p. {hit.chunk.page}" if hit.chunk.page else ""
        if hit.chunk.ocr_confidence is not None:
            page += f" · OCR text, confidence {hit.chunk.ocr_confidence:.0f} %"
        print(f"[{hit.rank}] {hit.chunk.title} · {hit.chunk.section_label}{page}")
    if answer is not None:
        print(
            "\nDrafted by a language model; unverified. Check every statement against the sources."
        )
        if answer.model and answer.model.warning:
            print(f"oncoguide: model identity: {answer.model.warning}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Verify an answer drafted elsewhere against the indexed guidelines."""
    from rag.assistant import Assistant

    try:
        text = Path(args.answer_file).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"oncoguide: cannot read {args.answer_file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    assistant = Assistant(load_settings())
    retrieval = assistant.retrieve(args.question, args.top_k)
    verification = assistant.verify(text, retrieval)
    if args.json:
        data = {
            "question": retrieval.question,
            "answer": text,
            "summary": verification.summary,
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
    check = store.verify_audit()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": check.ok,
                    "entries": check.entries,
                    "head": check.head,
                    "problems": list(check.problems),
                },
                indent=2,
            )
        )
    elif check.ok:
        print(f"Audit trail intact: {check.entries} entries, head {check.head}.")
    else:
        print(f"AUDIT TRAIL BROKEN ({len(check.problems)} problems):")
        for problem in check.problems:
            print(f"  - {problem}")
    return 0 if check.ok else 1


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
    )
    store = RecordStore(settings.records_db)
    report = compare(
        report, store.eval_runs(report.gold_sha256, report.retrieval_only), args.tolerance
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
        Path(args.markdown).write_text(report_markdown(report), encoding="utf-8")
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
                f"{case['case_id']}  {case['status']:<8} {case['label']}  "
                f"({case['cancer_type']}, {case['stage'] or 'stage —'})"
            )
        return 0
    case = store.case(args.case_id)
    records = store.case_records(args.case_id)
    print(json.dumps({**case, "verified_answers": len(records)}, indent=2))
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    from rag.assistant import Assistant
    from rag.review.audit import AuditEvent
    from rag.review.board import CaseInput, fill, load_templates, run_batch, template_for
    from rag.review.export import build_packet, render
    from rag.review.store import RecordStore
    from rag.types import Review

    settings = load_settings()
    store = RecordStore(settings.records_db)
    case = store.case(args.case_id)
    if args.board_command == "export":
        data = render(build_packet(store, args.case_id), args.format)
        out = Path(args.out or f"board_{args.case_id}.{args.format}")
        out.write_bytes(data)
        store.log(AuditEvent(_actor(), "export", (args.case_id,), details={"format": args.format}))
        print(f"Wrote {out} ({len(data)} bytes)")
        return 0
    templates = load_templates()
    name = args.template or template_for(case["cancer_type"], templates)
    case_input = CaseInput(**{k: case[k] for k in CaseInput.__dataclass_fields__})
    questions = fill(name, case_input, templates)
    drafts = run_batch(Assistant(settings), questions, progress=_eval_progress)
    failures = 0
    for number, draft in enumerate(drafts, start=1):
        print(f"\n{number}. {draft.item.question}")
        if draft.answer is None:
            failures += 1
            print(f"   FAILED: {draft.error}")
            continue
        verification = draft.answer.verification
        print(f"   {draft.answer.text}")
        if verification is not None:
            print(f"   [{verification.summary}; {len(verification.open_flags)} open flag(s)]")
        if args.verified_by:
            keys = tuple(
                flag_key(n, f) for n, f in (verification.open_flags if verification else [])
            )
            record_id = store.save_verified(
                draft.answer,
                Review(
                    True,
                    args.verified_by,
                    draft.answer.text,
                    note="verified from the CLI",
                    acknowledged=keys,
                ),
                verification,
                case_id=args.case_id,
                board_item=f"{draft.item.template}/{draft.item.item}",
            )
            print(f"   saved as verified by {args.verified_by}: {record_id[:12]}")
    if not args.verified_by:
        print(
            "\nDrafts only: nothing was saved. Verify them in the app, or pass --verified-by NAME."
        )
    return 1 if failures == len(drafts) else 0


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
        report = Assistant(settings).ingest([settings.corpus_dir], progress=_progress)
        print_report(report)
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
    return subprocess.call(command, cwd=cwd, env=os.environ.copy())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        "--fail-under", nargs="*", metavar="METRIC=VALUE", help="exit 1 when a metric misses"
    )
    evaluate.add_argument("--pin-baseline", action="store_true", help="pin this run as baseline")
    evaluate.add_argument("--tolerance", type=float, default=0.05, help="drift tolerance")
    evaluate.add_argument("--markdown", help="also write the report to this Markdown file")
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
    run.add_argument(
        "--verified-by",
        help="save every draft as verified by NAME (audited; use only after reading them)",
    )
    export = board_sub.add_parser("export", help="export the verified packet")
    export.add_argument("case_id")
    export.add_argument("--format", choices=["md", "pdf", "csv"], default="md")
    export.add_argument("--out", help="output file (default board_CASE.FORMAT)")
    board.set_defaults(func=cmd_board)

    audit = sub.add_parser("audit", help="check or list the hash-chained audit trail")
    audit.add_argument("audit_command", choices=["verify", "list"])
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "top_k", None) is not None and args.top_k < 1:
        print("oncoguide: --top-k must be at least 1", file=sys.stderr)
        return 2
    if getattr(args, "repeat", 1) < 1:
        print("oncoguide: --repeat must be at least 1", file=sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except OncoGuideError as exc:
        print(f"oncoguide: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
