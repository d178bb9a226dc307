"""Time `make test` from a fresh clone of this repository, setup included.

Clones the committed HEAD into a temporary folder (with `shared/` beside it, as CI has it), runs
`make test` there with the environment CI runs it in, and prints the wall time. Packages come from
the machine's caches (uv, npm, apt) exactly as they would for CI on this machine.

Run as `.venv/bin/python bench/make_test_wall.py [--runs N]`; exits non-zero if a run fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(workdir: Path) -> tuple[float, str]:
    clone = workdir / "main"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (workdir / "shared").symlink_to(shared)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST"))}
    env["CI"] = "true"
    started = time.monotonic()
    result = subprocess.run(
        ["make", "test"], cwd=clone, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    tail = "\n".join(result.stdout.splitlines()[-5:])
    if result.returncode != 0:
        print(result.stdout[-20000:])
        raise SystemExit(f"make test failed (exit {result.returncode})")
    subprocess.run(["make", "stop"], cwd=clone, stdout=subprocess.DEVNULL, check=False)
    return elapsed, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    walls = []
    for n in range(args.runs):
        workdir = Path(tempfile.mkdtemp(prefix="make-test-wall-"))
        try:
            elapsed, tail = one_run(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        walls.append(elapsed)
        print(f"run {n + 1}: {elapsed:.0f} s\n{tail}", file=sys.stderr)
    print(f"figure: make_test_wall {max(walls):.0f} s")


if __name__ == "__main__":
    main()
