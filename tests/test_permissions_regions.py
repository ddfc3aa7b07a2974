"""A chapter head's regions: asking about one region agrees with the whole covered set,
without loading that set."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g

from planner import permissions
from planner.extensions import db
from planner.models import Region


def _all_region_ids() -> list[int]:
    return list(db.session.scalars(sa.select(Region.id).order_by(Region.id)))


def test_one_region_at_a_time_agrees_with_the_covered_set(app, make_user):
    users = [
        make_user("chapter_head", regions=["19"]),  # a province: it and its children
        make_user("chapter_head", regions=["19.01", "32.73"]),  # two regencies
        make_user("chapter_head", regions=["19", "32.73"]),
        make_user("participant"),
        make_user("organiser"),
    ]
    ids = _all_region_ids()
    for user in users:
        with app.test_request_context():
            expected = permissions.covered_region_ids(user)
            g.pop("_covered_region_ids")  # the test's app context outlives requests
        for region_id in ids:
            with app.test_request_context():
                assert permissions.covers_region(user, region_id) == (
                    region_id in expected
                ), (user.email, region_id)
                assert "_covered_region_ids" not in g
        with app.test_request_context():
            assert permissions.heads_a_chapter(user) == bool(expected)
            assert "_covered_region_ids" not in g


def test_many_regions_in_one_request_load_the_set_once(app, make_user, count_queries):
    user = make_user("chapter_head", regions=["19"])
    user_id = user.id
    db.session.expire_all()
    user = db.session.get(type(user), user_id)
    ids = _all_region_ids()
    with app.test_request_context(), count_queries() as statements:
        answers = [permissions.covers_region(user, region_id) for region_id in ids]
        assert permissions.heads_a_chapter(user)
        expected = permissions.covered_region_ids(user)
        g.pop("_covered_region_ids")
    assert answers == [region_id in expected for region_id in ids]
    # Two regions one by one, then the whole set: never a query per region.
    assert len(statements) <= 4, statements


def test_answers_do_not_outlive_the_request(app, make_user):
    user = make_user("chapter_head", regions=["19.01"])
    other = db.session.scalar(sa.select(Region.id).where(Region.code == "32.73"))
    with app.test_request_context():
        assert not permissions.covers_region(user, other)
    user.regions.append(db.session.get(Region, other))
    db.session.flush()
    with app.test_request_context():
        assert permissions.covers_region(user, other)
