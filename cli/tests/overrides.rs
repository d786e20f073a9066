//! `segscope run --overrides`: manual overrides pin SKUs' segments, need a
//! reason, and are logged to OUT/audit.csv.

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

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

/// Revenue 50, 30, 15, 5 in one bucket → P = 0, 0.5, 0.8, 0.95 with cuts
/// 0.8 / 0.95: AX, AX, BX, CX (one bucket, so cv 0 and X).
const ORDERS: &str = "order_id,order_date,sku,quantity,unit_price\n\
                      1,2024-01-01,a,1,50\n2,2024-01-01,b,1,30\n\
                      3,2024-01-01,c,1,15\n4,2024-01-01,d,1,5\n";

fn run(dir: &Path, overrides: &str, role: &str) -> Output {
    std::fs::write(dir.join("orders.csv"), ORDERS).unwrap();
    std::fs::write(dir.join("overrides.csv"), overrides).unwrap();
    segscope(&[
        "run",
        "--orders",
        dir.join("orders.csv").to_str().unwrap(),
        "--overrides",
        dir.join("overrides.csv").to_str().unwrap(),
        "--role",
        role,
        "--out",
        dir.join("out").to_str().unwrap(),
    ])
}

#[test]
fn overrides_pin_segments_and_are_logged_to_audit_csv() {
    let dir = scratch("overrides");
    let out = run(&dir, "sku,segment,reason\nd,AY,new launch\na,CZ,end of life\n", "planner");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (header, skus) = read_csv(&dir.join("out/skus.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let segment = |sku: &str| {
        let row = skus.iter().find(|r| r[0] == sku).unwrap();
        (row[col("segment")].clone(), row[col("rule")].clone())
    };
    assert_eq!(segment("d"), ("AY".into(), "manual override".into()));
    assert_eq!(segment("a"), ("CZ".into(), "manual override".into()));
    assert_eq!(segment("b"), ("AX".into(), String::new()));

    let (header, audit) = read_csv(&dir.join("out/audit.csv"));
    assert_eq!(header, ["time", "sku", "from_segment", "to_segment", "reason", "run"]);
    let rows: Vec<Vec<&str>> =
        audit.iter().map(|r| r[1..].iter().map(String::as_str).collect()).collect();
    assert_eq!(rows, [["d", "CX", "AY", "new launch", "1"], ["a", "AX", "CZ", "end of life", "1"]]);
    assert!(audit[0][0].ends_with('Z') && audit[0][0].contains('T'), "{}", audit[0][0]);
    // run.json records the overrides as rules on one SKU each.
    let run = std::fs::read_to_string(dir.join("out/run.json")).unwrap();
    assert!(run.contains("\"override_reason\": \"new launch\""), "{run}");
}

#[test]
fn an_override_without_reason_stops_the_run_naming_its_line() {
    let dir = scratch("overrides-no-reason");
    let out = run(&dir, "sku,segment,reason\nd,AY,new launch\nb,BX,  \n", "consultant");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("overrides.csv, line 3") && err.contains("no reason"), "{err}");
    assert!(!dir.join("out/skus.csv").exists());
    let out = run(&dir, "sku,segment,reason\nzz,AY,typo\n", "consultant");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("'zz' is not in the loaded data"));
}

#[test]
fn sales_gets_no_audit_trail() {
    let dir = scratch("overrides-sales");
    let out = run(&dir, "sku,segment,reason\nd,AY,new launch\n", "sales");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("out/skus.csv").exists());
    assert!(!dir.join("out/audit.csv").exists());
}
