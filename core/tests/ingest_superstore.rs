//! Ingest of real and realistic exports, end to end through [`load`].
//!
//! `data/superstore.csv` is Tableau's "Sample - Superstore" (classic US
//! edition), byte for byte as published (SHA-256 58fb59c6…4b7a97); its
//! README publishes the totals checked here: 9,994 lines, 5,009 orders, 793
//! customers, 1,862 products, order dates 2014-01-03 to 2017-12-30, Sales
//! 2,297,200.8603, Profit 286,397.0217, Quantity 37,873, one exact
//! duplicate line.

use segscope_core::config::MappingConfig;
use segscope_core::ingest::{load, FileKind, InputFile, LoadOptions, Loaded, MatchedBy};
use segscope_core::{Date, Rule};

fn superstore() -> Loaded {
    let bytes = include_bytes!("data/superstore.csv");
    let orders = InputFile { name: "superstore.csv", bytes };
    let options = LoadOptions { today: Date::from_ymd(2024, 6, 30), ..LoadOptions::default() };
    load(orders, None, None, None, &MappingConfig::default(), &options).expect("superstore loads")
}

fn sum(values: impl Iterator<Item = f64>) -> f64 {
    values.sum()
}

#[test]
fn superstore_totals_match_the_published_ones() {
    let loaded = superstore();
    let d = &loaded.dataset;
    let lines = &d.lines;
    assert_eq!(lines.len(), 9_994);
    assert_eq!(d.orders.len(), 5_009);
    assert_eq!(d.customers.len(), 793);
    assert_eq!(d.skus.len(), 1_862);
    let revenue = sum((0..lines.len()).map(|i| lines.line_revenue.get(i).unwrap()));
    let margin = sum((0..lines.len()).map(|i| lines.line_margin.get(i).unwrap()));
    let quantity = sum(lines.quantity.iter().copied());
    assert!((revenue - 2_297_200.860_3).abs() < 1e-6, "{revenue}");
    assert!((margin - 286_397.021_7).abs() < 1e-6, "{margin}");
    assert_eq!(quantity, 37_873.0);
    let first = lines.date.iter().min().unwrap();
    let last = lines.date.iter().max().unwrap();
    assert_eq!((first.to_string(), last.to_string()), ("2014-01-03".into(), "2017-12-30".into()));
}

#[test]
fn superstore_layout_is_detected() {
    let loaded = superstore();
    let layout = &loaded.layouts[0];
    assert_eq!(layout.kind, FileKind::Orders);
    assert_eq!(layout.encoding, "windows-1252");
    assert_eq!(layout.delimiter, ',');
    assert_eq!(layout.rows, 9_994);
    assert_eq!(layout.headers.len(), 21);
    let mapped: Vec<(&str, &str)> = layout
        .fields
        .iter()
        .filter(|f| f.matched_by == MatchedBy::Synonym)
        .map(|f| (f.field.as_str(), f.header.as_deref().unwrap()))
        .collect();
    assert_eq!(
        mapped,
        [
            ("order_id", "Order ID"),
            ("order_date", "Order Date"),
            ("sku", "Product ID"),
            ("quantity", "Quantity"),
            ("customer_id", "Customer ID"),
            ("line_revenue", "Sales"),
            ("line_margin", "Profit"),
            ("ship_mode", "Ship Mode"),
            ("region", "Region"),
            ("row_id", "Row ID"),
        ]
    );
}

#[test]
fn superstore_findings_are_the_known_quirks() {
    let loaded = superstore();
    let r = &loaded.report;
    assert_eq!(r.count(Rule::DuplicateLine), 1);
    let dup = &r.findings.iter().find(|f| f.rule == Rule::DuplicateLine).unwrap().examples[0];
    // Row IDs 3406 and 3407 (lines 3407 and 3408) are the same line.
    assert_eq!(dup.line, 3408);
    assert!(dup.detail.contains("identical to line 3407"), "{}", dup.detail);
    assert!(r.notes.iter().any(|n| n.message.contains("month/day/year")), "{:?}", r.notes);
    assert!(r.notes.iter().any(|n| n.message.contains("Windows-1252")), "{:?}", r.notes);
    for rule in [Rule::RequiredFieldInvalid, Rule::TooManyFields, Rule::TooFewFields, Rule::Return]
    {
        assert_eq!(r.count(rule), 0, "{rule:?}");
    }
}

/// A German ERP export as Excel saves it: Windows-1252, `;`, decimal comma,
/// day-first dates with `/`, a euro sign and thousands dots.
#[test]
fn german_semicolon_export_reads_with_decimal_comma_and_day_first_dates() {
    let bytes = include_bytes!("data/orders_de_1252.csv");
    let orders = InputFile { name: "auftraege.csv", bytes };
    let loaded = load(orders, None, None, None, &MappingConfig::default(), &LoadOptions::default())
        .expect("loads");
    let layout = &loaded.layouts[0];
    assert_eq!((layout.encoding.as_str(), layout.delimiter), ("windows-1252", ';'));
    let d = &loaded.dataset;
    let lines = &d.lines;
    let dates: Vec<String> = lines.date.iter().map(|d| d.to_string()).collect();
    assert_eq!(dates, ["2023-01-04", "2023-01-04", "2023-01-15", "2023-01-20"]);
    assert_eq!(lines.quantity, [2.0, 1.0, 1000.0, -3.0]);
    assert_eq!(lines.unit_price.0, [3.49, 12.9, 1.2, 2.5]);
    assert_eq!(lines.line_revenue.0, [6.98, 12.9, 1200.0, -7.5]);
    assert_eq!(d.customers.names(), ["Müller GmbH", "Bäckerei Köhler"]);
    assert_eq!(d.skus.names(), ["M-100", "M-200", "M-300"]);
    assert_eq!(lines.ship_mode.get(2), Some("Paket"));
    assert_eq!(lines.line, [2, 3, 4, 5]);
    let r = &loaded.report;
    assert_eq!(r.count(Rule::Return), 1);
    assert!(r.notes.iter().any(|n| n.message.contains("day/month/year")), "{:?}", r.notes);
    // `1.000` alone could be 1 or 1000: the file's other columns show a decimal comma.
    assert!(r.notes.iter().any(|n| n.message.contains("`1.000`")), "{:?}", r.notes);
}

/// Loading never panics, whatever the bytes.
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn try_load(bytes: &[u8]) {
        let f = |name| InputFile { name, bytes };
        let _ = load(
            f("o.csv"),
            Some(f("p.csv")),
            Some(f("c.csv")),
            Some(f("k.csv")),
            &MappingConfig::default(),
            &LoadOptions { today: Date::from_ymd(2024, 1, 1), ..LoadOptions::default() },
        );
    }

    proptest! {
        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            try_load(&bytes);
        }

        #[test]
        fn on_csv_like_text(
            body in "(order|sku|qty|date|customer|price|[a-z\";,\t|\r\n (). 0-9/%€$-]){0,60}"
        ) {
            try_load(format!("order;date;sku;qty;customer;price;moq;pool;annual_cost;driver\n{body}").as_bytes());
            try_load(format!("Order,Date,SKU,Qty\n{body}").as_bytes());
        }
    }
}
