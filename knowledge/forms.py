"""Input of the knowledge pages. Forms validate; services write."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import EDITOR_ROLES, SECRETARIAT_ROLES
from accounts.models import User
from cpv.models import CpvCode
from tenders.models import Tender

from .models import Aim, Kind, Lever, Phase, Status
from .selectors import SearchFilters
from .workflow import TRANSITIONS

CPV_PATTERN = re.compile(r"\d{8}(?:-\d)?")


class CpvCodesField(forms.CharField):
    """CPV codes typed as text ("30192000-1, 45000000"), checked against the vocabulary."""

    def clean(self, value: Any) -> list[CpvCode]:
        text = super().clean(value) or ""
        tokens = [t for t in re.split(r"[\s,;]+", text) if t]
        bad = [t for t in tokens if not CPV_PATTERN.fullmatch(t)]
        code8s = [t[:8] for t in tokens if t not in bad]
        found = {c.code8: c for c in CpvCode.objects.filter(code8__in=code8s)}
        bad += [c for c in code8s if c not in found]
        if bad:
            raise forms.ValidationError(
                _("Unknown CPV codes: %(codes)s"), params={"codes": ", ".join(bad)}
            )
        return [found[c] for c in dict.fromkeys(code8s)]


# How many of the newest tenders the editor offers to link (the page stays light).
TENDER_CHOICES = 200


class TenderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Tender) -> str:
        return f"{obj.reference} {obj.title}"


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in lists and search results."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "knowledge-editor"}),
        help_text=_("Markdown: ## heading, **bold**, - list item, [link](https://…)."),
    )
    phases = forms.MultipleChoiceField(
        label=_("Procedure phases"),
        choices=Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aims = forms.MultipleChoiceField(
        label=_("Strategy aims"),
        choices=Aim.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    levers = forms.MultipleChoiceField(
        label=_("Strategy levers"),
        choices=Lever.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cpv_codes = CpvCodesField(
        label=_("Categories (CPV codes)"),
        required=False,
        help_text=_("Separate codes with commas, e.g. 30192000-1, 90910000."),
    )
    # The tenders already linked are ticked boxes (untick to remove); new ones are picked from a
    # multiple select of the newest tenders. One select for both would drop every existing link
    # on a plain click, and a box for every tender the consortium ever ran does not scale.
    related_tenders = TenderChoiceField(
        label=_("Related tenders"),
        queryset=Tender.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a tender to remove the link."),
    )
    add_tenders = TenderChoiceField(
        label=_("Add related tenders"),
        queryset=Tender.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
        help_text=_(
            "The newest tenders first. Hold down Ctrl (⌘ on a Mac) to choose more than one."
        ),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    review_date = forms.DateField(
        label=_("Review date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the owner must check that the article is still right."),
    )
    note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=300,
        help_text=_("What you changed, shown in the version history."),
    )

    def __init__(
        self, *args: Any, user: User, linked_tenders: Iterable[Tender] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        linked = [tender.pk for tender in linked_tenders]
        if linked:
            self.fields["related_tenders"].queryset = Tender.objects.filter(pk__in=linked).order_by(
                "-reference"
            )
        else:
            del self.fields["related_tenders"]
        newest = Tender.objects.exclude(pk__in=linked).order_by("-reference")
        self.fields["add_tenders"].queryset = Tender.objects.filter(
            pk__in=newest.values("pk")[:TENDER_CHOICES]
        ).order_by("-reference")
        # The owner is someone who can keep the article up to date: the secretariat or a
        # writer of the author's organisation.
        people = User.objects.filter(is_active=True, role__in=EDITOR_ROLES)
        if user.role not in SECRETARIAT_ROLES:
            people = people.filter(
                Q(organisation_id=user.organisation_id) | Q(role__in=SECRETARIAT_ROLES)
            )
        self.fields["owner"].queryset = people.select_related("organisation").order_by(
            "organisation__name", "full_name"
        )
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.organisation})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The services take one list: the links kept plus the ones added.
        data["related_tenders"] = [
            *data.get("related_tenders", []),
            *data.pop("add_tenders", []),
        ]
        return data


class PreviewForm(forms.Form):
    body = forms.CharField(required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in TRANSITIONS])
    comment = forms.CharField(required=False, max_length=4000)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("DOCX, XLSX or PDF, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.pdf"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices]
    )
    tag = forms.ChoiceField(
        label=_("Aim or lever"),
        required=False,
        choices=[
            ("", _("All aims and levers")),
            (_("Aims"), Aim.choices),
            (_("Levers"), Lever.choices),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return SearchFilters(
            query=data.get("q", ""),
            kind=data.get("kind", ""),
            tag=data.get("tag", ""),
            phase=data.get("phase", ""),
            status=data.get("status", ""),
        )
