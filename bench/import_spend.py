"""Benchmark: import a 1,000,000-line Danish ERP CSV end to end, against `psql \\copy` of the same rows.

Creates its own database (consortium_bench_spend), migrates it, writes a CSV in the format Danish
ERPs export (semicolons, decimal commas, thousands dots, dd-mm-yyyy, Windows-1252), runs
`manage.py import_spend` on it in a child process (end to end: start-up, reading, validation,
writing), reads the child's peak resident memory, then exports the clean rows the import wrote,
empties the table and times `psql \\copy` of exactly those rows into the same table with the same
indexes. Drops the database afterwards.

    .venv/bin/python bench/import_spend.py [--lines 1000000]

With `--large` (bench/_large.py) it imports the same file for one existing member of the
database DATABASE_URL names (`--municipality`, 461 by default), exports the rows the import
wrote, withdraws the import (its lines go), and times `psql \\copy` (as the owner role) of
exactly those rows into the same table, beside the lines already there and under the same
statement triggers; then it deletes the copied rows, the import, the suppliers and supplier names
the file brought and the jobs its hooks queued, with their audit events, and vacuums the table.

    nice -n 10 .venv/bin/python bench/import_spend.py --large
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _large

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB = "consortium_bench_spend"
# The columns an import writes, as the copy baseline writes them.
COLUMNS = "member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id, invoice_number, fingerprint, spend_import_id"
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


def run_import(
    csv_path: Path, municipality: str, env: dict[str, str], tmp: Path
) -> tuple[float, float, dict]:
    """`manage.py import_spend` of the file in a child process: seconds, peak MB, its JSON."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    started = time.perf_counter()
    # Through a small parent whose only child is the import, so its peak memory is the
    # import's own (the migrate above ran in another child of this process).
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *manage, "import_spend", "--municipality", municipality, "--json", str(csv_path)],
        env={**env, "MEDIA_ROOT": str(tmp / "media")}, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mb = int(result.stderr.strip().splitlines()[-1]) / 1024
    if result.returncode != 0 or '"status": "imported"' not in result.stdout:
        raise SystemExit(f"import failed:\n{result.stdout[:2000]}\n{result.stderr[-3000:]}")
    return seconds, peak_mb, json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument(
        "--municipality", default="461", help="with --large: whose member imports the file"
    )
    _large.add_flag(parser)
    args = parser.parse_args()
    if args.large:
        main_large(args.lines, args.municipality)
        return
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

            import_seconds, peak_mb, _result = run_import(csv_path, "461", env, Path(tmp))
            count = int(psql(url, "-At", "-c", "SELECT count(*) FROM spend_spendline"))
            assert count == args.lines, count

            clean = Path(tmp) / "clean.csv"
            columns = COLUMNS
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


def main_large(lines: int, municipality: str) -> None:
    """The same measurement for one member of an existing database, which is left as it was."""
    _large.setup()
    from consortium import tenancy
    from members.models import Municipality
    from spend.models import SpendImport, SpendLine, Supplier, SupplierName
    from spend.services import spend_import_withdraw

    with tenancy.acting_as(tenancy.SYSTEM):
        code = municipality.zfill(3)
        member = Municipality.objects.select_related("member__organisation").get(code=code).member
        if member is None:
            raise SystemExit(f"No member has the municipality {code}.")
        lines_before = SpendLine.objects.count()
        last_supplier = Supplier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_name = SupplierName.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        since = _large.now()
    print(f"# {member} (municipality {code}); {lines_before:,} spend lines", file=sys.stderr)

    removed: list[dict[str, int]] = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        csv_path = tmp / "erp.csv"
        write_csv(csv_path, lines)
        size_mb = csv_path.stat().st_size / 1e6
        try:
            import_seconds, peak_mb, result = run_import(csv_path, code, dict(os.environ), tmp)
            with tenancy.acting_as(tenancy.SYSTEM):
                spend_import = SpendImport.objects.filter(
                    member=member, created_at__gte=since
                ).latest("created_at")
            if result["lines"] != lines:
                print(f"# {lines - result['lines']:,} lines were there already", file=sys.stderr)

            clean = tmp / "clean.csv"
            _large.psql_owner(
                "-c",
                f"\\copy (SELECT {COLUMNS} FROM spend_spendline WHERE spend_import_id = {spend_import.pk}) "  # noqa: S608
                f"TO '{clean}' (FORMAT csv)",
            )
            # The import withdrawn: its lines go, as a member's withdrawal takes them.
            with tenancy.acting_as(tenancy.SYSTEM):
                started = time.perf_counter()
                spend_import_withdraw(spend_import=spend_import, user=None)
                withdraw_seconds = time.perf_counter() - started
            # The dead rows gone, so the copy meets the table as the import did (its unique
            # index would otherwise find each copied key among the deleted ones).
            _large.psql_owner("-c", "VACUUM spend_spendline")
            started = time.perf_counter()
            _large.psql_owner(
                "-c", f"\\copy spend_spendline ({COLUMNS}) FROM '{clean}' (FORMAT csv)"
            )
            copy_seconds = time.perf_counter() - started
        finally:
            # Should this fail (the database refusing writes), it says what is left to remove.
            print(
                f"# removing what the run added: imports of member {member.pk} and jobs since "
                f"{since.isoformat()}, suppliers after id {last_supplier}, names after id "
                f"{last_name}",
                file=sys.stderr,
            )
            with tenancy.acting_as(tenancy.SYSTEM):
                added = list(SpendImport.objects.filter(member=member, created_at__gte=since))
            for each in added:
                # The copied rows carry the import's id (a failed import wrote none); then the
                # import itself.
                _large.psql_owner(
                    "-c",
                    f"DELETE FROM spend_spendline WHERE spend_import_id = {each.pk}",  # noqa: S608
                )
            removed.append(_large.remove(added))
            names = SupplierName.objects.filter(
                pk__gt=last_name, name__startswith="Leverandør ", name__endswith=" A/S"
            )
            removed.append(_large.remove(names))
            removed.append(
                _large.remove(
                    Supplier.objects.filter(pk__gt=last_supplier, spend_lines__isnull=True)
                )
            )
            removed.append(
                _large.remove_jobs(
                    since,
                    ["agreements.compliance_recompute", "climate.recompute"],
                    member.organisation_id,
                )
            )
            _large.psql_owner("-c", "VACUUM ANALYZE spend_spendline")
            _large.report(*removed)
    with tenancy.acting_as(tenancy.SYSTEM):
        lines_after = SpendLine.objects.count()
    assert lines_after == lines_before, (lines_before, lines_after)

    print(f"figure: import_spend_large_csv_size {size_mb:.0f} MB")
    print(f"figure: import_spend_large_lines {lines} lines into {lines_before:,}")
    print(f"figure: import_spend_large_seconds {import_seconds:.1f} s")
    print(f"figure: import_spend_large_withdraw_seconds {withdraw_seconds:.1f} s")
    print(f"figure: psql_copy_same_rows_large_seconds {copy_seconds:.1f} s")
    print(f"figure: import_spend_large_vs_copy_ratio {import_seconds / copy_seconds:.2f} x")
    print(f"figure: import_spend_large_peak_memory {peak_mb:.0f} MB")
    print(f"# {_large.machine()}", file=sys.stderr)


if __name__ == "__main__":
    main()
