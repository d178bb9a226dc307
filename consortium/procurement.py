"""The procurement vocabulary every app shares: the procedure types of the procurement rules.

A member's commitment binds it to procedure types, a tender is run under one, renewal planning
and the OCDS publication read them; none of these apps owns the vocabulary, so it lives here.
The values are stored in the database (tenders, commitments): never change one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureType(models.TextChoices):
    OPEN = "open", _("Open procedure")
    RESTRICTED = "restricted", _("Restricted procedure")
    NEGOTIATED = "negotiated", _("Competitive procedure with negotiation")
    DIALOGUE = "dialogue", _("Competitive dialogue")
    MINI_COMPETITION = "mini_competition", _("Framework agreement with mini-competition")
    DPS = "dps", _("Dynamic purchasing system")
    BELOW_THRESHOLD = "below_threshold", _("Below-threshold procedure")
