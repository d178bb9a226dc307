"""How the API writes JSON: one renderer for every answer, also for answers kept rendered."""

from __future__ import annotations

from ninja import renderers


class JSONRenderer(renderers.JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # "Rengøring", not "Reng\\u00f8ring"
