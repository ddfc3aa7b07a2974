"""The job page's one form: try a failed job again."""

from flask_wtf import FlaskForm


class RetryForm(FlaskForm):
    """Only the CSRF token."""
