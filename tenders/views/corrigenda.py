"""The secretariat's corrigendum page: change a published tender's conditions, saying what and why.

The page offers what a corrigendum may change — description, bid deadline, award criteria, the
lots' texts and price schedule lines — filled in with the tender as published; the service
(`services.corrigendum_issue`) records only what really changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import secretariat_only

from .. import services, workflow
from ..forms import (
    BaseCriterionFormSet,
    CorrigendumForm,
    CorrigendumLotForm,
    LineItemFormSet,
    criteria_formset,
)
from ..models import MilestoneKind, Tender
from .common import _tender

MILESTONE_LABELS = dict(MilestoneKind.choices)


def _unbound(form: forms.Form) -> forms.Form:
    """An unbound copy of a posted form showing what was typed, without its errors."""
    return type(form)(
        prefix=form.prefix, initial={name: form[name].value() for name in form.fields}
    )


def _unbound_items(formset: forms.BaseFormSet) -> forms.BaseFormSet:
    rows = []
    for form in formset.forms:
        values = {name: form[name].value() for name in form.fields if name != "DELETE"}
        if any(str(v or "").strip() for v in values.values()) and not form["DELETE"].value():
            rows.append(values)
    return type(formset)(prefix=formset.prefix, initial=rows)


class LotPart:
    """One lot on the page: its texts and its price schedule lines."""

    def __init__(self, lot: Any, data: QueryDict | None) -> None:
        self.lot = lot
        prefix = f"lot{lot.number}"
        self.form = CorrigendumLotForm(
            data, prefix=prefix, initial={"title": lot.title, "description": lot.description}
        )
        self.items = LineItemFormSet(
            data,
            prefix=f"{prefix}-items",
            initial=[
                {"number": i.number, "description": i.description, "unit": i.unit,
                 "quantity": i.quantity}
                for i in lot.line_items.all()
            ],
        )  # fmt: skip

    def rows(self) -> list[forms.Form]:
        return [f for f in self.items.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def change(self) -> services.LotChange:
        return services.LotChange(
            title=self.form.cleaned_data["title"],
            description=self.form.cleaned_data["description"],
            items=[row.cleaned_data for row in self.rows()],
        )


class CorrigendumPage:
    """Every form of the page, validated and refused together."""

    def __init__(self, tender: Tender, data: QueryDict | None) -> None:
        self.adding = data is not None and "add_row" in data
        self.form = CorrigendumForm(
            data,
            initial={"description": tender.description, "bid_deadline": tender.bid_deadline},
        )
        self.criteria: BaseCriterionFormSet = criteria_formset(data, criteria=tender.criteria.all())
        self.lots = [LotPart(lot, data) for lot in tender.lots.prefetch_related("line_items")]
        if self.adding:  # "add a criterion": show what was typed, without errors
            self.form = _unbound(self.form)
            for part in self.lots:
                part.form = _unbound(part.form)
                part.items = _unbound_items(part.items)

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.criteria.is_valid()]
        for part in self.lots:
            results += [part.form.is_valid(), part.items.is_valid()]
        return all(results)

    def issue(self, *, user: Any, tender: Tender) -> Any:
        data = self.form.cleaned_data
        return services.corrigendum_issue(
            user=user,
            tender=tender,
            reason=data["reason"],
            summary=data["summary"],
            description=data["description"],
            bid_deadline=data["bid_deadline"],
            criteria=self.criteria.criteria(),
            lots={part.lot.number: part.change() for part in self.lots},
        )

    def add_service_errors(self, exc: ValidationError) -> None:
        """Each of the service's messages at the field it names, else at the top of the page."""
        if not hasattr(exc, "error_dict"):
            self.form.add_error(None, exc)
            return
        parts = {str(part.lot.number): part for part in self.lots}
        for key, errors in exc.error_dict.items():
            messages_ = ValidationError(errors).messages
            if key == "criteria":
                self.criteria._non_form_errors.extend(messages_)
                continue
            if key in self.form.fields:
                self.form.add_error(key, messages_)
                continue
            head, _dot, rest = key.partition(".")
            if head == "lots":
                number, _dot, field = rest.partition(".")
                part = parts.get(number)
                if part is not None:
                    self._lot_error(part, field, messages_)
                    continue
            if key == NON_FIELD_ERRORS:
                self.form.add_error(None, messages_)
                continue
            label = MILESTONE_LABELS.get(key, "")
            for message in messages_:
                self.form.add_error(None, f"{label}: {message}" if label else message)

    @staticmethod
    def _lot_error(part: LotPart, field: str, messages_: list[str]) -> None:
        if field in part.form.fields:
            part.form.add_error(field, messages_)
            return
        _head, _dot, rest = field.partition(".")  # line_items.<i>.<field>
        index, _dot, name = rest.partition(".")
        rows = part.rows()
        if index.isdigit() and int(index) < len(rows) and name in rows[int(index)].fields:
            rows[int(index)].add_error(name, messages_)
        else:
            part.form.add_error(None, messages_)

    def error_items(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of every error on the page, for the summary at the top."""
        items: list[tuple[str, str, str]] = []

        def of_form(form: forms.Form, prefix_label: str, anchor: str) -> None:
            for message in form.non_field_errors():
                items.append((anchor, prefix_label, message))
            for name, errors in form.errors.items():
                if name in form.fields:
                    label = form.fields[name].label
                    label = f"{prefix_label}, {label}" if prefix_label else str(label)
                    items.extend((form[name].auto_id, label, m) for m in errors)

        if self.adding:
            return items
        of_form(self.form, "", "corrigendum-what")
        items.extend(
            ("criteria-rows", _("Award criteria"), m) for m in self.criteria.non_form_errors()
        )
        items.extend(self.criteria.error_items())
        for part in self.lots:
            lot_label = _("Lot %(number)s") % {"number": part.lot.number}
            of_form(part.form, lot_label, f"lot-{part.lot.number}")
            for index, row in enumerate(part.items.forms, start=1):
                if row.errors and not row.data.get(row.add_prefix("DELETE")):
                    line = _("Lot %(number)s, line %(n)s") % {
                        "number": part.lot.number,
                        "n": index,
                    }
                    of_form(row, line, f"lot-{part.lot.number}")
        return items


@require_http_methods(["GET", "POST"])
@secretariat_only
def corrigendum_create(request: HttpRequest, reference: str) -> HttpResponse:
    tender = _tender(reference)
    refusals = workflow.corrigendum_errors(tender)
    if refusals:
        for message in refusals:
            messages.error(request, message)
        return redirect(tender.get_absolute_url() + "#corrigenda")
    page = CorrigendumPage(tender, request.POST if request.method == "POST" else None)
    if request.method == "POST" and not page.adding and page.is_valid():
        try:
            corrigendum = page.issue(user=request.user, tender=tender)
        except ValidationError as exc:
            page.add_service_errors(exc)
        else:
            messages.success(
                request,
                _(
                    "Corrigendum no. %(number)s has been issued. The tender documents are being "
                    "rendered again and the participating members are notified."
                )
                % {"number": corrigendum.number},
            )
            return redirect(tender.get_absolute_url() + "#corrigenda")
    return TemplateResponse(
        request,
        "tenders/corrigendum_form.html",
        {
            "tender": tender,
            "page": page,
            "form": page.form,
            "formset": page.criteria,
            "number": tender.corrigenda.count() + 1,
        },
        status=400 if request.method == "POST" and not page.adding else 200,
    )
