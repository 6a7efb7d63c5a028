"""What absences announce to the apps that act on it (the notify app tells the employee).

Absences does not import notify: notify listens (``govem.notify.absences``, connected in
its app's ``ready``), so the two apps depend one way only.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# A pending request was decided and the decision committed: ``request_id``.
request_decided = Signal()
# Clarification cases were opened: ``case_ids``; a receiver returns how many it notified.
cases_opened = Signal()


def notified(responses: list[tuple[Any, Any]]) -> int:
    """How many notices the receivers of :data:`cases_opened` queued."""
    return sum(result for _receiver, result in responses if isinstance(result, int))
