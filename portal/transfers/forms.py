"""The upload form of the member area."""

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="A .csv (UTF-8) or .xlsx file in the columns of the template.",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
