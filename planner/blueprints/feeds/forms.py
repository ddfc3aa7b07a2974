"""The one-button forms of the subscription pages (CSRF only)."""

from flask_wtf import FlaskForm


class FeedActionForm(FlaskForm):
    """Re-issue or revoke a feed address: no fields, the CSRF token is the form."""
