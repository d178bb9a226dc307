import pytest
from tests.access.matrix import all_cases, url_keys
from tests.access.test_matrix import NOT_CLASSIFIED, _outcome, _path
from tests.conftest import build_cast, client_for
from tests.access.test_matrix import World
import tests.access.cases_sso as cs

@pytest.mark.django_db
def test_print():
    covered = {c.key for c in all_cases()}
    print("UNCLASSIFIED", [k for k, r in url_keys() if k not in covered and k not in NOT_CLASSIFIED])
    world = World(cast=build_cast())
    cs.setup(world)
    for case in cs.CASES:
        for role in ("anonymous", "admin", "viewer"):
            client = client_for(world.cast.user(role))
            path = _path(case, world)
            data = case.data(world) if callable(case.data) else case.data
            try:
                r = getattr(client, case.method)(path, data)
                out = _outcome(r)
            except Exception as e:
                out = f"EXC {e!r}"
            if out != case.expect[role]:
                print("MISMATCH", case.id, role, "expected", case.expect[role], "got", out, r.get("Location", "") if not str(out).startswith("EXC") else "")
