//! `segscope run --cells`: order cells in place of order lines
//! (docs/aggregates.md). `sql/check.py`, run by `./x test`, compares whole
//! runs on the SQL's cells; these tests check the command line's side.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn segscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segscope")).args(args).output().expect("binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Two orders of two customers as weekly cells (o1: A and B, o2: A).
const CELLS: &str = "bucket,bucket_start,sku,customer_id,lines,orders,order_share,quantity,\
                     revenue,value,cost\n\
                     week,2024-01-01,A,c1,1,1,0.5,2,20,20,12\n\
                     week,2024-01-01,B,c1,1,0,0.5,1,4,4,2.5\n\
                     week,2024-01-08,A,c2,1,1,1,3,30,30,18\n";

#[test]
fn cells_give_skus_and_customers() {
    let dir = scratch("cells-run");
    let cells = dir.join("cells.csv");
    std::fs::write(&cells, CELLS).unwrap();
    let out = dir.join("out");
    let run =
        segscope(&["run", "--cells", cells.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let skus = std::fs::read_to_string(out.join("skus.csv")).unwrap();
    // A: revenue 50, margin 50 − 30 = 20, 5 units on 2 lines.
    assert!(skus.lines().nth(1).unwrap().starts_with("A,50,20,5,2,"), "{skus}");
    let customers = std::fs::read_to_string(out.join("customers.csv")).unwrap();
    assert!(customers.contains("c1,24,14.5,"), "{customers}");
    let run_json = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(run_json.contains("cells.csv"), "the run records the cells file: {run_json}");
}

#[test]
fn weekly_cells_stop_a_monthly_run_with_what_to_do() {
    let dir = scratch("cells-bucket");
    let cells = dir.join("cells.csv");
    std::fs::write(&cells, CELLS).unwrap();
    let config = dir.join("config.json");
    std::fs::write(&config, r#"{"bucket": "month"}"#).unwrap();
    let out = dir.join("out");
    let run = segscope(&[
        "run",
        "--cells",
        cells.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let message = String::from_utf8_lossy(&run.stderr);
    assert!(message.contains("by week") && message.contains("bucket = 'month'"), "{message}");
}

#[test]
fn cells_and_orders_are_one_or_the_other() {
    let run = segscope(&["run", "--cells", "a.csv", "--orders", "b.csv", "--out", "x"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot be used with"));
    let run = segscope(&["run", "--out", "x"]);
    assert_eq!(run.status.code(), Some(2), "one of them is required");
}
