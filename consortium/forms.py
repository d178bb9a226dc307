"""Forms for every page of the project: design-system rendering and a service's refusals."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .formatting import format_number

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


# A number written the Danish way: dots group thousands (in threes), a comma starts the decimals.
# 4.500 · 4500 · 850.000,00 · 850000,5. A dot followed by anything but groups of three digits
# (4.5, 850000.5, 1.23.456) is ambiguous between the Danish and the English way and is refused.
DANISH_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")


def parse_danish_decimal(text: str) -> Decimal | None:
    """The number in `text` written the Danish way, or None if it is not one (or ambiguous)."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    text = text.removesuffix("kr.").removesuffix("kr").strip()
    if not DANISH_NUMBER.match(text):
        return None
    try:
        number = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    return number if number.is_finite() else None


def danish_decimal_text(value: Any, decimals: int | None = None) -> str:
    """`value` written the Danish way whatever the page's language (the field reads only that):
    with `decimals` places, or as many as the number has (4.500, 4.500,5)."""
    if isinstance(value, str):
        parsed = parse_danish_decimal(value)
        if parsed is None:
            return value  # shown back as typed, next to the field's error
        value = parsed
    if value is None:
        return ""
    number = Decimal(value)
    if decimals is None:
        exponent = number.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    with translation.override("da"):
        return format_number(number, decimals)


class DanishDecimalInput(forms.TextInput):
    """A text input showing its number the Danish way, also when a refused form comes back."""

    def __init__(self, attrs: dict[str, Any] | None = None, decimals: int | None = None) -> None:
        super().__init__({"inputmode": "decimal", "class": "input-width-s", **(attrs or {})})
        self.decimals = decimals

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return danish_decimal_text(value, self.decimals)


class DanishDecimalField(forms.DecimalField):
    """A decimal typed and shown the Danish way: 4.500 · 4500 · 850.000,00 · 850000,5.

    `decimals` is how many places the field shows (2 for money; None shows as many as the value
    has). Ambiguous or garbled input (4.5, 850000.5, 1,2,3, abc) is refused with a Danish message.
    """

    widget = DanishDecimalInput
    default_error_messages = {
        "invalid": _("Write the number the Danish way, e.g. 4.500 or 850.000,00."),
    }

    def __init__(self, *, decimals: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DanishDecimalInput(decimals=decimals))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        number = parse_danish_decimal(str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return forms.Field.widget_attrs(self, widget)  # no step/min attributes on a text input


def search_query(request: Any, max_length: int = 200) -> str:
    """The `q` of a list's search box as plain text: trimmed, cut to `max_length`, without NUL
    and other control characters (PostgreSQL refuses NUL in text, which made such a search
    crash the page instead of finding nothing)."""
    raw = request.GET.get("q", "")
    return "".join(c for c in raw if c.isprintable()).strip()[:max_length]
