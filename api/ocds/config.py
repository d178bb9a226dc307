"""Whether the portal may publish OCDS: a registered ocid prefix and the publisher's CVR.

An ocid is `<prefix>-<reference>` for good: the prefix is registered with the Open Contracting
Partnership (`ocds-` and six letters or digits), and releases published under the placeholder
`ocds-xxxxxx` could never be tied to the consortium again. The publisher is named by its CVR
number (`DK-CVR`). Without both the portal does not publish in production: `manage.py check
--deploy` warns (`api.W001`, `api.W002`), and the OCDS endpoint and `export_ocds` refuse with
DEBUG off. With DEBUG on (development, the demo) the placeholder is allowed.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks
from stdnum.dk import cvr

PLACEHOLDER_PREFIX = "ocds-xxxxxx"
_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")


def prefix_problem() -> str | None:
    prefix = settings.OCDS_OCID_PREFIX or ""
    if prefix == PLACEHOLDER_PREFIX:
        return f"OCDS_OCID_PREFIX is the placeholder {PLACEHOLDER_PREFIX!r}"
    if not _PREFIX.match(prefix):
        return (
            f"OCDS_OCID_PREFIX {prefix!r} is not an ocid prefix (ocds- and six letters or digits)"
        )
    return None


def publisher_problem() -> str | None:
    number = settings.OCDS_PUBLISHER_CVR or ""
    if not number:
        return "OCDS_PUBLISHER_CVR is not set"
    if not cvr.is_valid(number):
        return f"OCDS_PUBLISHER_CVR {number!r} is not a valid CVR number"
    return None


def publication_problems() -> list[str]:
    """What stops the portal from publishing (empty when it may)."""
    return [p for p in (prefix_problem(), publisher_problem()) if p]


def may_publish() -> bool:
    """Production publishes only when configured; development (DEBUG) always may."""
    return settings.DEBUG or not publication_problems()


@checks.register("ocds", deploy=True)
def check_ocds_publication(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    warnings = []
    if problem := prefix_problem():
        warnings.append(
            checks.Warning(
                problem,
                hint="Register an ocid prefix with the Open Contracting Partnership and set it "
                "in OCDS_OCID_PREFIX; until then the OCDS endpoint publishes nothing.",
                id="api.W001",
            )
        )
    if problem := publisher_problem():
        warnings.append(
            checks.Warning(
                problem,
                hint="Set OCDS_PUBLISHER_CVR to the CVR number of the publishing organisation; "
                "until then the OCDS endpoint publishes nothing.",
                id="api.W002",
            )
        )
    return warnings
