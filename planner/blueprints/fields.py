"""Form fields shared by several features."""

from __future__ import annotations

from wtforms import IntegerField


class WholeNumberField(IntegerField):
    """An integer input whose parse error is the given (Indonesian) message.

    WTForms' own message is English ("Not a valid integer value."); each form says what
    the number is: ``WholeNumberField(_l("Kuota"), not_a_number=_l("Kuota harus berupa
    angka."))``.
    """

    def __init__(self, label=None, validators=None, *, not_a_number, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None
