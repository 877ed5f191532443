"""What text forms accept, public and admin alike: a single-line field takes no line breaks or
other control characters (a title with a line break can smuggle headers into the emails that
quote it), and a multi-line field takes none but tabs and line breaks."""

import unicodedata

from django import forms

LINE_BREAKS_AND_TABS = frozenset("\t\n\r")
SINGLE_LINE_ERROR = "Keep this to one line, without line breaks or control characters."
MULTI_LINE_ERROR = "Remove the control characters (invisible characters other than line breaks)."


def control_character_error(value: str, single_line: bool) -> str | None:
    """Why ``value`` is refused, or None."""
    for character in value:
        if unicodedata.category(character) == "Cc":
            if single_line:
                return SINGLE_LINE_ERROR
            if character not in LINE_BREAKS_AND_TABS:
                return MULTI_LINE_ERROR
    return None


def refuse_control_characters(form: forms.BaseForm, cleaned: dict) -> None:
    """Add an error to every text field of ``form`` whose value has control characters:
    fields typed on one line (text inputs) or in a text area; other widgets are left alone."""
    for name, value in list(cleaned.items()):  # add_error() takes the field out of cleaned
        field = form.fields.get(name)
        if not isinstance(value, str) or field is None:
            continue
        if isinstance(field.widget, forms.TextInput):
            error = control_character_error(value, single_line=True)
        elif isinstance(field.widget, forms.Textarea):
            error = control_character_error(value, single_line=False)
        else:
            continue
        if error:
            form.add_error(name, error)
