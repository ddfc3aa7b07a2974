"""The rules of delegations held by the services and the database: quotas, one person
once per event, substitutions with their history."""

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Delegate, DelegateChange, DelegateRole, DelegateStatus
from planner.services import PlannerError
from planner.services.delegations import (
    AlreadyInEvent,
    QuotaFull,
    confirm_delegate,
    create_delegation,
    create_delegations_for_regions,
    event_allocation,
    mark_attended,
    nominate_delegate,
    substitute_delegate,
    update_delegation,
    withdraw_delegate,
)
from tests.conftest import region


def test_confirmations_stop_at_the_quota(make_delegation, make_delegate):
    delegation = make_delegation(quota=2)
    first, second, third = (make_delegate(delegation) for _ in range(3))
    confirm_delegate(first)
    confirm_delegate(second)
    db.session.commit()
    with pytest.raises(QuotaFull):
        confirm_delegate(third)
    db.session.rollback()
    db.session.refresh(delegation)
    assert delegation.confirmed_count == 2
    assert third.status == DelegateStatus.NOMINATED


def test_withdrawing_a_confirmed_delegate_frees_the_place(
    make_delegation, make_delegate
):
    delegation = make_delegation(quota=1)
    first, second = make_delegate(delegation), make_delegate(delegation)
    confirm_delegate(first)
    withdraw_delegate(first, note="sakit")
    confirm_delegate(second)
    db.session.commit()
    assert delegation.confirmed_count == 1
    assert first.status == DelegateStatus.WITHDRAWN and first.withdrawn_at


def test_the_database_refuses_a_count_above_the_quota(make_delegation):
    delegation = make_delegation(quota=1)
    delegation.confirmed_count = 2
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_person_is_in_an_event_once(make_delegation, make_person):
    delegation = make_delegation()
    person = make_person(region=delegation.region)
    nominate_delegate(delegation.event, person=person, delegation=delegation)
    db.session.commit()
    with pytest.raises(AlreadyInEvent):
        nominate_delegate(delegation.event, person=person, delegation=delegation)
    db.session.rollback()
    db.session.add(
        Delegate(event_id=delegation.event_id, delegation=delegation, person=person)
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_withdrawn_person_can_be_nominated_again(make_delegation, make_delegate):
    delegate = make_delegate()
    withdraw_delegate(delegate)
    again = nominate_delegate(
        delegate.event, person=delegate.person, delegation=delegate.delegation
    )
    assert again.id == delegate.id and again.status == DelegateStatus.NOMINATED


def test_substitution_keeps_the_place_and_the_history(
    make_delegation, make_delegate, make_person, make_user
):
    head = make_user("chapter_head")
    delegation = make_delegation(quota=1)
    leaving = make_delegate(delegation)
    confirm_delegate(leaving, by=head)
    newcomer = make_person(full_name="Budi Pengganti")
    replacement = substitute_delegate(leaving, person=newcomer, by=head, note="sakit")
    db.session.commit()
    assert leaving.status == DelegateStatus.REPLACED
    assert replacement.status == DelegateStatus.CONFIRMED
    assert replacement.replaces_id == leaving.id
    assert leaving.replaced_by.id == replacement.id
    assert delegation.confirmed_count == 1
    actions = db.session.scalars(
        sa.select(DelegateChange.action).order_by(DelegateChange.id)
    ).all()
    assert actions == ["confirmed", "replaced", "substitute"]
    change = db.session.scalars(
        sa.select(DelegateChange).filter_by(action="replaced")
    ).one()
    assert change.by_user_id == head.id and change.other_delegate_id == replacement.id


def test_a_nominee_is_of_the_delegation_s_region(make_delegation, make_person):
    """The region rule holds for every caller, not only the roster page: a regency's
    delegation takes its own people, a province's takes its regencies' too, a named
    body anyone."""
    bangka = make_delegation()
    outsider = make_person(full_name="Siti Kota")  # Kota Pangkal Pinang
    with pytest.raises(PlannerError) as refused:
        nominate_delegate(bangka.event, person=outsider, delegation=bangka)
    assert refused.value.field == "person_id"
    assert "bukan dari wilayah delegasi ini" in str(refused.value)
    db.session.rollback()
    province = make_delegation(bangka.event, region=region("19"))
    assert nominate_delegate(bangka.event, person=outsider, delegation=province)
    pusat = make_delegation(bangka.event, region=None, name="IPSM Pusat")
    assert nominate_delegate(bangka.event, person=make_person(), delegation=pusat)


def test_speakers_need_no_delegation_but_participants_do(make_event, make_person):
    event = make_event()
    speaker = nominate_delegate(event, person=make_person(), role=DelegateRole.SPEAKER)
    confirm_delegate(speaker)
    assert speaker.status == DelegateStatus.CONFIRMED
    with pytest.raises(PlannerError):
        nominate_delegate(event, person=make_person())


def test_attendance_of_a_nominated_delegate_takes_a_place(
    make_delegation, make_delegate
):
    delegation = make_delegation(quota=1)
    walk_in, late = make_delegate(delegation), make_delegate(delegation)
    mark_attended(walk_in)
    assert delegation.confirmed_count == 1
    with pytest.raises(QuotaFull):
        mark_attended(late)
    db.session.rollback()


def test_quota_cannot_drop_below_the_confirmed(make_delegation, make_delegate):
    delegation = make_delegation(quota=2)
    for delegate in (make_delegate(delegation), make_delegate(delegation)):
        confirm_delegate(delegate)
    with pytest.raises(PlannerError):
        update_delegation(delegation, data={"quota": 1})


def test_bulk_creation_skips_existing_regions_and_allocation_adds_up(make_event):
    event = make_event(capacity=500)
    create_delegation(event, data={"region": region("32.75"), "quota": 225})
    created = create_delegations_for_regions(
        event, regions=[region("32.75"), region("32.16")], quota=225
    )
    create_delegation(event, data={"name": "IPSM Pusat", "quota": 25})
    assert [d.name for d in created] == ["Kabupaten Bekasi"]
    allocation = event_allocation(event)
    assert (allocation.announced, allocation.allocated) == (500, 475)
    assert allocation.unallocated == 25 and allocation.delegations == 3


def test_every_regency_of_a_province_in_one_go(make_event):
    event = make_event()
    province = region("19")
    created = create_delegations_for_regions(event, regions=province.children, quota=4)
    assert [d.region.code for d in created] == [
        "19.01",
        "19.02",
        "19.03",
        "19.04",
        "19.05",
        "19.06",
        "19.71",
    ]
