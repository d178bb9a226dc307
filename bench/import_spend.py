"""Benchmark: import a 1,000,000-line Danish ERP CSV end to end, against `psql \\copy` of the same rows.

Creates its own database (consortium_bench_spend), migrates it, writes a CSV in the format Danish
ERPs export (semicolons, decimal commas, thousands dots, dd-mm-yyyy, Windows-1252), runs
`manage.py import_spend` on it in a child process (end to end: start-up, reading, validation,
writing), reads the child's peak resident memory, then exports the clean rows the import wrote,
empties the table and times `psql \\copy` of exactly those rows into the same table with the same
indexes. Drops the database afterwards.

    .venv/bin/python bench/import_spend.py [--lines 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "consortium_bench_spend"
MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)"
)


def database_url() -> str:
    import environ

    env = environ.Env()
    environ.Env.read_env(ROOT / ".env")
    base = env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/consortium")
    return base.rsplit("/", 1)[0] + "/" + DB


def psql(url: str, *args: str, db: str | None = None) -> str:
    target = url if db is None else url.rsplit("/", 1)[0] + "/" + db
    return subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", target, *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def valid_cvrs(count: int, rng: random.Random) -> list[str]:
    weights = [2, 7, 6, 5, 4, 3, 2]
    found: list[str] = []
    while len(found) < count:
        body = str(rng.randrange(1_000_000, 9_999_999))
        check = (11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11) % 11
        if check < 10:
            found.append(body + str(check))
    return found


def write_csv(path: Path, lines: int) -> None:
    rng = random.Random(2026)
    cvrs = valid_cvrs(2_000, rng)
    names = [f"Leverandør {i} A/S" for i in range(len(cvrs))]
    weights = [1 / (i + 1) for i in range(len(cvrs))]
    suppliers = rng.choices(range(len(cvrs)), weights=weights, k=lines)
    cpvs = ["30192000", "30200000", "15000000", "90910000", "39100000", "34100000", "44103103", ""]
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Bilagsdato;CVR-nr.;Kreditor;Beløb ekskl. moms;Konto;Kategori;Fakturanr\r\n")
        for i, s in enumerate(suppliers):
            kroner = rng.randrange(1, 250_000)
            amount = f"{kroner:,}".replace(",", ".") + f",{rng.randrange(100):02d}"
            fh.write(
                f"{1 + i % 28:02d}-{1 + i % 12:02d}-{2023 + i % 3};{cvrs[s]};{names[s]};{amount};"
                f"44{i % 50:02d};{cpvs[i % len(cpvs)]};F{i:08d}\r\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    url = database_url()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "consortium.settings"}
    psql(url, "-c", f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(url, "-c", f"CREATE DATABASE {DB}", db="postgres")
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
        subprocess.run(
            [*manage, "shell", "-c", "from members import demo; demo.seed()"],
            check=True, env=env, cwd=ROOT, capture_output=True,
        )  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            csv_path = Path(tmp) / "erp.csv"
            write_csv(csv_path, args.lines)
            size_mb = csv_path.stat().st_size / 1e6

            started = time.perf_counter()
            # Through a small parent whose only child is the import, so its peak memory is the
            # import's own (the migrate above ran in another child of this process).
            result = subprocess.run(
                [sys.executable, "-c", MEASURE, *manage, "import_spend", "--municipality", "461", "--json", str(csv_path)],
                env={**env, "MEDIA_ROOT": str(Path(tmp) / "media")}, cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            import_seconds = time.perf_counter() - started
            peak_mb = int(result.stderr.strip().splitlines()[-1]) / 1024
            if result.returncode != 0 or '"status": "imported"' not in result.stdout:
                raise SystemExit(f"import failed:\n{result.stdout[:2000]}\n{result.stderr[-3000:]}")
            count = int(psql(url, "-At", "-c", "SELECT count(*) FROM spend_spendline"))
            assert count == args.lines, count

            clean = Path(tmp) / "clean.csv"
            columns = "member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id, invoice_number, fingerprint, spend_import_id"
            export = f"\\copy (SELECT {columns} FROM spend_spendline) TO '{clean}' (FORMAT csv)"  # noqa: S608
            psql(url, "-c", export)
            psql(url, "-c", "TRUNCATE spend_spendline CASCADE")  # and spend_spendlineimport
            psql(url, "-c", "VACUUM ANALYZE spend_spendline")
            started = time.perf_counter()
            psql(url, "-c", f"\\copy spend_spendline ({columns}) FROM '{clean}' (FORMAT csv)")
            copy_seconds = time.perf_counter() - started
    finally:
        psql(url, "-c", f"DROP DATABASE IF EXISTS {DB}", db="postgres")

    print(f"figure: import_spend_csv_size {size_mb:.0f} MB")
    print(f"figure: import_spend_lines {args.lines} lines")
    print(f"figure: import_spend_seconds {import_seconds:.1f} s")
    print(f"figure: psql_copy_same_rows_seconds {copy_seconds:.1f} s")
    print(f"figure: import_spend_vs_copy_ratio {import_seconds / copy_seconds:.2f} x")
    print(f"figure: import_spend_peak_memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
