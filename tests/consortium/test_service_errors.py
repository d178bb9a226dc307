"""A service's refusal shown on a form: at the field it names, else above the form, in Danish."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from accounts.models import Organisation
from consortium.forms import add_service_errors


class NameForm(forms.Form):
    name = forms.CharField(label="Navn")
    reason = forms.CharField(label="Begrundelse", required=False)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name"]


def _form(form_class: type[forms.BaseForm] = NameForm) -> forms.BaseForm:
    form = form_class({"name": "Odense", "reason": ""})
    assert form.is_valid()
    return form


def test_a_message_for_a_field_of_the_form_is_shown_at_that_field() -> None:
    form = _form()
    add_service_errors(form, ValidationError({"name": "Navnet er optaget."}))
    assert form.errors["name"] == ["Navnet er optaget."]
    assert form.non_field_errors() == []
    assert "name" not in form.cleaned_data


def test_a_key_named_differently_by_the_service_reaches_its_field() -> None:
    form = _form()
    add_service_errors(
        form,
        ValidationError({"termination_reason": "Giv en begrundelse."}),
        fields={"termination_reason": "reason"},
    )
    assert form.errors["reason"] == ["Giv en begrundelse."]


def test_non_field_errors_of_the_service_go_above_the_form() -> None:
    form = _form()
    add_service_errors(form, ValidationError({NON_FIELD_ERRORS: ["Perioden overlapper."]}))
    assert form.non_field_errors() == ["Perioden overlapper."]
    assert "name" not in form.errors


def test_an_unknown_key_goes_above_the_form_without_the_raw_key() -> None:
    form = _form()
    add_service_errors(form, ValidationError({"slug": ["Findes allerede.", "For langt."]}))
    assert form.non_field_errors() == ["Findes allerede.", "For langt."]
    assert "slug" not in str(form.errors)


def test_an_unknown_key_is_introduced_by_the_label_given() -> None:
    form = _form()
    add_service_errors(
        form,
        ValidationError({"publication": "Datoen er en helligdag."}),
        labels={"publication": "Offentliggørelse"},
    )
    assert form.non_field_errors() == ["Offentliggørelse: Datoen er en helligdag."]


@pytest.mark.django_db
def test_an_unknown_key_of_a_model_form_is_introduced_by_the_model_fields_danish_name() -> None:
    form = _form(OrganisationForm)
    with translation.override("da"):
        add_service_errors(form, ValidationError({"slug": "Findes allerede."}))
        assert form.non_field_errors() == ["Kortnavn: Findes allerede."]


def test_a_plain_list_of_messages_goes_above_the_form() -> None:
    form = _form()
    add_service_errors(form, ValidationError(["Udbuddet er låst.", "Fristen er overskredet."]))
    assert form.non_field_errors() == ["Udbuddet er låst.", "Fristen er overskredet."]
    add_service_errors(form, ValidationError("Prøv igen."))
    assert form.non_field_errors()[-1] == "Prøv igen."


def test_messages_keep_their_parameters() -> None:
    form = _form()
    error = ValidationError("Højst %(limit)s tegn.", params={"limit": 60})
    add_service_errors(form, ValidationError({"name": [error], "other": [error]}))
    assert form.errors["name"] == ["Højst 60 tegn."]
    assert form.non_field_errors() == ["Højst 60 tegn."]


def test_a_prefixed_key_lands_on_the_row_it_names() -> None:
    form = _form()
    rows = [_form(), _form()]
    add_service_errors(
        form,
        ValidationError(
            {
                "line_items.1.name": "Samme nummer som en anden linje.",
                "line_items.0.quantity": "Skal være positiv.",
                "line_items.7.name": "Ingen sådan linje.",
            }
        ),
        subforms={f"line_items.{i}": row for i, row in enumerate(rows)},
    )
    assert rows[1].errors["name"] == ["Samme nummer som en anden linje."]
    assert rows[0].non_field_errors() == ["Skal være positiv."]
    assert form.non_field_errors() == ["Ingen sådan linje."]
