//! `segscope run --xlsx`: the workbook holds the same tables as the CSV
//! files, one sheet each, with the role's columns.

use std::io::Read;
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

/// The workbook's parts, by path.
fn unzip(path: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).expect("results.xlsx is a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            (entry.name().to_owned(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], path: &str) -> &'a str {
    &parts.iter().find(|p| p.0 == path).unwrap_or_else(|| panic!("no {path}")).1
}

/// The inline-string cells of a sheet's first row.
fn header(sheet: &str) -> Vec<String> {
    let row = &sheet[sheet.find("<row r=\"1\">").unwrap()..];
    let row = &row[..row.find("</row>").unwrap()];
    row.split("<t xml:space=\"preserve\">")
        .skip(1)
        .map(|s| unescape(&s[..s.find("</t>").unwrap()]))
        .collect()
}

/// XML character data back to text.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

fn csv_header(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.headers().unwrap().iter().map(String::from).collect()
}

fn run(dir: &Path, role: &str) -> PathBuf {
    let p = |f: &str| dir.join(f).display().to_string();
    let out = dir.join(role);
    let result = segscope(&[
        "run",
        "--orders",
        &p("orders.csv"),
        "--cost-pools",
        &p("cost_pools.csv"),
        "--role",
        role,
        "--xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    out
}

#[test]
fn xlsx_holds_the_csv_tables_with_the_roles_columns() {
    let dir = scratch("xlsx-demo");
    let demo = segscope(&["demo", "--lines", "2000", "--out", dir.to_str().unwrap()]);
    assert!(demo.status.success());

    let out = run(&dir, "consultant");
    let parts = unzip(&out.join("results.xlsx"));
    let book = part(&parts, "xl/workbook.xml");
    let tabs = [
        ("SKUs", "skus.csv"),
        ("Policies per segment", "policies.csv"),
        ("Service-level frontier", "frontier.csv"),
        ("Customers", "customers.csv"),
        ("Cost pools", "pools.csv"),
        ("Profitability tiers", "tiers.csv"),
        ("Cost breakdown", "cost_breakdown.csv"),
        ("Cost what-ifs", "what_if.csv"),
        ("Forecast exceptions", "forecast_exceptions.csv"),
    ];
    for (i, (tab, csv)) in tabs.iter().enumerate() {
        assert!(book.contains(&format!("<sheet name=\"{tab}\" sheetId=\"{}\"", i + 1)), "{book}");
        let sheet = part(&parts, &format!("xl/worksheets/sheet{}.xml", i + 1));
        assert_eq!(header(sheet), csv_header(&out.join(csv)), "{tab}");
        assert!(!sheet.contains("<f>"), "{tab} holds a formula");
    }
    // Rows: header + one per SKU, as in skus.csv.
    let skus = part(&parts, "xl/worksheets/sheet1.xml");
    let csv_rows = csv::Reader::from_path(out.join("skus.csv")).unwrap().records().count();
    assert_eq!(skus.matches("<row ").count(), csv_rows + 1);

    let sales = run(&dir, "sales");
    let parts = unzip(&sales.join("results.xlsx"));
    let book = part(&parts, "xl/workbook.xml");
    for hidden in ["Cost pools", "Cost breakdown", "Cost what-ifs"] {
        assert!(!book.contains(hidden), "sales got {hidden}");
    }
    let skus = header(part(&parts, "xl/worksheets/sheet1.xml"));
    assert_eq!(skus, csv_header(&sales.join("skus.csv")));
    assert!(skus.contains(&"service_level".to_string()));
    assert!(!skus.iter().any(|c| c.contains("margin") || c.contains("cost")), "{skus:?}");
}

#[test]
fn without_the_flag_no_workbook_is_written() {
    let dir = scratch("xlsx-none");
    let demo = segscope(&["demo", "--lines", "500", "--out", dir.to_str().unwrap()]);
    assert!(demo.status.success());
    let p = |f: &str| dir.join(f).display().to_string();
    let out = segscope(&["run", "--orders", &p("orders.csv"), "--out", &p("out")]);
    assert!(out.status.success());
    assert!(dir.join("out/skus.csv").exists() && !dir.join("out/results.xlsx").exists());
}
