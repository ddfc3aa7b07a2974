"""Delegations and delegates: quotas, nominations, confirmations, substitutions.

One module per job: :mod:`.manage` creates and changes delegations, :mod:`.members`
moves delegates through their statuses (the quota and the region rule live there),
:mod:`.reading` answers what the pages show. Every public name is importable from
here.
"""

from planner.services.delegations.manage import (
    create_delegation,
    create_delegations_for_regions,
    deadline_passed,
    delete_delegation,
    possible_heads,
    province_regions,
    provinces,
    regions_by_ids,
    regions_in_order,
    update_delegation,
)
from planner.services.delegations.members import (
    AlreadyInEvent,
    QuotaFull,
    allowed_region_ids,
    check_member_region,
    confirm_delegate,
    mark_attended,
    nominate_delegate,
    nominate_new_person,
    replace_delegate,
    substitute_delegate,
    undo_attendance,
    withdraw_delegate,
)
from planner.services.delegations.reading import (
    DelegationCounts,
    EventAllocation,
    active_counts,
    delegation_counts,
    delegations_answered_by,
    event_allocation,
    event_delegations,
    last_changes,
    nomination_candidates,
    roster,
    roster_history,
)

__all__ = [
    "AlreadyInEvent",
    "DelegationCounts",
    "EventAllocation",
    "QuotaFull",
    "active_counts",
    "allowed_region_ids",
    "check_member_region",
    "confirm_delegate",
    "create_delegation",
    "create_delegations_for_regions",
    "deadline_passed",
    "delegation_counts",
    "delegations_answered_by",
    "delete_delegation",
    "event_allocation",
    "event_delegations",
    "last_changes",
    "mark_attended",
    "nominate_delegate",
    "nominate_new_person",
    "nomination_candidates",
    "possible_heads",
    "province_regions",
    "provinces",
    "regions_by_ids",
    "regions_in_order",
    "replace_delegate",
    "roster",
    "roster_history",
    "substitute_delegate",
    "undo_attendance",
    "update_delegation",
    "withdraw_delegate",
]
