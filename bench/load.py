"""Load test: latency of the main pages and API calls under 16 concurrent users.

Starts gunicorn on loopback with the production settings (DEBUG off, the Dockerfile's worker
count; the requests carry `X-Forwarded-Proto: https` as the reverse proxy's do) against an
existing database — by default the large data set of `seed_demo --scale large` — and drives it
with locust, headless, for a bounded time: a mix of the pages and API calls of the five roles
(procurement officers, member viewers, secretariat staff, an administrator, board members), each
user waiting 0.5–2 s between requests. Ends with one line per page:

    figure: p50_<page> N ms
    figure: p95_<page> N ms
    figure: p99_<page> N ms

Run:
    DATABASE_URL=postgres://portal_app@127.0.0.1:5432/wt_scale_large \\
        nice -n 10 .venv/bin/python bench/load.py [--users 16] [--seconds 120] [--workers 3]

The users are the demo users (their sessions are made in the database before the run, so the
run measures pages, not sign-ins); MFA is off for the run (`REQUIRE_MFA_FOR_SECRETARIAT=false`)
and the API throttle is raised, as both would only measure refusals. Before the run the
dashboards the beat job keeps current are computed once, as that job does after every change
(`reports.tasks.keep_figures_current`), and the users run for `--warmup` seconds (60) before
the measured ones, as the figures kept per member are computed at their first request.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # before anything imports ssl or sockets: locust runs on gevent

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._mix import MIX, ROLES, SHARE  # noqa: E402

PREPARE = """
import json, sys
import django
django.setup()
from django.test import Client
from accounts.access import member_of
from accounts.models import User
from agreements.models import Agreement
from api.models import ApiToken
from api.services import api_token_create
from consortium import tenancy
from knowledge.models import Article, Status
from tenders.models import Tender

roles = json.loads(sys.argv[1])
out = {"users": {}}
with tenancy.acting_as(tenancy.SYSTEM):
    for role, emails in roles.items():
        out["users"][role] = []
        for email in emails:
            user = User.objects.filter(email=email).first()
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            member = member_of(user)
            token = None
            if role in ("officer", "viewer", "staff", "board"):
                _t, token = api_token_create(user=user, name="load test", scope=ApiToken.Scope.READ,
                                             valid_days=1)
            out["users"][role].append({
                "email": email, "session": client.cookies["sessionid"].value, "token": token,
                "member": member.pk if member else None,
            })
    out["tenders"] = list(Tender.objects.order_by("-pk").values_list("reference", flat=True)[:200])
    out["agreements"] = list(Agreement.objects.order_by("-pk").values_list("pk", flat=True)[:200])
    out["articles"] = list(Article.objects.filter(status=Status.PUBLISHED)
                           .order_by("-pk").values_list("pk", flat=True)[:200])
    out["members"] = sorted({u["member"] for us in out["users"].values() for u in us
                             if u["member"]})
# What the beat job does after every change: the secretariat's and the board's dashboards.
from reports.tasks import keep_figures_current
keep_figures_current()
print(json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str) -> dict[str, str]:
    import environ

    environ.Env.read_env(str(ROOT / ".env"), overwrite=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "consortium.settings",
            "PORTAL_ENV_FILE": "/dev/null",  # only what is given here
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-" + "x" * 54),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "STATIC_MANIFEST": "false",
            "REQUIRE_MFA_FOR_SECRETARIAT": "false",
            "API_THROTTLE_RATE": "100000/m",
        }
    )
    return env


def _wait_for(url: str, seconds: float) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — loopback
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (Dockerfile: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--warmup", type=int, default=60,
        help="seconds of the same load before the measured ones (not counted)",
    )  # fmt: skip
    args = parser.parse_args()

    import environ

    environ.Env.read_env(str(ROOT / ".env"), overwrite=False)
    database_url = os.environ["DATABASE_URL"]
    env = _env(database_url)
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE, json.dumps(ROLES)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if prepared.returncode:
        sys.exit(prepared.stderr[-3000:])
    world = json.loads(prepared.stdout.strip().splitlines()[-1])

    port = _free_port()
    log = tempfile.NamedTemporaryFile("w", prefix="load-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "consortium.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", 60)
        stats = run_locust(
            f"http://127.0.0.1:{port}", world, args.users, args.seconds, args.seed, args.warmup
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(stats, args)


def run_locust(
    host: str, world: dict, users: int, seconds: int, seed: int, warmup: int = 0
) -> dict:
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    rng = random.Random(seed)

    def make_user_class(role: str) -> type:
        pages = MIX[role]
        names = list(pages)
        weights = [pages[n][1] for n in names]
        accounts = world["users"][role]

        class RoleUser(HttpUser):
            wait_time = between(0.5, 2.0)
            weight = SHARE[role]

            def on_start(self) -> None:
                self.account = accounts[rng.randrange(len(accounts))]
                self.headers = {
                    "X-Forwarded-Proto": "https",
                    "Cookie": f"sessionid={self.account['session']}",
                    "Accept-Language": "da",
                }

            @task
            def visit(self) -> None:
                name = rng.choices(names, weights)[0]
                member = self.account["member"] or rng.choice(world["members"])
                path = pages[name][0].format(
                    member=member,
                    tender=rng.choice(world["tenders"]),
                    agreement=rng.choice(world["agreements"]),
                    article=rng.choice(world["articles"]),
                )
                headers = dict(self.headers)
                if path.startswith("/api/"):
                    headers = {"X-Forwarded-Proto": "https",
                               "Authorization": f"Bearer {self.account['token']}"}  # fmt: skip
                with self.client.get(path, headers=headers, name=name, catch_response=True,
                                     allow_redirects=False) as response:  # fmt: skip
                    if response.status_code != 200:
                        response.failure(f"{response.status_code} for {path}")

        RoleUser.__name__ = f"{role.title()}User"
        return RoleUser

    classes = [make_user_class(role) for role in MIX if world["users"].get(role)]
    environment = Environment(user_classes=classes, host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    if warmup:
        # The first requests after a start compute what is kept between requests (each
        # member's start page and scorecard); a deployment has long done so.
        gevent.sleep(warmup)
        environment.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    stats = {}
    for entry in environment.stats.entries.values():
        stats[entry.name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
    stats["_errors"] = {
        str(e.error)[:200]: e.occurrences for e in environment.stats.errors.values()
    }
    return stats


def report(stats: dict, args: argparse.Namespace) -> None:
    errors = stats.pop("_errors")
    total = sum(s["requests"] for s in stats.values())
    failed = sum(s["failures"] for s in stats.values())
    print(
        f"{total} requests in {args.seconds} s at {args.users} users, {failed} failed, "
        f"load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    for error, count in sorted(errors.items(), key=lambda e: -e[1])[:10]:
        print(f"  {count}× {error}", file=sys.stderr)
    for name in sorted(stats):
        s = stats[name]
        print(f"# {name}: {s['requests']} requests, {s['failures']} failed", file=sys.stderr)
    for name in sorted(stats):
        for p in ("p50", "p95", "p99"):
            print(f"figure: {p}_{name} {stats[name][p]:.0f} ms")


if __name__ == "__main__":
    main()
