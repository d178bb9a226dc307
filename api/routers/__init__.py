"""One module per area of the API. Each defines `router` (a ninja Router) and `PREFIX`.

The API mounts every module found here (api/api.py), so an area — agreements, knowledge,
compliance — is added by adding its file, nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType


def area_modules() -> Iterator[ModuleType]:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            yield importlib.import_module(f"{__name__}.{module.name}")
