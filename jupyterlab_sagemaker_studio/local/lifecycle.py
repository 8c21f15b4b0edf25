"""Status transitions of long-running resources (endpoints: Creating -> InService, Updating -> InService, Deleting).

A transition is stored in the resource's document (``_Transition``: target status, due time, the fields that
change when it completes), and applied lazily by whoever reads the resource after the due time. So it needs no
timer, survives restarts, and a transition that fell due while the server was down completes on the next read.
"""

from __future__ import annotations

import os
from typing import Any, Optional

#: Environment variable with the transition delay in seconds (float); tests set it low.
DELAY_ENV = "SAGEMAKER_STUDIO_LOCAL_DELAY"
#: Default delay: long enough for a panel to show the intermediate status, short enough not to annoy.
DEFAULT_DELAY = 8.0
_KEY = "_Transition"


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
    doc[_KEY] = {
        "StatusMember": status_member,
        "To": then,
        "Due": round(now + delay(), 3),
        "Changes": changes or {},
    }


def in_transition(doc: dict[str, Any]) -> bool:
    """Whether a transition is still pending on ``doc``."""
    return _KEY in doc


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
