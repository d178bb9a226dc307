"""Forms for tenders: they validate input only; services write."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import SECRETARIAT_ROLES
from accounts.models import Organisation, User
from consortium.forms import DanishDecimalField
from cpv.models import CpvCode
from members.models import Contact
from tenders.pooling import percent_text

from .models import (
    AuthorityLevel,
    AwardCriterion,
    ContractKind,
    DeclineCategory,
    FrameworkType,
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
    return DanishDecimalField(
        label=label, required=required, min_value=Decimal(0), max_digits=14, decimal_places=2,
        decimals=2,
    )  # fmt: skip


def quantity_field(label: str, help_text: str = "") -> forms.DecimalField:
    """A quantity in the unit of its line or lot, typed and shown the Danish way (4.500)."""
    return DanishDecimalField(
        label=label, help_text=help_text, required=False, min_value=Decimal(0), max_digits=14,
        decimal_places=2,
    )  # fmt: skip


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
    framework_type = forms.TypedChoiceField(
        label=_("Framework agreement"), choices=FrameworkType.choices, required=False,
        empty_value=FrameworkType.WITHOUT_COMPETITION,
    )  # fmt: skip
    framework_max_participants = forms.IntegerField(
        label=_("Maximum number of suppliers on the framework agreement"), required=False,
        min_value=1, max_value=999,
    )  # fmt: skip
    bid_validity_days = forms.IntegerField(
        label=_("Bids valid for (days)"), required=False, min_value=1, max_value=730
    )
    documents_url = forms.URLField(
        label=_("Address of the tender documents"), required=False, assume_scheme="https",
        help_text=_("Where bidders find the tender documents; the contract notice gives it."),
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
                "volume_deadline", "bid_deadline", "expected_start", "framework_type",
                "framework_max_participants", "bid_validity_days", "documents_url",
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
    unit = forms.CharField(
        label=_("Unit"), max_length=50, help_text=_("For example stk., æske à 100, timer or kr.")
    )
    quantity = quantity_field(_("Estimated quantity"))


LineItemFormSet = forms.formset_factory(LineItemForm, extra=3, can_delete=True)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardCriterion.Kind.choices)
    weight = AmountField(
        label=_("Weight (%)"), min_value=Decimal(0), max_value=Decimal(100), max_digits=5,
        decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-width-xs"}),
    )  # fmt: skip
    is_climate = forms.BooleanField(label=_("Climate/environment criterion"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.is_blank():
            # Any blank row, also one of the saved criteria emptied, is simply not a criterion
            # (the criteria are replaced as a whole); a filled-in row is always checked.
            self.empty_permitted = True

    def is_blank(self) -> bool:
        """Neither a name nor a weight typed: the kind preselected in its list and an unticked
        box are no input, so such a row is left out rather than refused."""
        return not any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in ("name", "weight")
        )

    def has_changed(self) -> bool:
        return not self.is_blank() and super().has_changed()

    def marked_for_deletion(self) -> bool:
        return bool(self.data.get(self.add_prefix("DELETE")))


class BaseCriterionFormSet(forms.BaseFormSet):
    """The award criteria as rows; a blank row is ignored and a ticked row removed.

    Any row may be left blank (see `CriterionForm`); `with_row_added` answers the "add a criterion" button without JavaScript.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        weights = [form.cleaned_data["weight"] for form in self.filled_forms()]
        total = sum(weights, Decimal(0))
        if weights and total != 100:
            raise forms.ValidationError(
                _("The weights must add up to 100 %% (now %(total)s %%)."),
                params={"total": percent_text(total)},
            )

    def filled_forms(self) -> list[CriterionForm]:
        """The rows that are criteria: filled in and not ticked for removal (after is_valid)."""
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def criteria(self) -> list[Any]:
        from .services import CriterionData

        return [
            CriterionData(
                name=form.cleaned_data["name"].strip(),
                kind=form.cleaned_data["kind"],
                weight=form.cleaned_data["weight"],
                is_climate=form.cleaned_data["is_climate"],
            )
            for form in self.filled_forms()
        ]

    def error_items(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of every error of a row that is not being removed, for the
        error summary at the top of the page."""
        items = []
        for number, form in enumerate(self.forms, start=1):
            if form.marked_for_deletion() or not form.errors:
                continue
            row = gettext("Criterion %(number)s") % {"number": number}
            for message in form.non_field_errors():
                items.append((f"{self.prefix}-{number - 1}", row, message))
            for name, messages in form.errors.items():
                if name in form.fields:
                    label = f"{row}, {form.fields[name].label}"
                    items += [(form[name].auto_id, label, message) for message in messages]
        return items

    @classmethod
    def with_row_added(cls, data: Any, prefix: str) -> BaseCriterionFormSet:
        """An unbound copy of the posted rows (blank and removed ones left out) with one empty
        row more, so "add a criterion" shows no errors for rows still being filled in."""
        posted = cls(data, prefix=prefix)
        rows = [
            {name: form[name].value() for name in ("name", "kind", "weight", "is_climate")}
            for form in posted.forms
            if not form.is_blank() and not form.marked_for_deletion()
        ]
        formset = cls(prefix=prefix, initial=rows)
        formset.extra = 1
        # The new row takes the focus (also after an htmx swap, which honours autofocus).
        formset.forms[len(rows)].fields["name"].widget.attrs["autofocus"] = True
        return formset


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True
)


def criteria_formset(data: Any, *, criteria: Any, prefix: str = "criteria") -> BaseCriterionFormSet:
    """The criteria form of a page: the tender's criteria, and one empty row (two while the
    tender has no criteria yet, so price and quality fit at once); after "add a criterion" the
    posted rows with an empty row more."""
    if data is not None and "add_row" in data:
        return CriterionFormSet.with_row_added(data, prefix)
    initial = [
        {"name": c.name, "kind": c.kind, "weight": c.weight, "is_climate": c.is_climate}
        for c in criteria
    ]
    formset = CriterionFormSet(data, prefix=prefix, initial=initial)
    formset.extra = 1 if initial else 2
    return formset


@dataclass(frozen=True)
class LotFields:
    """One lot's part of the answer form: its fields, and its price schedule lines with units."""

    lot: Lot
    volume: forms.BoundField
    quantity: forms.BoundField
    takes_none: forms.BoundField
    lines: list[Any]
    units: list[str]


class ParticipationForm(forms.Form):
    """A member's answer: participate or decline, and the expected annual volume per lot.

    Participating is binding, so it must say what the municipality will buy: a volume for at
    least one lot, and for each other lot explicitly that it takes nothing on it.
    """

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (Participation.Answer.PARTICIPATE, _("We participate (binding)")),
            (Participation.Answer.DECLINE, _("We decline")),
        ],
        widget=forms.RadioSelect,
    )
    decline_category = forms.ChoiceField(
        label=_("Why does the municipality decline?"),
        # Required when declining, checked in clean(); the board counts declines by it.
        required=False,
        choices=DeclineCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the reasons listed.")},
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only the secretariat and the municipality's own users read the text; the board "
            "sees only the number of declines per reason."
        ),
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
            units = lot.units()
            self.fields[f"quantity_{lot.pk}"] = quantity_field(
                _("Lot %(number)s: expected annual quantity in %(unit)s")
                % {"number": lot.number, "unit": units[0]}
                if len(units) == 1
                else _("Lot %(number)s: expected annual quantity") % {"number": lot.number},
                help_text=_("Units of the lot's lines: %(units)s.") % {"units": ", ".join(units)}
                if len(units) > 1
                else "",
            )
            self.fields[f"none_{lot.pk}"] = forms.BooleanField(
                label=_("The municipality takes nothing on lot %(number)s")
                % {"number": lot.number},
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        declining = data.get("answer") == Participation.Answer.DECLINE
        if declining and not data.get("decline_category") and "decline_category" not in self.errors:
            self.add_error("decline_category", _("Choose why the municipality declines."))
        if declining and not (data.get("decline_reason") or "").strip():
            self.add_error("decline_reason", _("Give a reason for declining."))
        if data.get("answer") == Participation.Answer.PARTICIPATE:
            self._clean_lots(data)
        return data

    def _clean_lots(self, data: dict[str, Any]) -> None:
        """Participating: every lot has a volume or is marked as taken nothing on; one has one."""
        missing = False
        with_volume = 0
        for lot in self.lots:
            name = f"volume_{lot.pk}"
            if name in self.errors:
                continue
            volume, none = data.get(name), data.get(f"none_{lot.pk}")
            if volume is not None and none:
                self.add_error(
                    name,
                    _("Give a volume or tick that the municipality takes nothing on the lot, "
                      "not both."),
                )  # fmt: skip
            elif volume is None and not none:
                missing = True
                self.add_error(
                    name,
                    _("Give the expected annual volume, or tick that the municipality takes "
                      "nothing on this lot."),
                )  # fmt: skip
            elif volume is not None:
                with_volume += 1
        refused = any(f"volume_{lot.pk}" in self.errors for lot in self.lots)
        if missing or (not with_volume and not refused):
            self.add_error(
                None,
                _("When the municipality participates (binding), give the expected annual "
                  "volume for at least one lot, and for each of the other lots tick that the "
                  "municipality takes nothing on it."),
            )  # fmt: skip

    def lot_fields(self) -> list[LotFields]:
        return [
            LotFields(
                lot,
                self[f"volume_{lot.pk}"],
                self[f"quantity_{lot.pk}"],
                self[f"none_{lot.pk}"],
                list(lot.line_items.all()),
                lot.units(),
            )
            for lot in self.lots
        ]

    @staticmethod
    def initial_for(participation: Participation) -> dict[str, Any]:
        answered = participation.answer in (
            Participation.Answer.PARTICIPATE,
            Participation.Answer.DECLINE,
        )
        initial: dict[str, Any] = {
            "answer": participation.answer if answered else None,
            "decline_category": participation.decline_category or None,
            "decline_reason": participation.decline_reason,
            "version": participation.version,
        }
        declared = set()
        for d in participation.declarations.all():
            initial[f"volume_{d.lot_id}"] = d.annual_volume
            initial[f"quantity_{d.lot_id}"] = d.quantity
            declared.add(d.lot_id)
        if participation.answer == Participation.Answer.PARTICIPATE:
            for lot in participation.tender.lots.all():
                if lot.pk not in declared:
                    initial[f"none_{lot.pk}"] = True
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


class CorrigendumForm(forms.Form):
    """What a corrigendum changes and why, and the tender's details it may change."""

    summary = forms.CharField(
        label=_("What changes"),
        help_text=_("In a few words, as the bidders and members will read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason for the corrigendum"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    bid_deadline = datetime_field(_("Bid deadline"), required=True)


class CorrigendumLotForm(forms.Form):
    """A published lot's texts; its number stays (members declared volumes for it)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
