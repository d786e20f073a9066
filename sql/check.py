"""Proves that order cells computed by the SQL give the direct path's results.

Run by `./x test` (see `sql_check` there) inside a venv with the pinned
duckdb and sqlglot of sql/requirements.txt:

    python sql/check.py --segscope target/release/segscope --work DIR

For each dataset — a generated demo (100,000 lines with products,
customers and cost pools) by week and by month, and the Superstore export of
core/tests/data by week — it:

1. loads the order lines into DuckDB as the `orders` view of SPEC §1.1;
2. runs sql/duckdb/order_cells.sql for the bucket and writes cells.csv;
3. runs sql/spark/order_cells.sql, translated by sqlglot from Spark SQL into
   DuckDB's dialect, and checks that it gives the same cells;
4. runs `segscope run` once on the order lines and once on the cells, with
   the same products, customers, cost pools and configuration;
5. compares every result file cell by cell (see `compare`).

Exits non-zero with the differences when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import duckdb
import sqlglot

ROOT = Path(__file__).resolve().parent.parent
DUCKDB_SQL = ROOT / "sql" / "duckdb" / "order_cells.sql"
SPARK_SQL = ROOT / "sql" / "spark" / "order_cells.sql"
SUPERSTORE = ROOT / "core" / "tests" / "data" / "superstore.csv"

# The result files of SPEC §7 and the README that both paths write.
RESULTS = [
    "skus.csv",
    "policies.csv",
    "frontier.csv",
    "customers.csv",
    "pools.csv",
    "tiers.csv",
    "cost_breakdown.csv",
    "what_if.csv",
    "forecast_exceptions.csv",
]

# Floating-point sums in another order can differ in their last bits (see
# docs/aggregates.md, "Exactness"); anything beyond this relative
# difference is a real disagreement.
RELATIVE = 1e-9

# (name, passed) of every check, for the closing line.
CHECKS: list[tuple[str, bool]] = []

SPEC_COLUMNS = """
    order_id VARCHAR, order_date DATE, sku VARCHAR, quantity DOUBLE,
    customer_id VARCHAR, unit_price DOUBLE, line_revenue DOUBLE,
    unit_cost DOUBLE, line_cost DOUBLE, line_margin DOUBLE, weight_kg DOUBLE,
    ship_mode VARCHAR, warehouse VARCHAR, region VARCHAR, channel VARCHAR,
    promo BOOLEAN
"""


def demo_orders_view(path: Path) -> str:
    """The demo export as SPEC §1.1's `orders` (it has no line_cost or line_margin)."""
    return f"""
        CREATE OR REPLACE VIEW orders AS
        SELECT order_id, CAST(order_date AS DATE) AS order_date, sku,
               CAST(quantity AS DOUBLE) AS quantity, customer_id,
               CAST(unit_price AS DOUBLE) AS unit_price,
               CAST(line_revenue AS DOUBLE) AS line_revenue,
               CAST(unit_cost AS DOUBLE) AS unit_cost,
               CAST(NULL AS DOUBLE) AS line_cost, CAST(NULL AS DOUBLE) AS line_margin,
               CAST(weight_kg AS DOUBLE) AS weight_kg,
               ship_mode, warehouse, region, channel,
               CAST(promo AS BOOLEAN) AS promo
        FROM read_csv('{path}', header = true, all_varchar = true)
    """


def superstore_orders_view(path: Path) -> str:
    """Superstore's headers mapped as segscope maps them (Sales = line_revenue,
    Profit = line_margin, Product ID = sku, dates month-first); the file is
    read here from a UTF-8 copy."""
    return f"""
        CREATE OR REPLACE VIEW orders AS
        SELECT "Order ID" AS order_id,
               CAST(strptime("Order Date", '%m/%d/%Y') AS DATE) AS order_date,
               "Product ID" AS sku, CAST("Quantity" AS DOUBLE) AS quantity,
               "Customer ID" AS customer_id,
               CAST(NULL AS DOUBLE) AS unit_price,
               CAST("Sales" AS DOUBLE) AS line_revenue,
               CAST(NULL AS DOUBLE) AS unit_cost, CAST(NULL AS DOUBLE) AS line_cost,
               CAST("Profit" AS DOUBLE) AS line_margin,
               CAST(NULL AS DOUBLE) AS weight_kg,
               "Ship Mode" AS ship_mode, CAST(NULL AS VARCHAR) AS warehouse,
               "Region" AS region, CAST(NULL AS VARCHAR) AS channel,
               CAST(NULL AS BOOLEAN) AS promo
        FROM read_csv('{path}', header = true, all_varchar = true)
    """


def query(path: Path) -> str:
    """A SQL file without its comments' trailing semicolon, ready to wrap."""
    return path.read_text().strip().rstrip(";")


def spark_as_duckdb(bucket: str) -> str:
    """The Spark file with its variable set, translated into DuckDB's dialect."""
    spark = query(SPARK_SQL).replace("${bucket}", bucket)
    [translated] = sqlglot.transpile(spark, read="spark", write="duckdb")
    return translated


def cells(con: duckdb.DuckDBPyConnection, sql: str, out: Path) -> list[tuple]:
    """Runs a cells query, writes it as CSV, returns its rows."""
    con.execute(f"COPY ({sql}) TO '{out}' (HEADER, DELIMITER ',')")
    return con.execute(sql).fetchall()


def same_rows(a: list[tuple], b: list[tuple]) -> bool:
    """Rows equal, sums within RELATIVE (the two queries may add in another order)."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        for x, y in zip(ra, rb):
            if isinstance(x, float) and isinstance(y, float):
                if not close(x, y):
                    return False
            elif str(x) != str(y):
                return False
    return True


def close(x: float, y: float) -> bool:
    return x == y or abs(x - y) <= RELATIVE * max(abs(x), abs(y), 1.0)


def segscope(binary: Path, out: Path, first: list[str], rest: list[str]) -> None:
    command = [str(binary), "run", *first, *rest, "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"segscope failed: {' '.join(command)}\n{done.stderr}")


# What-if scenarios that need each order's lines (docs/aggregates.md): the
# cells path leaves them out with a note.
ORDER_SCENARIOS = ("min_order_surcharge", "consolidate")


def compare(direct: Path, via_cells: Path) -> tuple[int, int, int, list[str]]:
    """Compares the result files: (identical files, cells differing only in the
    last bits of a sum, rows placed differently among exact ties, problems)."""
    identical, float_cells, moved, problems = 0, 0, 0, []
    for name in RESULTS:
        a, b = direct / name, via_cells / name
        if not a.exists() and not b.exists():
            continue
        if a.exists() != b.exists():
            problems.append(f"{name}: written by one path only")
            continue
        ta, tb = a.read_text(), b.read_text()
        if ta == tb:
            identical += 1
            continue
        ra = list(csv.reader(io.StringIO(ta)))
        rb = list(csv.reader(io.StringIO(tb)))
        if name == "what_if.csv":
            ra = [r for r in ra if r[0] not in ORDER_SCENARIOS]
        # Rows ranked by a sum (SKUs by revenue, customers by profit) whose
        # sums tie exactly may swap when the last bits differ: match by key.
        if len(ra) == len(rb) and ra[1:] and {r[0] for r in ra} == {r[0] for r in rb} \
                and len({r[0] for r in ra}) == len(ra):
            order = {r[0]: i for i, r in enumerate(rb)}
            placed = [rb[order[r[0]]] for r in ra]
            moved += sum(1 for x, y in zip(ra, rb) if x[0] != y[0])
            rb = placed
        if len(ra) != len(rb):
            problems.append(f"{name}: {len(ra)} rows against {len(rb)}")
            continue
        for i, (x, y) in enumerate(zip(ra, rb)):
            if len(x) != len(y):
                problems.append(f"{name} row {i}: {len(x)} cells against {len(y)}")
                continue
            for j, (u, v) in enumerate(zip(x, y)):
                if u == v:
                    continue
                try:
                    fu, fv = float(u), float(v)
                except ValueError:
                    problems.append(f"{name} row {i} `{ra[0][j]}`: {u!r} against {v!r}")
                    continue
                if close(fu, fv):
                    float_cells += 1
                else:
                    problems.append(f"{name} row {i} `{ra[0][j]}`: {u} against {v}")
    return identical, float_cells, moved, problems


def check(binary: Path, work: Path, name: str, view: str, files: list[str], bucket: str) -> list[str]:
    work.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(view)
    con.execute(f"SET VARIABLE bucket = '{bucket}'")
    rows = cells(con, query(DUCKDB_SQL), work / "cells.csv")
    spark_rows = cells(con, spark_as_duckdb(bucket), work / "cells-spark.csv")
    problems = []
    if not same_rows(rows, spark_rows):
        problems.append(f"{name}: the Spark SQL gives other cells than the DuckDB SQL")
    CHECKS.append((f"{name}: Spark SQL = DuckDB SQL", not problems))
    lines = con.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    config = work / "config.json"
    config.write_text(json.dumps({"bucket": bucket}))
    rest = [*files, "--config", str(config)]
    segscope(binary, work / "direct", ["--orders", str(work / "orders.csv")], rest)
    segscope(binary, work / "cells", ["--cells", str(work / "cells.csv")], rest)
    identical, float_cells, moved, differences = compare(work / "direct", work / "cells")
    problems += [f"{name}: {d}" for d in differences]
    CHECKS.append((f"{name}: cells give the order lines' results", not differences))
    # The comparison must be able to fail: one SKU's quantity off by one unit.
    altered = work / "cells-altered"
    altered.mkdir(exist_ok=True)
    for result in RESULTS:
        if (work / "cells" / result).exists():
            (altered / result).write_bytes((work / "cells" / result).read_bytes())
    skus = list(csv.reader(io.StringIO((altered / "skus.csv").read_text())))
    column = skus[0].index("quantity")
    skus[1][column] = repr(float(skus[1][column]) + 1)
    with open(altered / "skus.csv", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(skus)
    caught = compare(work / "direct", altered)[3]
    CHECKS.append((f"{name}: a wrong quantity is caught", len(caught) == 1))
    if len(caught) != 1:
        problems.append(f"{name}: a SKU's quantity off by one gave {len(caught)} differences")
    print(
        f"{name}: {lines} order lines -> {len(rows)} cells by {bucket}; "
        f"{identical} result files byte-identical; {float_cells} cells differ only in "
        f"the last bits of a sum, {moved} rows swap places with an exact tie; "
        f"{len(differences)} differences"
    )
    return problems


def superstore_view(work: Path) -> str:
    """The `orders` view of the Superstore export (DuckDB wants UTF-8; segscope
    reads the Windows-1252 original as it is)."""
    work.mkdir(parents=True, exist_ok=True)
    utf8 = work / "superstore-utf8.csv"
    utf8.write_text(SUPERSTORE.read_bytes().decode("cp1252"), encoding="utf-8")
    return superstore_orders_view(utf8)


def write_superstore_cells(out: Path, work: Path) -> None:
    con = duckdb.connect()
    con.execute(superstore_view(work))
    con.execute("SET VARIABLE bucket = 'week'")
    cells(con, query(DUCKDB_SQL), out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segscope", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument(
        "--superstore-cells",
        type=Path,
        metavar="FILE",
        help="only write the Superstore export's weekly cells to FILE (for e2e/tests/aggregates.test.js)",
    )
    args = parser.parse_args()
    if args.superstore_cells:
        write_superstore_cells(args.superstore_cells.resolve(), args.work.resolve())
        return
    if args.segscope is None:
        parser.error("--segscope is required")
    binary, work = args.segscope.resolve(), args.work.resolve()

    for path in (DUCKDB_SQL, SPARK_SQL):
        dialect = "duckdb" if "duckdb" in path.parts else "spark"
        sqlglot.parse_one(query(path).replace("${bucket}", "week"), read=dialect)

    demo = work / "demo"
    subprocess.run(
        [str(binary), "demo", "--out", str(demo), "--lines", str(args.lines)], check=True
    )
    masters = [
        "--products", str(demo / "products.csv"),
        "--customers", str(demo / "customers.csv"),
        "--cost-pools", str(demo / "cost_pools.csv"),
    ]
    problems = []
    for bucket in ("week", "month"):
        run = work / f"demo-{bucket}"
        run.mkdir(parents=True, exist_ok=True)
        (run / "orders.csv").write_bytes((demo / "orders.csv").read_bytes())
        view = demo_orders_view(run / "orders.csv")
        problems += check(binary, run, f"demo by {bucket}", view, masters, bucket)

    run = work / "superstore"
    run.mkdir(parents=True, exist_ok=True)
    (run / "orders.csv").write_bytes(SUPERSTORE.read_bytes())
    problems += check(binary, run, "superstore", superstore_view(run), [], "week")

    passed = sum(1 for _, ok in CHECKS if ok)
    failed = len(CHECKS) - passed
    # The closing line in cargo's words, which ./x adds up with the rest.
    verdict = "ok" if failed == 0 else "FAILED"
    print(f"test result: {verdict}. {passed} passed; {failed} failed (sql/check.py)")
    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        sys.exit(f"{len(problems)} differences between the order lines and the order cells")
    print("order cells give the order lines' results")


if __name__ == "__main__":
    main()
