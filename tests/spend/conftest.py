from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def danish():
    """Import errors are read in Danish, as the users read them."""
    with translation.override("da"):
        yield
