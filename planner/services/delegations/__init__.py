"""Delegations and delegates: quotas, nominations, confirmations, substitutions.

The quota is enforced by the database: a delegation's ``confirmed_count`` only rises
through a conditional UPDATE (``… WHERE confirmed_count < quota``) and a CHECK constraint
refuses anything above the quota, so two chapter heads confirming at the same moment
cannot both take the last place.

One module per job: :mod:`.editing` (delegations), :mod:`.delegates` and
:mod:`.summaries`. Every public name is importable here.
"""

from planner.services.delegations.delegates import (
    AlreadyInEvent,
    QuotaFull,
    confirm_delegate,
    mark_attended,
    nominate_delegate,
    substitute_delegate,
    undo_attendance,
    withdraw_delegate,
)
from planner.services.delegations.editing import (
    create_delegation,
    create_delegations_for_regions,
    deadline_passed,
    delete_delegation,
    update_delegation,
)
from planner.services.delegations.summaries import (
    DelegationCounts,
    EventAllocation,
    delegation_counts,
    event_allocation,
)

__all__ = [
    "AlreadyInEvent",
    "DelegationCounts",
    "EventAllocation",
    "QuotaFull",
    "confirm_delegate",
    "create_delegation",
    "create_delegations_for_regions",
    "deadline_passed",
    "delegation_counts",
    "delete_delegation",
    "event_allocation",
    "mark_attended",
    "nominate_delegate",
    "substitute_delegate",
    "undo_attendance",
    "update_delegation",
    "withdraw_delegate",
]
