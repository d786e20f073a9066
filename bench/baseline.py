#!/usr/bin/env python3
"""The pandas / numpy / scikit-learn baseline of BENCHMARKS.md (issue #7).

What an analyst would write in a notebook to get segscope's main figures
from the same four CSV files, following ../shared/SPEC.md and the
README's conventions with the default configuration:

- per SKU (SPEC §2-§4): revenue, margin, quantity, order_lines, ABC (revenue,
  cuts 0.80 / 0.95, ties share a class), weekly demand mean and population
  std, cv and XYZ (0.5 / 1.0), ADI = n / k and CV² of the non-zero weeks,
  the Syntetos-Boylan pattern, the segment, and the normal-model policy at
  the segment's service level (safety stock, reorder point, EOQ order
  quantity, max, fill rate, stockouts per year), with the README's new-item
  (category median cv), end-of-life (run-out) and shelf-life rules;
- k-means (scikit-learn) with k = 4 on the z-scored default features
  (signed log revenue, signed log order lines, cv, ADI);
- per customer (SPEC §5): revenue, cogs, cost to serve from the pools and
  drivers, profit.

It writes OUT/skus.csv, OUT/customers.csv and OUT/kmeans.json, and prints
its own stage timings as JSON (like `segscope run --timings`). Written to be
straightforward and vectorised, as a competent analyst would, not tuned.

    bench/.venv/bin/python bench/baseline.py DATA_DIR OUT_DIR
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.cluster import KMeans

DAYS_PER_BUCKET = 7.0
BUCKETS_PER_YEAR = 365.25 / DAYS_PER_BUCKET
SERVICE_LEVELS = {
    "AX": 0.98, "AY": 0.97, "AZ": 0.95,
    "BX": 0.96, "BY": 0.95, "BZ": 0.92,
    "CX": 0.93, "CY": 0.90, "CZ": 0.85,
}
ORDERING_COST, HOLDING_RATE, COST_RATIO = 50.0, 0.25, 0.6
LEAD_TIME_DAYS, LEAD_TIME_SD_DAYS = 14.0, 0.0
NEW_ITEM_BUCKETS = 13
K = 4


class Stopwatch:
    """Wall and CPU time (time.process_time: every thread of the process) per stage."""

    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.start_cpu = self.last_cpu = time.process_time()
        self.stages = []

    def lap(self, stage):
        now, cpu = time.perf_counter(), time.process_time()
        self.stages.append({"stage": stage, "seconds": now - self.last, "cpu_seconds": cpu - self.last_cpu})
        self.last, self.last_cpu = now, cpu

    def json(self):
        return json.dumps({"stages": self.stages, "total_seconds": self.last - self.start,
                           "total_cpu_seconds": self.last_cpu - self.start_cpu})


def main(data_dir, out_dir):
    watch = Stopwatch()
    path = lambda name: os.path.join(data_dir, name)
    orders = pd.read_csv(
        path("orders.csv"),
        dtype={"order_id": str, "customer_id": str, "sku": str},
        parse_dates=["order_date"],
        date_format="%Y-%m-%d",
    )
    products = pd.read_csv(path("products.csv"), dtype={"sku": str, "category": str})
    products = products.drop_duplicates("sku").set_index("sku")
    pools = pd.read_csv(path("cost_pools.csv"))
    watch.lap("parse")

    # Demand series (SPEC §2): Monday weeks, the whole horizon for every SKU.
    orders["customer_id"] = orders["customer_id"].fillna("(unknown)")
    days = (orders["order_date"] - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    week = (days + 3) // 7  # 1970-01-01 was a Thursday
    orders["bucket"] = week - week.min()
    n = int(week.max() - week.min() + 1)
    qty = orders["quantity"].to_numpy(dtype=float)
    positive = qty > 0
    revenue = orders["line_revenue"].where(
        orders["line_revenue"].notna(), orders["quantity"] * orders["unit_price"]
    ).fillna(0.0)
    orders["revenue"] = revenue
    # SPEC §4's order of unit-cost sources: the line's, the product's, price × ratio.
    price = orders["unit_price"].where(orders["unit_price"].notna(), revenue / orders["quantity"])
    unit_cost = orders["unit_cost"]
    unit_cost = unit_cost.where(unit_cost.notna(), orders["sku"].map(products["unit_cost"]))
    orders["unit_cost_line"] = unit_cost.where(unit_cost.notna(), price * COST_RATIO)
    orders["cogs"] = (orders["quantity"] * orders["unit_cost_line"]).fillna(0.0)
    orders["demand"] = np.where(positive, qty, 0.0)
    orders["positive"] = positive

    skus = orders.groupby("sku", sort=True).agg(
        revenue=("revenue", "sum"),
        cogs=("cogs", "sum"),
        quantity=("demand", "sum"),
        order_lines=("positive", "sum"),
    )
    skus["margin"] = skus["revenue"] - skus["cogs"]
    codes = pd.Index(skus.index)
    row = codes.get_indexer(orders["sku"])
    series = np.zeros((len(codes), n))
    np.add.at(series, (row, orders["bucket"].to_numpy()), orders["demand"].to_numpy())
    watch.lap("demand")

    # ABC (SPEC §3.1): revenue descending, ties by SKU; P_i is the share before i.
    ranked = skus.reset_index().sort_values(["revenue", "sku"], ascending=[False, True])
    value = ranked["revenue"].to_numpy()
    pos = np.where(value > 0, value, 0.0)
    before = np.cumsum(pos) - pos
    share_before = before / pos.sum() if pos.sum() > 0 else before
    abc = np.where(share_before < 0.80, "A", np.where(share_before < 0.95, "B", "C"))
    abc = np.where(value > 0, abc, "C")
    # Equal values share the class of their group's first item.
    first = pd.Series(abc).groupby(value).transform("first").to_numpy()
    abc = np.where(value > 0, first, "C")
    skus["abc"] = pd.Series(abc, index=ranked["sku"].to_numpy())
    skus["rank"] = pd.Series(np.arange(len(ranked)), index=ranked["sku"].to_numpy())

    # XYZ (SPEC §3.2) and the demand pattern (SPEC §3.3).
    mean = series.mean(axis=1)
    std = series.std(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(mean > 0, std / mean, np.nan)
    skus["mean_demand"], skus["std_demand"], skus["cv"] = mean, std, cv
    skus["xyz"] = np.where(np.isnan(cv), "Z", np.where(cv <= 0.5, "X", np.where(cv <= 1.0, "Y", "Z")))
    nonzero = series > 0
    k = nonzero.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(k > 0, n / k, np.nan)
        nz_mean = np.where(k > 0, series.sum(axis=1) / k, np.nan)
        nz_var = np.where(k > 0, (np.where(nonzero, series - nz_mean[:, None], 0.0) ** 2).sum(axis=1) / k, np.nan)
        cv2 = np.where(k > 1, nz_var / nz_mean**2, np.where(k == 1, 0.0, np.nan))
    skus["adi"], skus["cv2"] = adi, cv2
    frequent, steady = adi < 1.32, cv2 < 0.49
    pattern = np.select(
        [k == 0, frequent & steady, ~frequent & steady, frequent & ~steady],
        ["none", "smooth", "intermittent", "erratic"],
        "lumpy",
    )
    skus["pattern"] = pattern
    skus["segment"] = skus["abc"] + skus["xyz"]
    watch.lap("classify")

    # k-means (SPEC §3.5) on z-scored default features; scikit-learn's seeding.
    features = np.column_stack([
        np.sign(skus["revenue"]) * np.log1p(skus["revenue"].abs()),
        np.log1p(skus["order_lines"].astype(float)),
        np.where(np.isnan(cv), np.nanmax(cv) if np.isfinite(cv).any() else 0.0, cv),
        np.where(np.isnan(adi), float(n), adi),
    ])
    sd = features.std(axis=0)
    z = (features - features.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    km = KMeans(n_clusters=K, n_init=10, random_state=0).fit(z)
    skus["cluster"] = km.labels_
    watch.lap("cluster")

    # Policy (SPEC §4) with the README's conventions for new, eol and perishable items.
    p = products.reindex(skus.index)
    lead = p["lead_time_days"].fillna(LEAD_TIME_DAYS).to_numpy() / DAYS_PER_BUCKET
    lead_sd = p["lead_time_sd_days"].fillna(LEAD_TIME_SD_DAYS).to_numpy() / DAYS_PER_BUCKET
    sku_cost = p["unit_cost"].where(p["unit_cost"].notna())
    positive_lines = orders[positive]
    weighted = (positive_lines["quantity"] * positive_lines["unit_cost_line"]).groupby(positive_lines["sku"]).sum()
    mean_cost = weighted / positive_lines.groupby("sku")["quantity"].sum()
    sku_cost = sku_cost.fillna(mean_cost.reindex(skus.index)).to_numpy()
    first_sale = np.where(k > 0, nonzero.argmax(axis=1), 0)
    new = (p["lifecycle"] == "new").to_numpy() | (n - first_sale <= NEW_ITEM_BUCKETS)
    category = p["category"].fillna("").to_numpy()
    known = (mean > 0) & ~new
    cv_known = pd.Series(std / np.where(mean > 0, mean, 1.0))[known]
    by_category = cv_known.groupby(category[known]).median()
    all_median = cv_known.median() if known.any() else np.nan
    borrowed = pd.Series(category).map(by_category).fillna(all_median).to_numpy()
    sigma_d = np.where(new & ~np.isnan(borrowed), borrowed * mean, std)
    csl = skus["segment"].map(SERVICE_LEVELS).to_numpy()
    z_csl = norm.ppf(csl)
    sigma = np.sqrt(lead * sigma_d**2 + mean**2 * lead_sd**2)
    safety = z_csl * sigma
    reorder = mean * lead + safety
    annual = mean * BUCKETS_PER_YEAR
    holding = p["holding_rate"].fillna(HOLDING_RATE).to_numpy() * np.nan_to_num(sku_cost)
    with np.errstate(divide="ignore", invalid="ignore"):
        eoq = np.where((annual > 0) & (holding > 0), np.sqrt(2 * annual * ORDERING_COST / holding), np.nan)
        multiple = p["order_multiple"].fillna(1.0).to_numpy()
        multiple = np.where(multiple > 0, multiple, 1.0)
        order_qty = np.maximum(p["moq"].fillna(1.0).to_numpy(), np.ceil(eoq / multiple) * multiple)
        order_qty = np.where(np.isnan(eoq) | (order_qty <= 0), np.nan, order_qty)
        loss = norm.pdf(z_csl) - z_csl * norm.sf(z_csl)
        fill = 1 - sigma * loss / order_qty
        stockouts = annual / order_qty * (1 - csl)
    maximum = reorder + order_qty
    shelf = p["shelf_life_days"].where(p["perishable"] == True).to_numpy(dtype=float)  # noqa: E712
    cap = mean * shelf / DAYS_PER_BUCKET
    capped = ~np.isnan(shelf) & ~np.isnan(maximum) & (maximum > cap)
    maximum = np.where(capped, np.maximum(cap, reorder), maximum)
    eol = (p["lifecycle"] == "eol").to_numpy()
    skus["service_level"] = csl
    skus["safety_stock"] = np.where(eol, 0.0, safety)
    skus["reorder_point"] = np.where(eol, 0.0, reorder)
    for name, values in [("order_qty", order_qty), ("max", maximum), ("fill_rate", fill),
                         ("stockouts_per_year", stockouts)]:
        skus[name] = np.where(eol, np.nan, values)
    watch.lap("policy")

    # Cost to serve (SPEC §5): pools over the horizon, spread by driver per positive line.
    weight = orders["weight_kg"].where(orders["weight_kg"].notna(), orders["sku"].map(products["weight_kg"]))
    order_lines_per_order = positive_lines.groupby("order_id").size()
    lines_per_customer = positive_lines.groupby("customer_id").size()
    drivers = {
        "lines": np.ones(len(orders)),
        "units": qty,
        "value": np.maximum(orders["revenue"].to_numpy(), 0.0),
        "weight_kg": qty * weight.fillna(0.0).to_numpy(),
        "orders": 1.0 / orders["order_id"].map(order_lines_per_order).to_numpy(dtype=float),
        "customers": 1.0 / orders["customer_id"].map(lines_per_customer).to_numpy(dtype=float),
    }
    horizon_years = n * DAYS_PER_BUCKET / 365.25
    cts = np.zeros(len(orders))
    for pool in pools.itertuples():
        driver = np.where(positive, drivers[pool.driver], 0.0)
        total = driver.sum()
        if total > 0:
            cts += pool.annual_cost * horizon_years / total * driver
    orders["cts"] = cts
    customers = orders.groupby("customer_id", sort=True).agg(
        revenue=("revenue", "sum"), cogs=("cogs", "sum"), cost_to_serve=("cts", "sum")
    )
    customers["profit"] = customers["revenue"] - customers["cogs"] - customers["cost_to_serve"]
    watch.lap("cost")

    os.makedirs(out_dir, exist_ok=True)
    skus = skus.sort_values("rank")
    columns = ["revenue", "margin", "quantity", "order_lines", "abc", "mean_demand", "cv", "xyz",
               "adi", "cv2", "pattern", "segment", "cluster", "service_level", "safety_stock",
               "reorder_point", "order_qty", "max", "fill_rate", "stockouts_per_year"]
    skus[columns].to_csv(os.path.join(out_dir, "skus.csv"), index_label="sku")
    customers.sort_values("profit", ascending=False).to_csv(
        os.path.join(out_dir, "customers.csv"), index_label="customer_id")
    with open(os.path.join(out_dir, "kmeans.json"), "w") as f:
        json.dump({"k": K, "buckets": n, "inertia": float(km.inertia_)}, f)
    watch.lap("write")
    print(watch.json())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
