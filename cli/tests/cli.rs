//! The command line contract (SPEC §7), tested on the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn segscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segscope")).args(args).output().expect("binary runs")
}

/// A fresh, empty folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn superstore() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/data/superstore.csv")
        .display()
        .to_string()
}

/// Reads a CSV into its header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn column_sum(header: &[String], rows: &[Vec<String>], name: &str) -> f64 {
    let i = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    rows.iter().map(|r| r[i].parse::<f64>().unwrap()).sum()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn help_documents_every_option() {
    let out = segscope(&["run", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in ["--orders", "--products", "--customers", "--cost-pools", "--config", "--out"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    for file in ["customers.csv", "pools.csv", "tiers.csv", "cost_breakdown.csv", "what_if.csv"] {
        assert!(help.contains(file), "{file} missing from:\n{help}");
    }
}

#[test]
fn superstore_totals_equal_the_published_ones() {
    let out_dir = scratch("superstore");
    let out = segscope(&["run", "--orders", &superstore(), "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = read_csv(&out_dir.join("skus.csv"));
    for name in ["sku", "revenue", "margin", "quantity", "order_lines", "mean_demand"] {
        assert!(header.iter().any(|h| h == name), "skus.csv lacks {name}");
    }
    // Published totals of the Superstore export (shared/data/superstore/README.md).
    assert_eq!(rows.len(), 1862);
    assert!((column_sum(&header, &rows, "revenue") - 2_297_200.860_3).abs() < 1e-6);
    assert!((column_sum(&header, &rows, "margin") - 286_397.021_7).abs() < 1e-6);
    assert_eq!(column_sum(&header, &rows, "quantity"), 37_873.0);
    assert_eq!(column_sum(&header, &rows, "order_lines"), 9_994.0);

    let dq: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("data_quality.json")).unwrap()).unwrap();
    let duplicates = dq["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "duplicate_line")
        .expect("the exact duplicate line is reported");
    assert_eq!(duplicates["count"], 1);

    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(
        run["inputs"][0]["sha256"],
        "58fb59c63089e564d835e4aabe19d371757de1137a5bf1888243ae386c4b7a97"
    );
    assert_eq!(run["config"]["abc"]["a_cut"], 0.8);
    assert!(run["engine"].as_str().unwrap().starts_with("segscope-core "));
}

#[test]
fn sku_figures_follow_spec_on_a_hand_computed_file() {
    let dir = scratch("hand");
    // Weeks of Mon 2024-01-01, 01-08, 01-15. SKU A: 4 + 2 in week 1, a return
    // in week 2, 6 in week 3; SKU B: 5 in week 3.
    let orders = "order_id,order_date,sku,quantity,unit_price,unit_cost,customer_id\n\
                  1,2024-01-01,A,4,10,6,C1\n\
                  2,2024-01-03,A,2,10,7,C1\n\
                  3,2024-01-09,A,-1,10,6,C2\n\
                  4,2024-01-15,A,6,9,6,C2\n\
                  4,2024-01-15,B,5,2,1,C2\n";
    std::fs::write(dir.join("orders.csv"), orders).unwrap();
    let out = segscope(&[
        "run",
        "--orders",
        dir.join("orders.csv").to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = read_csv(&dir.join("out/skus.csv"));
    let get = |row: &[String], name: &str| {
        row[header.iter().position(|h| h == name).unwrap()].parse::<f64>().unwrap()
    };
    let a = rows.iter().find(|r| r[0] == "A").unwrap();
    // revenue = 40 + 20 − 10 + 54 = 104; cost = 24 + 14 − 6 + 36 = 68.
    assert_eq!(get(a, "revenue"), 104.0);
    assert_eq!(get(a, "margin"), 36.0);
    assert_eq!(get(a, "quantity"), 12.0);
    assert_eq!(get(a, "order_lines"), 3.0);
    // Buckets 6, 0, 6 over n = 3 weeks.
    assert_eq!(get(a, "mean_demand"), 4.0);
    let b = rows.iter().find(|r| r[0] == "B").unwrap();
    assert_eq!(get(b, "mean_demand"), 5.0 / 3.0);
}

#[test]
fn missing_sku_column_is_one_clear_line_naming_it() {
    let dir = scratch("nosku");
    std::fs::write(dir.join("o.csv"), "order_id,order_date,quantity\n1,2024-01-01,3\n").unwrap();
    let out = segscope(&[
        "run",
        "--orders",
        dir.join("o.csv").to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("sku") && err.contains("order_date"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unreadable_inputs_and_bad_configs_fail_cleanly() {
    let dir = scratch("bad");
    let out = segscope(&["run", "--orders", "/nonexistent/orders.csv", "--out", "x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("/nonexistent/orders.csv"));

    std::fs::write(dir.join("c.json"), r#"{"abc": {"a_cutt": 0.7}}"#).unwrap();
    let out = segscope(&[
        "run",
        "--orders",
        &superstore(),
        "--config",
        dir.join("c.json").to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("a_cutt"), "{}", stderr(&out));
}

#[test]
fn demo_files_are_deterministic_and_load() {
    let a = scratch("demo-a");
    let b = scratch("demo-b");
    for dir in [&a, &b] {
        let out =
            segscope(&["demo", "--lines", "2000", "--seed", "7", "--out", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for file in ["orders.csv", "products.csv", "customers.csv", "cost_pools.csv"] {
        assert_eq!(std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap());
    }
    let p = |f: &str| a.join(f).display().to_string();
    let out = segscope(&[
        "run",
        "--orders",
        &p("orders.csv"),
        "--products",
        &p("products.csv"),
        "--customers",
        &p("customers.csv"),
        "--cost-pools",
        &p("cost_pools.csv"),
        "--out",
        &p("out"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, rows) = read_csv(&a.join("out/skus.csv"));
    assert!(!rows.is_empty());
}

#[test]
fn previous_run_keeps_boundary_items_and_writes_migration() {
    let dir = scratch("previous");
    // Revenue 50, 30, 15, 5 → P = 0, 0.5, 0.8, 0.95 with cuts 0.8 / 0.95:
    // classes A, A, B, C. A previous run had c as A: P = 0.8 is within the
    // 0.02 band of the A cut, so c stays A.
    let orders = "order_id,order_date,sku,quantity,unit_price\n\
                  1,2024-01-01,a,1,50\n2,2024-01-01,b,1,30\n3,2024-01-01,c,1,15\n4,2024-01-01,d,1,5\n";
    std::fs::write(dir.join("orders.csv"), orders).unwrap();
    std::fs::write(dir.join("prev.csv"), "sku,abc,xyz,segment\nc,A,X,AX\nzz,B,X,BX\n").unwrap();
    let out = segscope(&[
        "run",
        "--orders",
        dir.join("orders.csv").to_str().unwrap(),
        "--previous",
        dir.join("prev.csv").to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = read_csv(&dir.join("out/skus.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let c = rows.iter().find(|r| r[0] == "c").unwrap();
    assert_eq!((c[col("abc")].as_str(), c[col("rule")].as_str()), ("A", "hysteresis"));
    let (_, migration) = read_csv(&dir.join("out/migration.csv"));
    assert!(migration.contains(&vec!["AX".to_string(), "AX".to_string(), "1".to_string()]));
    assert!(migration.contains(&vec!["BX".to_string(), "(none)".to_string(), "1".to_string()]));
    assert!(migration.contains(&vec!["(none)".to_string(), "AX".to_string(), "2".to_string()]));
}

#[test]
fn stress_test_reports_every_scenario_per_segment() {
    let out_dir = scratch("stress");
    let out = segscope(&[
        "run",
        "--orders",
        &superstore(),
        "--stress",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = read_csv(&out_dir.join("stress.csv"));
    assert_eq!(header, ["scenario", "description", "segment", "skus", "changed", "changed_share"]);
    let scenarios: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(scenarios.len(), 5);
    // Each scenario covers all 1,862 SKUs once.
    for s in &scenarios {
        let skus: f64 =
            rows.iter().filter(|r| r[0] == *s).map(|r| r[3].parse::<f64>().unwrap()).sum();
        assert_eq!(skus, 1862.0, "{s}");
    }
}

#[test]
fn clustering_labels_every_sku_when_enabled() {
    let dir = scratch("cluster");
    std::fs::write(dir.join("c.json"), r#"{"cluster": {"enabled": true, "k": 3}}"#).unwrap();
    let out = segscope(&[
        "run",
        "--orders",
        &superstore(),
        "--config",
        dir.join("c.json").to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = read_csv(&dir.join("out/skus.csv"));
    let i = header.iter().position(|h| h == "cluster").unwrap();
    let labels: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[i].as_str()).collect();
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels.iter().all(|l| l.contains("value")), "{labels:?}");
}

#[test]
fn cost_to_serve_files_follow_spec_on_a_hand_computed_case() {
    let dir = scratch("cost");
    // Daily buckets over 1–4 January 2024: a 4-day horizon, so each pool
    // costs annual × 4 / 365.25: Picking 400, Delivery 200, Handling 100,
    // Admin 80. Order 4 is a return (C2) and carries no driver.
    let orders = "order_id,order_date,sku,quantity,unit_price,unit_cost,customer_id,ship_mode\n\
                  1,2024-01-01,A,2,100,40,C1,Air\n\
                  1,2024-01-01,B,1,300,150,C1,Air\n\
                  2,2024-01-02,A,4,100,40,C2,Ground\n\
                  3,2024-01-03,A,1,100,40,C2,Ground\n\
                  4,2024-01-04,B,-1,300,150,C2,Ground\n\
                  5,2024-01-04,B,2,300,150,C3,Air\n";
    let pools = "pool,annual_cost,driver,fixed_share\n\
                 Picking,36525,lines,0\n\
                 Delivery,18262.5,orders,50%\n\
                 Handling,9131.25,units,0\n\
                 Admin,7305,weight_kg,0\n";
    // Budgets scale to the horizon like the pools: Picking 360, Delivery 200.
    let config = r#"{"bucket": "day",
                     "cost": {"budget": {"Picking": 32872.5, "Delivery": 18262.5},
                              "what_if": {"premium_delivery": {"tier": "Platinum", "cost_per_order": 10},
                                          "min_order_surcharge": {"min_order_value": 250, "fee": 5}}}}"#;
    for (name, text) in [("orders.csv", orders), ("pools.csv", pools), ("config.json", config)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let path = |name: &str| dir.join(name).display().to_string();
    let out = segscope(&[
        "run",
        "--orders",
        &path("orders.csv"),
        "--cost-pools",
        &path("pools.csv"),
        "--config",
        &path("config.json"),
        "--out",
        &path("out"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |name: &str| std::fs::read_to_string(dir.join("out").join(name)).unwrap();

    // Picking by lines: 5 positive lines at 80. Delivery by orders: orders
    // 1, 2, 3 and 5 at 50 (order 1's two lines 25 each). Handling by units:
    // 10 units at 10. Admin by weight: no weights, all 80 unallocated.
    //
    // | customer | revenue         | cogs           | CTS              | profit |
    // |----------|-----------------|----------------|------------------|--------|
    // | C3       | 600             | 300            | 80 + 50 + 20     | 150    |
    // | C1       | 200 + 300       | 80 + 150       | 160 + 50 + 30    | 30     |
    // | C2       | 400 + 100 − 300 | 160 + 40 − 150 | 160 + 100 + 50   | −160   |
    //
    // Tiers: positive profit 180; C3 starts at share 0 (Platinum), C1 at
    // 150/180 = .83, past Gold's .8 (Silver); C2 is loss-making.
    assert_eq!(
        read("customers.csv"),
        "customer_id,revenue,cogs,cost_to_serve,profit,margin_pct,tier,orders,lines,\
         cost_per_order,cost_per_line,cts_Picking,cts_Delivery,cts_Handling,cts_Admin\n\
         C3,600,300,150,150,25,Platinum,1,1,150,150,80,50,20,0\n\
         C1,500,230,240,30,6,Silver,1,2,240,120,160,50,30,0\n\
         C2,200,50,310,-160,-80,Loss-making,2,2,155,155,160,100,50,0\n"
    );
    // Picking is 40 over its budget of 360: 11 % > 10 %, flagged.
    assert_eq!(
        read("pools.csv"),
        "pool,driver,fixed_share,cost,driver_total,rate,unallocated,budget,variance,flagged\n\
         Picking,lines,0,400,5,80,0,360,40,true\n\
         Delivery,orders,0.5,200,4,50,0,200,0,false\n\
         Handling,units,0,100,10,10,0,,,\n\
         Admin,weight_kg,0,80,0,,80,,,\n"
    );
    // Allocations reconcile: Σ cost_to_serve = Σ pool cost − unallocated.
    let (header, rows) = read_csv(&dir.join("out/customers.csv"));
    let (pool_header, pool_rows) = read_csv(&dir.join("out/pools.csv"));
    let allocated = column_sum(&header, &rows, "cost_to_serve");
    let expected = column_sum(&pool_header, &pool_rows, "cost")
        - column_sum(&pool_header, &pool_rows, "unallocated");
    assert!((allocated - expected).abs() <= 1e-9 * expected, "{allocated} ≠ {expected}");

    // Every breakdown dimension adds up to the allocated 700.
    let (header, rows) = read_csv(&dir.join("out/cost_breakdown.csv"));
    for dimension in ["segment", "channel", "region", "ship_mode"] {
        let of: Vec<Vec<String>> = rows.iter().filter(|r| r[0] == dimension).cloned().collect();
        assert_eq!(column_sum(&header, &of, "cost_to_serve"), 700.0, "{dimension}");
    }
    let air = rows.iter().find(|r| r[0] == "ship_mode" && r[1] == "Air").unwrap();
    assert_eq!(air[header.iter().position(|h| h == "cost_to_serve").unwrap()], "390");

    // What-ifs, Δ profit per tier (Platinum, Gold, Silver, Loss-making) and total.
    let (header, rows) = read_csv(&dir.join("out/what_if.csv"));
    let profit = header.iter().position(|h| h == "profit").unwrap();
    let deltas = |scenario: &str| -> Vec<f64> {
        rows.iter().filter(|r| r[0] == scenario).map(|r| r[profit].parse().unwrap()).collect()
    };
    let check = |scenario: &str, expected: [f64; 5]| {
        let got = deltas(scenario);
        assert_eq!(got.len(), 5, "{scenario}");
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-9, "{scenario}: {got:?} ≠ {expected:?}");
        }
    };
    // C3's one order at 10 more.
    check("premium_delivery", [-10.0, 0.0, 0.0, 0.0, -10.0]);
    // Only order 3 (C2, value 100) is below 250.
    check("min_order_surcharge", [0.0, 0.0, 0.0, 5.0, 5.0]);
    // Weekly: C2's orders 2 and 3 merge, 4 → 3 orders; Delivery costs
    // 200 × (0.5 + 0.5 × 3/4) = 175, 175/3 per order.
    let per_order = 175.0 / 3.0;
    check("consolidate", [50.0 - per_order, 0.0, 50.0 - per_order, 100.0 - per_order, 25.0]);
    // Dropping C2: +160 there; Delivery keeps its fixed half, 200 × 0.75 =
    // 150 over 2 orders: C3 and C1 pay 25 more each.
    check("drop_tier", [-25.0, 0.0, -25.0, 160.0, 110.0]);
}

#[test]
fn policies_follow_spec_on_a_hand_computed_file() {
    let dir = scratch("policies");
    // Weeks of Mon 2024-01-01 … 01-22 (n = 4). Revenue A 600, B 40, C 0
    // → P = 0, 0.9375, 1: A, B, C.
    // A: 10, 20, 10, 20 → d = 15, σd = 5, cv 1/3: AX, CSL 0.98.
    // B: 3, 0, 0, 5 → d = 2, σd = sqrt(18 / 4), cv 1.06: BZ, CSL 0.92.
    // C: 0, 4, 0, 0 → d = 1, σd = sqrt(3): CZ, CSL 0.85; no price, no cost.
    let orders = "order_id,order_date,sku,quantity,unit_price,unit_cost,customer_id\n\
                  1,2024-01-01,A,10,10,,K1\n\
                  2,2024-01-08,A,20,10,,K1\n\
                  3,2024-01-15,A,10,10,,K2\n\
                  4,2024-01-22,A,20,10,,K2\n\
                  5,2024-01-01,B,3,5,3,K1\n\
                  6,2024-01-22,B,5,5,3,K2\n\
                  7,2024-01-08,C,4,,,K1\n";
    // A: cost 4, L = 14 / 7 = 2 weeks, σL = 7 / 7 = 1, multiple 25, 200 on
    // hand. B has no products row: L = 2 (14 days), σL = 0, H = 0.25 × 3.
    // C: 7 on hand but no cost.
    let products =
        "sku,unit_cost,lead_time_days,lead_time_sd_days,moq,order_multiple,holding_rate,on_hand\n\
                    A,4,14,7,1,25,0.25,200\n\
                    C,,14,,,,,7\n";
    // Four weeks of history would make every SKU a new item; not here.
    let config = r#"{"policy": {"new_item_buckets": 0}}"#;
    for (name, text) in [("orders.csv", orders), ("products.csv", products), ("c.json", config)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let path = |name: &str| dir.join(name).display().to_string();
    let out = segscope(&[
        "run",
        "--orders",
        &path("orders.csv"),
        "--products",
        &path("products.csv"),
        "--config",
        &path("c.json"),
        "--out",
        &path("out"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    // SPEC §4 by hand. z = Φ⁻¹(CSL) from Python's statistics.NormalDist
    // (Wichura's AS241); G(z) = φ(z) − z (1 − CSL), since Φ(z) = CSL.
    let phi = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let per_year = 365.25 / 7.0;
    // A: σLT = sqrt(L σd² + d² σL²) = sqrt(2·25 + 225·1) = sqrt(275);
    // SS = z σLT = 34.0575…; ROP = d L + SS = 30 + SS; D = 15 × 365.25 / 7
    // = 782.678…; H = 0.25 × 4 = 1; EOQ = sqrt(2 D 50 / 1) = 279.76… → 12
    // multiples of 25 = 300; average inventory SS + 150, value × 4.
    let z_a = 2.053748910631822;
    let sigma_a = 275f64.sqrt();
    let ss_a = z_a * sigma_a;
    let d_a = 15.0 * per_year;
    let eoq_a = (2.0 * d_a * 50.0 / 1.0f64).sqrt();
    let fill_a = 1.0 - sigma_a * (phi(z_a) - z_a * 0.02) / 300.0;
    let stockouts_a = d_a / 300.0 * 0.02;
    // B: σLT = sqrt(2 × 4.5) = 3; SS = 3z; ROP = 4 + 3z; D = 2 × 365.25 / 7;
    // H = 0.75; EOQ = sqrt(2 D 50 / 0.75) = 117.96… → 118.
    let z_b = 1.4050715603096327;
    let ss_b = 3.0 * z_b;
    let d_b = 2.0 * per_year;
    let eoq_b = (2.0 * d_b * 50.0 / 0.75f64).sqrt();
    let fill_b = 1.0 - 3.0 * (phi(z_b) - z_b * 0.08) / 118.0;
    let stockouts_b = d_b / 118.0 * 0.08;
    // C: σLT = sqrt(2 × 3); SS = z sqrt(6); ROP = 2 + SS; no cost → no EOQ.
    let z_c = 1.0364333894937894;
    let ss_c = z_c * 6f64.sqrt();
    assert_eq!((eoq_a.ceil(), eoq_b.ceil()), (280.0, 118.0));

    let (header, rows) = read_csv(&dir.join("out/skus.csv"));
    let col = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("skus.csv lacks {name}"))
    };
    // Every policy column the issue lists (SPEC §7 and the additions).
    for name in [
        "service_level",
        "safety_stock",
        "reorder_point",
        "order_qty",
        "min",
        "max",
        "avg_inventory_value",
        "fill_rate",
        "stockouts_per_year",
        "policy_model",
        "forecast_method",
        "mase",
    ] {
        col(name);
    }
    let cell = |sku: &str, name: &str| -> String {
        rows.iter().find(|r| r[0] == sku).unwrap()[col(name)].clone()
    };
    let num = |sku: &str, name: &str| -> f64 { cell(sku, name).parse().unwrap() };
    let check = |what: &str, got: f64, expected: f64| {
        assert!((got - expected).abs() <= 1e-9, "{what}: {got} ≠ {expected}");
    };
    let cases: [(&str, &str, f64); 20] = [
        ("A", "service_level", 0.98),
        ("A", "safety_stock", ss_a),
        ("A", "reorder_point", 30.0 + ss_a),
        ("A", "min", 30.0 + ss_a),
        ("A", "order_qty", 300.0),
        ("A", "max", 330.0 + ss_a),
        ("A", "avg_inventory_value", 4.0 * (ss_a + 150.0)),
        ("A", "fill_rate", fill_a),
        ("A", "stockouts_per_year", stockouts_a),
        ("B", "service_level", 0.92),
        ("B", "safety_stock", ss_b),
        ("B", "reorder_point", 4.0 + ss_b),
        ("B", "order_qty", 118.0),
        ("B", "max", 122.0 + ss_b),
        ("B", "avg_inventory_value", 3.0 * (ss_b + 59.0)),
        ("B", "fill_rate", fill_b),
        ("B", "stockouts_per_year", stockouts_b),
        ("C", "service_level", 0.85),
        ("C", "safety_stock", ss_c),
        ("C", "reorder_point", 2.0 + ss_c),
    ];
    for (sku, name, expected) in cases {
        check(&format!("{sku} {name}"), num(sku, name), expected);
    }
    for name in ["order_qty", "max", "avg_inventory_value", "fill_rate", "stockouts_per_year"] {
        assert_eq!(cell("C", name), "", "C has no cost, so no EOQ: {name}");
    }

    // policies.csv: one row per segment with the SKUs' sums.
    let (header, rows) = read_csv(&dir.join("out/policies.csv"));
    assert_eq!(
        header,
        [
            "segment",
            "skus",
            "service_level",
            "safety_stock_value",
            "avg_inventory_value",
            "fill_rate",
            "stockouts_per_year",
            "on_hand_skus",
            "on_hand_value",
            "on_hand_target_value",
            "cash_released",
            "skus_without_cost"
        ]
    );
    let segments: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(segments, ["AX", "BZ", "CZ"]);
    let value = |segment: &str, name: &str| -> String {
        let row = rows.iter().find(|r| r[0] == segment).unwrap();
        row[header.iter().position(|h| h == name).unwrap()].clone()
    };
    let num = |segment: &str, name: &str| -> f64 { value(segment, name).parse().unwrap() };
    // A: 200 on hand × 4 = 800 against the target 4 (SS + 150).
    let target_a = 4.0 * (ss_a + 150.0);
    let cases: [(&str, &str, f64); 19] = [
        ("AX", "skus", 1.0),
        ("AX", "service_level", 0.98),
        ("AX", "safety_stock_value", 4.0 * ss_a),
        ("AX", "avg_inventory_value", target_a),
        ("AX", "fill_rate", fill_a),
        ("AX", "stockouts_per_year", stockouts_a),
        ("AX", "on_hand_skus", 1.0),
        ("AX", "on_hand_value", 800.0),
        ("AX", "on_hand_target_value", target_a),
        ("AX", "cash_released", 800.0 - target_a),
        ("AX", "skus_without_cost", 0.0),
        ("BZ", "safety_stock_value", 3.0 * ss_b),
        ("BZ", "avg_inventory_value", 3.0 * (ss_b + 59.0)),
        ("BZ", "fill_rate", fill_b),
        ("BZ", "on_hand_skus", 0.0),
        ("CZ", "skus", 1.0),
        ("CZ", "safety_stock_value", 0.0),
        ("CZ", "stockouts_per_year", 0.0),
        ("CZ", "skus_without_cost", 1.0),
    ];
    for (segment, name, expected) in cases {
        check(&format!("{segment} {name}"), num(segment, name), expected);
    }
    // No on-hand comparison without stock on hand (B) or a cost (C).
    for segment in ["BZ", "CZ"] {
        assert_eq!(value(segment, "cash_released"), "", "{segment}");
    }
    assert_eq!(value("CZ", "fill_rate"), "");

    // frontier.csv: 21 levels per segment; at A's own 0.98 it repeats policies.csv.
    let (header, rows) = read_csv(&dir.join("out/frontier.csv"));
    assert_eq!(rows.len(), 3 * 21);
    let at = rows.iter().find(|r| r[0] == "AX" && r[1] == "0.98").unwrap();
    let i = header.iter().position(|h| h == "avg_inventory_value").unwrap();
    check("frontier AX 0.98", at[i].parse().unwrap(), target_a);
}

#[test]
fn help_names_the_policy_files() {
    let out = segscope(&["run", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for file in ["OUT/policies.csv", "OUT/frontier.csv", "cash released"] {
        assert!(help.contains(file), "{file} missing from:\n{help}");
    }
}

#[test]
fn sales_exports_hold_no_cost_or_margin() {
    let demo = scratch("role-demo");
    let out = segscope(&["demo", "--lines", "3000", "--out", demo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = |f: &str| demo.join(f).display().to_string();
    let out = segscope(&[
        "run",
        "--orders",
        &p("orders.csv"),
        "--cost-pools",
        &p("cost_pools.csv"),
        "--role",
        "sales",
        "--out",
        &p("sales"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (skus, _) = read_csv(&demo.join("sales/skus.csv"));
    let (customers, _) = read_csv(&demo.join("sales/customers.csv"));
    for column in skus.iter().chain(&customers) {
        for forbidden in ["margin", "cost", "profit", "cogs", "value", "cts_"] {
            assert!(!column.contains(forbidden), "sales sees {column}");
        }
    }
    assert!(skus.contains(&"service_level".to_string()) && customers.contains(&"tier".to_string()));
    for file in ["pools.csv", "cost_breakdown.csv", "what_if.csv"] {
        assert!(!demo.join("sales").join(file).exists(), "sales got {file}");
    }
}

#[test]
fn forecast_exceptions_list_only_biased_a_items() {
    let out_dir = scratch("exceptions");
    let out = segscope(&["run", "--orders", &superstore(), "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = read_csv(&out_dir.join("forecast_exceptions.csv"));
    assert_eq!(
        header,
        ["sku", "segment", "forecast_method", "bias", "mean_demand", "relative_bias", "origins"]
    );
    for r in &rows {
        assert!(r[1].starts_with('A'), "{r:?}");
        assert!(r[5].parse::<f64>().unwrap().abs() > 0.2, "{r:?}");
    }
}
