"""The one commit point: what ``save`` keeps, undoes and shows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import FieldList, StringField

from planner.commit import save, transaction
from planner.extensions import db
from planner.models import Place, PlaceKind
from planner.services import PlannerError


class _Form(FlaskForm):
    """A name and a list of rows, as the run-down's speakers."""

    name = StringField()
    rows = FieldList(StringField(), min_entries=1)


def _place(name: str) -> Place:
    place = Place(name=name, kind=PlaceKind.OTHER)
    db.session.add(place)
    db.session.flush()
    return place


def _kept(name: str) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Place.name == name)))


def _refuse(message: str, field: str | None = None):
    def action():
        raise PlannerError(message, field=field)

    return action


def _race():
    raise sa.exc.IntegrityError("INSERT …", {}, Exception("unique"))


def test_a_kept_action_is_committed(app_ctx):
    outcome = save(lambda: _place("Pelabuhan Muntok"))
    assert outcome and outcome.value.name == "Pelabuhan Muntok"
    db.session.rollback()  # nothing left to undo: it was committed
    assert _kept("Pelabuhan Muntok")


def test_a_refusal_is_undone_and_lands_on_its_field(app_ctx):
    with app_ctx.test_request_context(method="POST"):
        form = _Form()

        def refused():
            _place("Setengah jadi")
            raise PlannerError("Nama sudah dipakai.", field="name")

        outcome = save(refused, form=form)
    assert not outcome and outcome.error.field == "name"
    assert form.name.errors == ["Nama sudah dipakai."]
    assert not _kept("Setengah jadi")


def test_a_refusal_naming_a_list_of_rows_goes_above_the_form(app_ctx):
    """A FieldList keeps errors per row: one message for the list goes on top."""
    with app_ctx.test_request_context(method="POST"):
        form = _Form()
        save(_refuse("Pilih.", field="rows"), form=form)
    assert form.form_errors == ["Pilih."]
    assert not form.rows.errors


def test_a_race_lost_in_the_database_is_shown_when_named(app_ctx):
    with app_ctx.test_request_context(method="POST"):
        form = _Form()
        conflict = PlannerError("Kursi baru saja diisi.", field="name")
        outcome = save(_race, form=form, conflict=conflict)
        assert outcome.error is conflict
        assert form.name.errors == ["Kursi baru saja diisi."]
        outcome = save(_race, conflict=PlannerError("Coba lagi."))
        assert get_flashed_messages(with_categories=True) == [("danger", "Coba lagi.")]


def test_a_race_not_named_propagates_after_the_rollback(app_ctx):
    with pytest.raises(sa.exc.IntegrityError):
        save(lambda: (_place("Batal"), _race()))
    assert not _kept("Batal")


def test_a_command_s_transaction_commits_or_undoes(app_ctx):
    with transaction():
        _place("Bandara Depati Amir")
    with pytest.raises(PlannerError), transaction():
        _place("Batal")
        raise PlannerError("Tidak.")
    assert _kept("Bandara Depati Amir") and not _kept("Batal")


def _ends(app) -> list[str]:
    """How each transaction on the app's engine ends, as it happens."""
    ends: list[str] = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "commit", lambda conn: ends.append("commit"))
    sa.event.listen(engine, "rollback", lambda conn: ends.append("rollback"))
    return ends


def test_a_request_that_only_read_ends_with_a_commit(app, client):
    """psycopg drops its prepared statements at every ROLLBACK: reads commit instead."""
    ends = _ends(app)
    assert client.get("/health").status_code == 200
    assert ends == ["commit"]


def test_a_request_that_wrote_without_saving_is_rolled_back(app, client):
    """A flush, or any statement but a SELECT, keeps the rollback: nothing is kept."""

    @app.get("/test-flush-only")
    def flush_only():
        _place("Flushed, never saved")
        return "ok"

    @app.get("/test-bulk-only")
    def bulk_only():
        db.session.execute(sa.insert(Place).values(name="Bulk", kind=PlaceKind.OTHER))
        return "ok"

    @app.get("/test-pending-only")
    def pending_only():
        db.session.execute(sa.select(1))
        db.session.add(Place(name="Pending", kind=PlaceKind.OTHER))
        return "ok"

    ends = _ends(app)
    for path in ("/test-flush-only", "/test-bulk-only", "/test-pending-only"):
        assert client.get(path).status_code == 200
    assert "commit" not in ends
    with app.app_context():
        for name in ("Flushed, never saved", "Bulk", "Pending"):
            assert not _kept(name)


def test_a_refusal_that_only_read_ends_with_a_commit(app, app_ctx):
    """A refusal before any write (a quota found full) keeps the connection's prepared
    statements: COMMIT, not ROLLBACK; the session forgets its objects either way."""
    ends = _ends(app)
    place = _place("Sudah ada")
    save(lambda: None)
    ends.clear()

    def read_then_refuse():
        assert db.session.get(Place, place.id).name == "Sudah ada"
        raise PlannerError("Kuota delegasi ini sudah penuh.")

    with app.test_request_context(method="POST"):
        outcome = save(read_then_refuse)
        assert get_flashed_messages() == ["Kuota delegasi ini sudah penuh."]
    assert not outcome and ends == ["commit"]
    assert not db.session().in_transaction() and "name" not in place.__dict__


@pytest.mark.parametrize("how", ["flush", "bulk", "pending", "dirty"])
def test_a_refusal_after_any_write_still_rolls_back(app, app_ctx, how):
    place = _place("Asli")
    save(lambda: None)
    ends = _ends(app)

    def write_then_refuse():
        if how == "flush":
            _place("Setengah jadi")
        elif how == "bulk":
            db.session.execute(sa.update(Place).values(name="Diubah massal"))
        elif how == "pending":
            db.session.add(Place(name="Setengah jadi", kind=PlaceKind.OTHER))
        else:
            db.session.get(Place, place.id).name = "Diubah"
        raise PlannerError("Ditolak.")

    with app.test_request_context(method="POST"):
        assert not save(write_then_refuse)
    # An object only added sent nothing: no transaction on the connection to end.
    assert ends == ([] if how == "pending" else ["rollback"])
    names = db.session.scalars(sa.select(Place.name)).all()
    assert names == ["Asli"]
