"""Forms for agreements: they validate input only; services write."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpv.models import CpvCode
from knowledge.models import Article, Status
from members.models import Member
from members.validators import validate_cvr
from tenders.forms import AmountField
from tenders.models import Lot, Tender, TenderStatus

from .models import Agreement
from .selectors import tender_label

ALLOWED_SUFFIXES = {".pdf", ".docx", ".xlsx", ".odt", ".ods", ".txt", ".csv", ".zip"}
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel or OpenDocument; at most 25 MB.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("This kind of file cannot be attached."))
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 25 MB."))
        return upload


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class TenderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Tender) -> str:
        return tender_label(obj)


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lot) -> str:
        return f"{obj.tender.reference}, {obj.number}: {obj.title}"


def price_level_field(label: Any) -> AmountField:
    return AmountField(
        label=label,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-xs"}),
    )


def _cpv(code: str) -> CpvCode:
    found = (
        CpvCode.objects.filter(code=code).first()
        or CpvCode.objects.filter(code8=code.split("-")[0]).first()
    )
    if found is None:
        raise forms.ValidationError(_("%(code)s is not a CPV code."), params={"code": code})
    return found


# The form's fields that are the agreement's own columns (the rest are relations and options).
EDITED_FIELDS = (
    "number", "title", "description", "kind", "allocation", "tender", "lot", "start_date",
    "base_end_date", "expected_annual_value", "baseline_price_level", "agreement_price_level",
    "climate_requirements", "successor_tender",
)  # fmt: skip


class AgreementForm(forms.Form):
    """An agreement's own data (its suppliers have a page of their own)."""

    number = forms.CharField(
        label=_("Agreement number"), max_length=30, help_text=_("For example 2026-014-1.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    allocation = forms.ChoiceField(
        label=_("Allocation between suppliers"), choices=Agreement.Allocation.choices
    )
    tender = TenderChoiceField(
        label=_("Originating tender"), required=False,
        queryset=Tender.objects.order_by("-reference"),
        help_text=_("Empty for an agreement the consortium did not tender itself."),
    )  # fmt: skip
    lot = LotChoiceField(
        label=_("Lot"), required=False,
        queryset=Lot.objects.select_related("tender").order_by("-tender__reference", "number"),
    )  # fmt: skip
    start_date = forms.DateField(label=_("Start"), **DATE_WIDGET)
    base_end_date = forms.DateField(
        label=_("End of the base term"), help_text=_("The last day before any option is used."),
        **DATE_WIDGET,
    )  # fmt: skip
    option_months = forms.CharField(
        label=_("Extension options (months each)"), required=False,
        help_text=_("For 2 + 1 + 1 years write 12, 12. Options already used cannot change."),
    )  # fmt: skip
    members = forms.ModelMultipleChoiceField(
        label=_("Bound members"), required=False,
        queryset=Member.objects.select_related("organisation").order_by("organisation__name"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    categories = forms.CharField(
        label=_("Categories (CPV)"), required=False,
        help_text=_("Separate the codes with commas or spaces. A code covers its subcategories."),
    )  # fmt: skip
    expected_annual_value = AmountField(
        label=_("Expected annual value (DKK ex. VAT)"), required=False, min_value=Decimal(0),
        max_digits=14, decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-s"}),
    )  # fmt: skip
    baseline_price_level = price_level_field(_("Baseline price level"))
    agreement_price_level = price_level_field(_("Agreement price level"))
    climate_requirements = forms.CharField(
        label=_("Climate requirements"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The agreement's climate and environmental requirements. Filled in, the agreement is "
            "climate-flagged in lists and board reports; leave it empty if it sets none."
        ),
    )  # fmt: skip
    related_articles = forms.ModelMultipleChoiceField(
        label=_("Related knowledge articles"), required=False,
        queryset=Article.objects.filter(status=Status.PUBLISHED).order_by("title"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Published articles only. Hold Ctrl (⌘ on a Mac) to choose more than one."),
    )  # fmt: skip
    successor_tender = TenderChoiceField(
        label=_("Successor tender"), required=False,
        queryset=Tender.objects.exclude(status=TenderStatus.CANCELLED).order_by("-reference"),
        help_text=_("The tender that renews the agreement, once there is one."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_levels = _("An index: with the baseline at 100, 92 means prices 8 % below it.")
        self.fields["agreement_price_level"].help_text = help_levels

    def clean_option_months(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,;+]+", self.cleaned_data["option_months"]) if p]
        if not all(p.isdigit() and 0 < int(p) <= 120 for p in parts):
            raise forms.ValidationError(
                _("Write the options' lengths in whole months separated by commas, e.g. 12, 12.")
            )
        return [int(p) for p in parts]

    def clean_categories(self) -> list[CpvCode]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["categories"]) if c]
        errors, found = [], []
        for code in codes:
            try:
                found.append(_cpv(code))
            except forms.ValidationError as exc:
                errors.append(exc)
        if errors:
            raise forms.ValidationError(errors)
        return found

    def _positive(self, name: str) -> Decimal | None:
        value = self.cleaned_data.get(name)
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The price level must be greater than 0."))
        return value

    def clean_baseline_price_level(self) -> Decimal | None:
        return self._positive("baseline_price_level")

    def clean_agreement_price_level(self) -> Decimal | None:
        return self._positive("agreement_price_level")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("base_end_date")
        if start and end and end < start:
            self.add_error("base_end_date", _("The agreement must end after it starts."))
        lot, tender = data.get("lot"), data.get("tender")
        if lot is not None and lot.tender_id != getattr(tender, "pk", None):
            self.add_error("lot", _("The lot must belong to the originating tender."))
        if data.get("expected_annual_value") is None:
            data["expected_annual_value"] = Decimal(0)
        return data

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict[str, Any]:
        return {
            **{name: getattr(agreement, name) for name in EDITED_FIELDS},
            "option_months": ", ".join(str(o.months) for o in agreement.options.all()),
            "members": list(agreement.members.all()),
            "categories": ", ".join(c.code for c in agreement.categories.all()),
            "related_articles": list(agreement.related_articles.all()),
        }

    def agreement_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITED_FIELDS}


class SupplierForm(forms.Form):
    cvr = forms.CharField(
        label=_("CVR number"), max_length=8, validators=[validate_cvr],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-width-s"}),
    )  # fmt: skip
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False,
        help_text=_("Only needed for a supplier that is not in the supplier register yet."),
    )  # fmt: skip
    rank = forms.IntegerField(
        label=_("Rank"), min_value=1, max_value=99, required=False,
        help_text=_("Empty when orders go to mini-competition."),
        widget=forms.NumberInput(attrs={"class": "input-width-xs"}),
    )  # fmt: skip
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)


SupplierFormSet = forms.formset_factory(SupplierForm, extra=2, can_delete=True)


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("Terminated on"), **DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason for termination"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the agreement's page to everyone who can see it."),
    )  # fmt: skip


class SuccessorForm(forms.Form):
    successor_tender = TenderChoiceField(
        label=_("Successor tender"), required=False, queryset=Tender.objects.none(),
        empty_label=_("None yet"),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        choices: Any,
        suggested: list[Tender],
        labels: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`labels`: the (id, label) of `choices` when known (agreements.selectors.
        successor_labels), which then need not be read; `choices` still validates."""
        super().__init__(*args, **kwargs)
        field = self.fields["successor_tender"]
        field.queryset = choices
        if labels is None:
            labels = [(t.pk, field.label_from_instance(t)) for t in choices]
        suggested_ids = {t.pk for t in suggested}
        others = [(pk, label) for pk, label in labels if pk not in suggested_ids]
        # Suggestions first, in a group of their own; the others after them.
        field.choices = [
            ("", _("None yet")),
            *(
                [(str(_("Suggested: open tenders in the same categories")), [
                    (t.pk, field.label_from_instance(t)) for t in suggested
                ])]
                if suggested else []
            ),
            (str(_("Other tenders")), others),
        ]  # fmt: skip
