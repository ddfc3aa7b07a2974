"""Forms of the check-in pages: the name search, the one-tap "present" button (with its
question before the event has begun) and taking a check-in back."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SearchField
from wtforms.validators import Length, Optional

#: Longest search text honoured; no name is longer.
MAX_QUERY_LENGTH = 100
#: Letters a search needs before it runs (one letter would list half the event).
MIN_QUERY_LENGTH = 2


def clean_query(value: str | None) -> str:
    """Drop control characters (NUL breaks PostgreSQL) and squeeze the spaces."""
    text = "".join(
        ch for ch in (value or "") if unicodedata.category(ch)[0] != "C" or ch == " "
    )
    return " ".join(text.split())


class SearchForm(FlaskForm):
    """Search delegates by name (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Cari nama"),
        filters=[clean_query],
        validators=[
            Optional(),
            Length(
                min=MIN_QUERY_LENGTH,
                max=MAX_QUERY_LENGTH,
                message=_l("Ketik %(min)d sampai %(max)d huruf."),
            ),
        ],
    )


class CheckInForm(FlaskForm):
    """One tap marks a delegate present; ``q`` brings the search back afterwards.

    More than a day before the event, ``confirm_early`` must be ticked as well.
    """

    q = HiddenField(filters=[clean_query])
    confirm_early = BooleanField(_l("Ya, catat hadir sekarang walau acara belum mulai"))

    def return_query(self) -> str:
        """The search to show again, cut to a sane length."""
        return (self.q.data or "")[:MAX_QUERY_LENGTH]


class UndoCheckInForm(FlaskForm):
    """Take back a check-in made by mistake (only the CSRF token)."""
