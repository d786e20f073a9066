#!/usr/bin/env python3
"""Checks that the pandas baseline and `segscope run` agree (issue #7).

    bench/.venv/bin/python bench/check.py CLI_OUT BASELINE_OUT

Compares, for every SKU, the classes (ABC, XYZ, pattern, segment: equal for
all SKUs) and the figures (revenue, margin, quantity, order lines, mean
demand, cv, ADI, CV², service level, safety stock, reorder point, order
quantity, max, fill rate, stockouts per year) within a relative tolerance of
1e-9 (absolute 1e-9 near zero): the two programs sum in different orders
and take Φ⁻¹ from different libraries, so the last digits may differ. Per
customer: revenue, cogs, cost to serve and profit, the same way (profit's
tolerance is relative to the larger of the figure and the customer's revenue,
since it is a difference).
For k-means, labels from different seeds are not comparable; the check
computes the within-cluster sum of squares of the CLI's clusters on the same
z-scored features and requires it within 5 % of scikit-learn's (either may
be the better local optimum).

Exits 1 with one line per kind of difference (and up to 5 examples each).
"""

import json
import os
import sys

import numpy as np
import pandas as pd

RTOL = 1e-9
ATOL = 1e-9
INERTIA_TOLERANCE = 0.05
CLASSES = ["abc", "xyz", "pattern", "segment"]
SKU_FIGURES = ["revenue", "margin", "quantity", "order_lines", "mean_demand", "cv", "adi", "cv2",
               "service_level", "safety_stock", "reorder_point", "order_qty", "max", "fill_rate",
               "stockouts_per_year"]
CUSTOMER_FIGURES = ["revenue", "cogs", "cost_to_serve", "profit"]


def read(path, key):
    return pd.read_csv(path, dtype={key: str}, keep_default_na=False, na_values=[""]).set_index(key)


def close(a, b, scale=None):
    """Element-wise: both missing, or within tolerance."""
    a, b = a.astype(float).to_numpy(), b.astype(float).to_numpy()
    scale = np.maximum(np.abs(a), np.abs(b)) if scale is None else scale
    both_missing = np.isnan(a) & np.isnan(b)
    return both_missing | (np.abs(a - b) <= RTOL * scale + ATOL)


def inertia(z, labels):
    total = 0.0
    for label in np.unique(labels):
        members = z[labels == label]
        total += ((members - members.mean(axis=0)) ** 2).sum()
    return total


def kmeans_features(skus, buckets):
    cv = skus["cv"].astype(float).to_numpy()
    adi = skus["adi"].astype(float).to_numpy()
    revenue = skus["revenue"].astype(float).to_numpy()
    features = np.column_stack([
        np.sign(revenue) * np.log1p(np.abs(revenue)),
        np.log1p(skus["order_lines"].astype(float).to_numpy()),
        np.where(np.isnan(cv), np.nanmax(cv), cv),
        np.where(np.isnan(adi), float(buckets), adi),
    ])
    sd = features.std(axis=0)
    return (features - features.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def compare(cli_dir, base_dir):
    problems = []

    def report(what, index):
        if len(index):
            problems.append(f"{what}: {len(index)} differ, e.g. {list(index[:5])}")

    cli = read(os.path.join(cli_dir, "skus.csv"), "sku")
    base = read(os.path.join(base_dir, "skus.csv"), "sku")
    if set(cli.index) != set(base.index):
        only = sorted(set(cli.index) ^ set(base.index))
        problems.append(f"SKUs: {len(only)} in only one of the two files, e.g. {only[:5]}")
    common = cli.index.intersection(base.index)
    cli, base = cli.loc[common], base.loc[common]
    for column in CLASSES:
        report(f"skus.csv {column}", common[(cli[column] != base[column]).to_numpy()])
    for column in SKU_FIGURES:
        report(f"skus.csv {column}", common[~close(cli[column], base[column])])

    cli_c = read(os.path.join(cli_dir, "customers.csv"), "customer_id")
    base_c = read(os.path.join(base_dir, "customers.csv"), "customer_id")
    if set(cli_c.index) != set(base_c.index):
        problems.append("customers: the two files list different customers")
    common_c = cli_c.index.intersection(base_c.index)
    cli_c, base_c = cli_c.loc[common_c], base_c.loc[common_c]
    revenue = np.maximum(cli_c["revenue"].abs().to_numpy(), 1.0)
    for column in CUSTOMER_FIGURES:
        a, b = cli_c[column].astype(float).abs().to_numpy(), base_c[column].astype(float).abs().to_numpy()
        scale = np.maximum(np.maximum(a, b), revenue)
        report(f"customers.csv {column}", common_c[~close(cli_c[column], base_c[column], scale)])

    summary = {"skus": len(common), "customers": len(common_c)}
    kmeans_path = os.path.join(base_dir, "kmeans.json")
    if "cluster" in cli.columns and cli["cluster"].notna().all() and os.path.exists(kmeans_path):
        with open(kmeans_path) as f:
            kmeans = json.load(f)
        sklearn_inertia = kmeans["inertia"]
        # A missing ADI takes the horizon's length in buckets.
        z = kmeans_features(cli, kmeans["buckets"])
        ours = inertia(z, cli["cluster"].astype(str).to_numpy())
        ratio = ours / sklearn_inertia
        summary["kmeans_inertia_ratio"] = round(ratio, 4)
        if abs(ratio - 1) > INERTIA_TOLERANCE:
            problems.append(f"k-means: within-cluster sum of squares {ours:.6g} vs scikit-learn's "
                            f"{sklearn_inertia:.6g} (ratio {ratio:.4f})")
    else:
        problems.append("k-means: skus.csv has no cluster per SKU (run the CLI with bench/config.json)")
    return problems, summary


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    problems, summary = compare(sys.argv[1], sys.argv[2])
    print(json.dumps({"agree": not problems, **summary, "problems": problems}))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
