"""Status transitions of long-running resources (endpoints: Creating -> InService, Updating -> InService, Deleting;
jobs: InProgress through their secondary statuses to Completed).

A transition (``begin``: target status, due time, the fields that change when it completes; kept under
``_Transition``), or a timeline of several (``schedule``, under ``_Timeline``), is stored in the resource's
document and applied lazily by whoever reads the resource after the due time. So it needs no timer, survives
restarts, and a transition that fell due while the server was down completes on the next read.
"""

from __future__ import annotations

import os
from typing import Any, Optional

#: Environment variable with the transition delay in seconds (float); tests set it low.
DELAY_ENV = "SAGEMAKER_STUDIO_LOCAL_DELAY"
#: Default delay: long enough for a panel to show the intermediate status, short enough not to annoy.
DEFAULT_DELAY = 8.0
_KEY = "_Transition"
_TIMELINE = "_Timeline"


def delay() -> float:
    """Seconds a transition takes (``SAGEMAKER_STUDIO_LOCAL_DELAY``, else 8)."""
    raw = os.environ.get(DELAY_ENV)
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            pass
    return DEFAULT_DELAY


def begin(
    doc: dict[str, Any],
    status_member: str,
    status: str,
    now: float,
    then: Optional[str],
    changes: Optional[dict[str, Any]] = None,
) -> None:
    """Put ``doc`` into ``status`` now, and schedule ``then`` (None: the resource disappears) with ``changes``."""
    doc[status_member] = status
    doc["LastModifiedTime"] = now
    doc.pop(_TIMELINE, None)
    doc[_KEY] = {
        "StatusMember": status_member,
        "To": then,
        "Due": round(now + delay(), 3),
        "Changes": changes or {},
    }


def in_transition(doc: dict[str, Any]) -> bool:
    """Whether a transition is still pending on ``doc``."""
    return _KEY in doc or _TIMELINE in doc


def schedule(doc: dict[str, Any], now: float, stages: list[tuple[float, dict[str, Any]]]) -> None:
    """Plan ``stages`` (seconds from ``now``, changes applied then; a None value removes the member), replacing
    any plan ``doc`` had. Each stage's changes are complete values, so applying stages never needs the clock."""
    doc.pop(_KEY, None)
    doc[_TIMELINE] = [{"Due": round(now + offset, 3), "Changes": changes} for offset, changes in stages]


def planned(doc: dict[str, Any]) -> list[tuple[float, dict[str, Any]]]:
    """The stages still planned for ``doc``: ``(due time, changes)``, in order (empty when none)."""
    return [(stage["Due"], stage["Changes"]) for stage in doc.get(_TIMELINE, [])]


def due(doc: dict[str, Any], now: float) -> bool:
    """Whether a transition or a timeline stage of ``doc`` is due."""
    pending = doc.get(_KEY)
    timeline = doc.get(_TIMELINE)
    return (pending is not None and now >= pending["Due"]) or bool(timeline and now >= timeline[0]["Due"])


def settle_all(doc: dict[str, Any], now: float) -> tuple[bool, Optional[dict[str, Any]]]:
    """Apply every due timeline stage (in order) and a due transition: ``(changed, doc)``; None once gone."""
    timeline = doc.get(_TIMELINE)
    changed = False
    if timeline:
        doc = dict(doc)
        remaining = []
        for stage in timeline:
            if now < stage["Due"]:
                remaining.append(stage)
                continue
            changed = True
            for name, value in stage["Changes"].items():
                if value is None:
                    doc.pop(name, None)
                else:
                    doc[name] = value
            doc["LastModifiedTime"] = stage["Due"]
        if remaining:
            doc[_TIMELINE] = remaining
        else:
            doc.pop(_TIMELINE)
    moved, settled = settle(doc, now)
    return changed or moved, settled


def settle(doc: dict[str, Any], now: float) -> tuple[bool, Optional[dict[str, Any]]]:
    """Apply a due transition: ``(changed, doc)``, where ``doc`` is None once the resource is gone."""
    pending = doc.get(_KEY)
    if pending is None or now < pending["Due"]:
        return False, doc
    if pending["To"] is None:
        return True, None
    settled = {k: v for k, v in doc.items() if k != _KEY}
    for name, value in pending["Changes"].items():
        if value is None:
            settled.pop(name, None)
        else:
            settled[name] = value
    settled[pending["StatusMember"]] = pending["To"]
    settled["LastModifiedTime"] = pending["Due"]
    return True, settled
