"""Forms for every page of the project: design-system rendering and a service's refusals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils.text import capfirst

# Design-system class of each widget's input element.
WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "form-checkbox"),
    (forms.RadioSelect, "form-radio"),
    (forms.CheckboxInput, "form-checkbox"),
    (forms.ClearableFileInput, "form-file-input"),
    (forms.FileInput, "form-file-input"),
    (forms.Select, "form-select"),
    (forms.Textarea, "form-input"),
    (Input, "form-input"),
]


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        for widget_type, css in WIDGET_CLASSES:
            if isinstance(widget, widget_type):
                attrs["class"] = f"{css} {attrs.get('class', '')}".strip()
                break
        return attrs


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = PortalBoundField


def add_service_errors(
    form: forms.BaseForm,
    exc: ValidationError,
    *,
    fields: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    subforms: Mapping[str, forms.BaseForm] | None = None,
) -> None:
    """Show a service's refusal on the form: each message at the field it names, else above it.

    A service names fields by its own keys. `fields` maps a key to the form's field for it where
    the names differ; `subforms` maps a prefix to a nested form (a formset's row), so the key
    "<prefix>.<field>" lands on that row. A key the form has no field for is shown above the form,
    introduced by its label from `labels`, else by the verbose name of the model field of a
    ModelForm, else by nothing: the raw key never reaches the page, and no key makes this fail.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, ValidationError(exc.error_list))
        return
    fields, labels, subforms = fields or {}, labels or {}, subforms or {}
    for key, errors in exc.error_dict.items():
        target, name = form, fields.get(key, key)
        prefix, dot, rest = key.rpartition(".")
        if dot and prefix in subforms:
            target, name = subforms[prefix], rest
        if name == NON_FIELD_ERRORS:
            target.add_error(None, ValidationError(errors))
        elif name in target.fields:
            target.add_error(name, ValidationError(errors))
        else:
            label = labels.get(key) or _model_field_label(target, name)
            for message in ValidationError(errors).messages:
                target.add_error(None, f"{label}: {message}" if label else message)


def _model_field_label(form: forms.BaseForm, name: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    return capfirst(str(getattr(field, "verbose_name", ""))) or ""


def search_query(request: Any, max_length: int = 200) -> str:
    """The `q` of a list's search box as plain text: trimmed, cut to `max_length`, without NUL
    and other control characters (PostgreSQL refuses NUL in text, which made such a search
    crash the page instead of finding nothing)."""
    raw = request.GET.get("q", "")
    return "".join(c for c in raw if c.isprintable()).strip()[:max_length]
