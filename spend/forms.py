"""Forms of the spend pages: upload, how to run an import, and the column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member

from .importing import FileRejected, ImportLimits
from .importing.fields import FIELDS, REQUIRED
from .importing.upload import screen_upload


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spend file"),
        help_text=_(
            "An export from your ERP system (CSV or XLSX) or e-invoices (OIOUBL/PEPPOL XML, or a ZIP of them)."
        ),
    )
    member = forms.ModelChoiceField(
        label=_("Member"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args: Any, choose_member: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_member:
            self.fields["member"].queryset = Member.objects.select_related("organisation")
            self.fields["member"].required = True
        else:
            del self.fields["member"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = ImportLimits.from_settings().max_bytes
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB. Split it into smaller files.")
                % {"max": limit // (1024 * 1024)}
            )
        # Refused at upload, not kept until the preview: images, PDFs, web pages, programs,
        # hostile names, XML with a DTD, zip bombs (the service checks the same again).
        try:
            screen_upload(upload, upload.name or "")
        except FileRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class MappingFieldsMixin:
    """One choice of column header per spend field (choices are the file's headers)."""

    def add_mapping_fields(self, headers: list[str], initial: dict[str, str]) -> None:
        choices = [("", _("— not in the file —"))] + [(h, h) for h in headers if h]
        for name, label in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(  # type: ignore[attr-defined]
                label=label,
                choices=choices,
                required=name in REQUIRED,
                initial=initial.get(name, ""),
            )

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {name: data.get(f"map_{name}", "") for name in FIELDS}


class StartImportForm(MappingFieldsMixin, forms.Form):
    valid_only = forms.BooleanField(
        label=_("Import only the valid lines"),
        required=False,
        help_text=_(
            "Without this, a file with any invalid line is rejected whole and nothing is imported."
        ),
    )
    period_start = forms.DateField(
        label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lines dated outside the period are errors."),
    )
    save_mapping = forms.BooleanField(
        label=_("Save these columns as my municipality's column mapping"),
        required=False,
        initial=True,
    )

    def __init__(
        self, *args: Any, headers: list[str], initial_mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if headers:
            self.add_mapping_fields(headers, initial_mapping)
        else:
            del self.fields["save_mapping"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        if any(f.startswith("map_") for f in self.fields):
            for name in REQUIRED:
                if not data.get(f"map_{name}"):
                    self.add_error(f"map_{name}", _("Choose the column that holds this field."))
        return data


class ColumnMappingForm(forms.Form):
    """The saved mapping: for each field, the column header the member's ERP export uses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FIELDS.items():
            self.fields[name] = forms.CharField(
                label=label,
                max_length=200,
                required=False,
                help_text=_(
                    "The import needs this field; leave it empty to find the column by the usual Danish headers."
                )
                if name in REQUIRED
                else "",
            )

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "").strip() for name in FIELDS}
