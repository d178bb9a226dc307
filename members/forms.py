"""Forms for members, contacts, commitments and fee models. They validate input only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consortium.procurement import ProcedureType
from cpv.models import CpvCode

from .models import Commitment, Contact, Member, Municipality, PopulationFigure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(forms.ModelForm):
    name = forms.CharField(label=_("Name"), max_length=200)

    class Meta:
        model = Member
        fields = ["status", "joined_on", "notice_given_on", "left_on"]
        widgets = {"joined_on": DATE, "notice_given_on": DATE, "left_on": DATE}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.organisation.name
        self.order_fields(["name", "status", "joined_on", "notice_given_on", "left_on"])


class MunicipalityForm(forms.ModelForm):
    """A municipality's master data and the member it belongs to (secretariat only)."""

    population = forms.IntegerField(label=_("Population"), min_value=0, required=False)
    population_year = forms.IntegerField(
        label=_("Population year"), min_value=1900, max_value=2100, required=False
    )

    class Meta:
        model = Municipality
        fields = [
            "name", "cvr", "gln", "region", "nuts_code", "address", "postcode", "city",
            "legal_type", "email", "phone", "member",
        ]  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = Member.objects.select_related("organisation")  # type: ignore[attr-defined]
        member.empty_label = _("No member")  # type: ignore[attr-defined]
        member.help_text = _("The member the municipality belongs to, if any.")

    def clean_cvr(self) -> str:
        # Checked here for a message that names the other municipality; the constraint's own
        # message is the fallback for a race between two saves.
        from .selectors import municipality_with_cvr

        cvr = self.cleaned_data.get("cvr", "")
        code = self.instance.code if self.instance.pk else self.cleaned_data.get("code")
        other = municipality_with_cvr(cvr, exclude_code=code)
        if other is not None:
            raise forms.ValidationError(
                _("The CVR number %(cvr)s already belongs to %(other)s.")
                % {"cvr": cvr, "other": other}
            )
        return cvr

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("population") is None) != (data.get("population_year") is None):
            self.add_error("population_year", _("Give both the population and its year."))
        return data


class MunicipalityCreateForm(MunicipalityForm):
    class Meta(MunicipalityForm.Meta):
        fields = ["code", *MunicipalityForm.Meta.fields]

    def clean_code(self) -> str:
        code = self.cleaned_data.get("code", "")
        other = Municipality.objects.filter(code=code).select_related("member__organisation")
        if (existing := other.first()) is not None:
            raise forms.ValidationError(
                _("The municipality code %(code)s already exists (%(name)s).")
                % {"code": code, "name": existing.name}
            )
        return code


class PopulationFigureForm(forms.ModelForm):
    class Meta:
        model = PopulationFigure
        fields = ["population", "is_estimate", "source"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "role", "email", "phone", "working_group", "hours_per_year"]


class CommitmentForm(forms.ModelForm):
    binding_procedures = forms.MultipleChoiceField(
        label=_("Binding tender types"),
        choices=ProcedureType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    binding_category_codes = forms.CharField(
        label=_("Binding categories (CPV codes)"),
        required=False,
        help_text=_("CPV codes separated by commas, e.g. 30190000-7, 09310000-5."),
    )

    class Meta:
        model = Commitment
        fields = [
            "start_year",
            "end_year",
            "economic_terms",
            "council_decision_on",
            "case_reference",
            "signed_document",
            "working_group_hours",
            "binding_procedures",
            "opt_out_allowed",
            "opt_out_deadline_days",
            "opt_out_justification_required",
            "notes",
        ]
        widgets = {
            "council_decision_on": DATE,
            "economic_terms": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_document"].help_text = _("PDF of the signed commitment.")
        if self.instance.pk:
            self.fields["binding_category_codes"].initial = ", ".join(
                c.code for c in self.instance.binding_categories.all()
            )

    def clean_signed_document(self) -> object:
        document = self.cleaned_data.get("signed_document")
        if document and hasattr(document, "content_type"):
            if not document.name.lower().endswith(".pdf"):
                raise forms.ValidationError(_("The signed document must be a PDF file."))
            if document.size > 10 * 1024 * 1024:
                raise forms.ValidationError(_("The file is larger than 10 MB."))
        return document

    def clean_binding_category_codes(self) -> list[CpvCode]:
        raw = [c.strip() for c in self.cleaned_data.get("binding_category_codes", "").split(",")]
        codes = [c for c in raw if c]
        found = {
            c.code8: c for c in CpvCode.objects.filter(code8__in=[c.split("-")[0] for c in codes])
        }
        unknown = [c for c in codes if c.split("-")[0] not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown CPV codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(found.values())


class MunicipalityImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: kommunekode, kommunenavn, regionskode; optional cvr, ean, adresse, medlem, "
            "indbyggertal and aar. Separated by semicolons or commas."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
