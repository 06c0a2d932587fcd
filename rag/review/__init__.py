"""Review stage: the clinician's verification, the record store, audit trail, tumour boards, exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import lazy_exports

if TYPE_CHECKING:
    from rag.review.access import ROLES as ROLES
    from rag.review.access import User as User
    from rag.review.access import UserDirectory as UserDirectory
    from rag.review.audit import AuditCheck as AuditCheck
    from rag.review.audit import AuditEvent as AuditEvent
    from rag.review.board import BoardDraft as BoardDraft
    from rag.review.board import BoardQuestion as BoardQuestion
    from rag.review.board import CaseInput as CaseInput
    from rag.review.board import load_templates as load_templates
    from rag.review.export import Packet as Packet
    from rag.review.export import build_packet as build_packet
    from rag.review.export import render as render
    from rag.review.flags import OpenFlag as OpenFlag
    from rag.review.flags import open_flags as open_flags
    from rag.review.store import RecordStore as RecordStore

# Public names and their modules, imported on first use (see rag.lazy_exports).
_EXPORTS = {
    "AuditCheck": "audit",
    "AuditEvent": "audit",
    "BoardDraft": "board",
    "BoardQuestion": "board",
    "CaseInput": "board",
    "OpenFlag": "flags",
    "Packet": "export",
    "ROLES": "access",
    "RecordStore": "store",
    "User": "access",
    "UserDirectory": "access",
    "build_packet": "export",
    "load_templates": "board",
    "open_flags": "flags",
    "render": "export",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
