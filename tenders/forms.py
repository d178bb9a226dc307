"""Forms for tenders: they validate input only; services write."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import SECRETARIAT_ROLES
from accounts.models import Organisation, User
from cpv.models import CpvCode
from members.models import Contact
from tenders.pooling import percent_text

from .models import (
    AuthorityLevel,
    AwardCriterion,
    ContractKind,
    Lot,
    Participation,
    ProcedureType,
    Tender,
)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def datetime_field(label: str, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


class AmountField(forms.DecimalField):
    """A decimal typed the Danish way or the plain way: 1.234.567,50 · 1234567,50 · 1234567.50."""

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        text = text.removesuffix("kr.").removesuffix("kr")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif THOUSANDS.match(text):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def money_field(label: str, required: bool = False) -> forms.DecimalField:
    return AmountField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-s"}),
    )


def _cpv(code: str) -> CpvCode:
    code = code.strip()
    found = (
        CpvCode.objects.filter(code=code).first()
        or CpvCode.objects.filter(code8=code.split("-")[0]).first()
    )
    if found is None:
        raise forms.ValidationError(_("%(code)s is not a CPV code."), params={"code": code})
    return found


class WorkingGroupWidget(forms.CheckboxSelectMultiple):
    """The working-group contacts as one fieldset per member, with a filter box (static/js)."""

    template_name = "tenders/widgets/working_group.html"


class WorkingGroupField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        detail = obj.working_group or obj.title
        return f"{obj.name} ({detail})" if detail else obj.name

    def grouped_choices(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """The contacts grouped by their member, for the widget's fieldsets."""
        groups: dict[str, list[tuple[int, str]]] = {}
        for contact in self.queryset:
            groups.setdefault(contact.member.organisation.name, []).append(
                (contact.pk, self.label_from_instance(contact))
            )
        return list(groups.items())


class TenderForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=20, help_text=_("For example 2026-014.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    procedure_type = forms.ChoiceField(label=_("Procedure type"), choices=ProcedureType.choices)
    contract_kind = forms.ChoiceField(
        label=_("Contract kind"), choices=ContractKind.choices,
        help_text=_("Decides which EU threshold applies."),
    )  # fmt: skip
    authority_level = forms.ChoiceField(
        label=_("Contracting authorities"), choices=AuthorityLevel.choices
    )
    main_cpv = forms.CharField(
        label=_("Main CPV code"), required=False, max_length=10,
        help_text=_("For example 30192000-1."),
    )  # fmt: skip
    additional_cpv = forms.CharField(
        label=_("Additional CPV codes"), required=False,
        help_text=_("Separate the codes with commas or spaces."),
    )  # fmt: skip
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead"), queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.SECRETARIAT, Organisation.Kind.MEMBER]
        ),
        help_text=_("The secretariat or a lead municipality."),
    )  # fmt: skip
    responsible = forms.ModelChoiceField(
        label=_("Responsible staff"), required=False,
        queryset=User.objects.filter(role__in=SECRETARIAT_ROLES, is_active=True),
    )  # fmt: skip
    working_group = WorkingGroupField(
        label=_("Working group"), required=False,
        queryset=Contact.objects.select_related("member__organisation").order_by(
            "member__organisation__name", "name"
        ),
        widget=WorkingGroupWidget,
    )  # fmt: skip
    term_years = forms.IntegerField(label=_("Base term (years)"), min_value=1, max_value=10)
    option_years = forms.CharField(
        label=_("Options (years each)"), required=False,
        help_text=_("For 2 + 1 + 1 years write 1, 1."),
    )  # fmt: skip
    # These three are milestones of the tender's timeline, saved and checked against the
    # procedure's minimum time limits exactly as on the timeline page.
    volume_deadline = datetime_field(_("Participation deadline"))
    bid_deadline = datetime_field(_("Bid deadline"))
    expected_start = forms.DateField(
        label=_("Expected contract start"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The three dates are milestones of the timeline and are checked against "
                    "the procedure's minimum time limits."),
    )  # fmt: skip

    def __init__(self, *args: Any, tender: Tender | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tender = tender
        working_group = self.fields["working_group"]
        working_group.widget.choices = working_group.grouped_choices()

    def clean_reference(self) -> str:
        """Each reference names one tender: a clash is told at the field, before anything else."""
        reference = self.cleaned_data["reference"].strip()
        clash = Tender.objects.filter(reference__iexact=reference)
        if self.tender is not None and self.tender.pk:
            clash = clash.exclude(pk=self.tender.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Another tender already has the reference %(reference)s. Choose another one."),
                code="unique",
                params={"reference": reference},
            )
        return reference

    def clean_main_cpv(self) -> CpvCode | None:
        code = self.cleaned_data["main_cpv"].strip()
        return _cpv(code) if code else None

    def clean_additional_cpv(self) -> list[CpvCode]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["additional_cpv"]) if c]
        return [_cpv(code) for code in codes]

    def clean_option_years(self) -> list[int]:
        text = self.cleaned_data["option_years"]
        parts = [p for p in re.split(r"[\s,;+]+", text) if p]
        if not all(p.isdigit() and 0 < int(p) <= 10 for p in parts):
            raise forms.ValidationError(_("Write whole years separated by commas, e.g. 1, 1."))
        return [int(p) for p in parts]

    @classmethod
    def initial_for(cls, tender: Any) -> dict[str, Any]:
        return {
            **{name: getattr(tender, name) for name in (
                "reference", "title", "description", "procedure_type", "contract_kind",
                "authority_level", "lead_organisation", "responsible", "term_years",
                "volume_deadline", "bid_deadline", "expected_start",
            )},
            "main_cpv": tender.main_cpv_id or "",
            "additional_cpv": ", ".join(c.code for c in tender.additional_cpv.all()),
            "option_years": ", ".join(str(y) for y in tender.option_years),
            "working_group": list(tender.working_group.all()),
        }  # fmt: skip

    def tender_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name] for name in data if name not in ("additional_cpv", "working_group")
        }


class LotForm(forms.Form):
    number = forms.IntegerField(label=_("Lot number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LineItemForm(forms.Form):
    number = forms.IntegerField(label=_("Line"), min_value=1, max_value=9999)
    description = forms.CharField(label=_("Description"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    quantity = AmountField(
        label=_("Estimated quantity"), required=False, min_value=Decimal(0), max_digits=14,
        decimal_places=2, localize=True,
    )  # fmt: skip


LineItemFormSet = forms.formset_factory(LineItemForm, extra=3, can_delete=True)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardCriterion.Kind.choices)
    weight = AmountField(
        label=_("Weight (%)"), min_value=Decimal(0), max_value=Decimal(100), max_digits=5,
        decimal_places=2, localize=True,
    )  # fmt: skip
    is_climate = forms.BooleanField(label=_("Climate/environment criterion"), required=False)


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        weights = [
            f.cleaned_data["weight"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        total = sum(weights, Decimal(0))
        if weights and total != 100:
            raise forms.ValidationError(
                _("The weights must add up to 100 %% (now %(total)s %%)."),
                params={"total": percent_text(total)},
            )


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=2, can_delete=True
)


class ParticipationForm(forms.Form):
    """A member's answer: participate or decline, and the expected annual volume per lot."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (Participation.Answer.PARTICIPATE, _("We participate (binding)")),
            (Participation.Answer.DECLINE, _("We decline")),
        ],
        widget=forms.RadioSelect,
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, lots: list[Lot], with_reason: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lots = lots
        if with_reason:  # the secretariat's changes
            self.fields["change_reason"] = forms.CharField(
                label=_("Reason for the change"),
                required=False,  # the service refuses a missing reason with its own words
                help_text=_(
                    "Needed after the deadline, and to record an opt-out the member's "
                    "commitment does not allow. Kept in the history of the answer."
                ),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for lot in lots:
            self.fields[f"volume_{lot.pk}"] = money_field(
                _("Lot %(number)s: expected annual volume (DKK ex. VAT)") % {"number": lot.number}
            )
            self.fields[f"quantity_{lot.pk}"] = AmountField(
                label=_("Lot %(number)s: expected annual quantity (optional)")
                % {"number": lot.number},
                required=False, min_value=Decimal(0), max_digits=14, decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-s"}),
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("answer") == Participation.Answer.DECLINE
            and not (data.get("decline_reason") or "").strip()
        ):
            self.add_error("decline_reason", _("Give a reason for declining."))
        return data

    def lot_fields(self) -> list[tuple[Lot, forms.BoundField, forms.BoundField]]:
        return [(lot, self[f"volume_{lot.pk}"], self[f"quantity_{lot.pk}"]) for lot in self.lots]

    @staticmethod
    def initial_for(participation: Participation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "answer": participation.answer if participation.answer != "pending" else None,
            "decline_reason": participation.decline_reason,
            "version": participation.version,
        }
        for d in participation.declarations.all():
            initial[f"volume_{d.lot_id}"] = d.annual_volume
            initial[f"quantity_{d.lot_id}"] = d.quantity
        return initial


class TransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    until = datetime_field(_("Reopen until"), required=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ThresholdForm(forms.ModelForm):
    """A threshold value for a period, e.g. the official DKK values of a new revision."""

    class Meta:
        from .models import Threshold

        model = Threshold
        fields = ["kind", "level", "currency", "amount", "valid_from", "valid_until", "source"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"amount": AmountField}
