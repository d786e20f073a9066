//! Properties of the generated files, checked on the CSV text as segscope
//! would read it. The figures come from `shape`, an independent reading of
//! the files with the definitions of SPEC §2, §3 and §5.

mod shape;

use crate::{generate, Files, Params};
use shape::{rows, PATTERNS};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The bundled demo, generated once for all tests.
fn demo() -> &'static Files {
    static DEMO: OnceLock<Files> = OnceLock::new();
    DEMO.get_or_init(|| generate(&Params::demo()))
}

fn demo_shape() -> &'static shape::Shape {
    static SHAPE: OnceLock<shape::Shape> = OnceLock::new();
    SHAPE.get_or_init(|| shape::shape(&demo().orders, &demo().cost_pools))
}

fn small(seed: u64) -> Params {
    Params { seed, lines: 3_000, skus: 120, customers: 40, ..Params::demo() }
}

fn column(file: &[u8], name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(file);
    let i = reader.headers().unwrap().iter().position(|h| h == name).expect(name);
    reader.records().map(|r| r.unwrap()[i].to_string()).collect()
}

/// FNV-1a, 64 bits: a fixed fingerprint of the bytes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn same_seed_gives_identical_bytes() {
    assert_eq!(generate(&small(9)), generate(&small(9)));
    assert_eq!(&generate(&Params::demo()), demo());
}

#[test]
fn different_seeds_give_different_bytes() {
    let (a, b) = (generate(&small(1)), generate(&small(2)));
    assert_ne!(a.orders, b.orders);
    assert_ne!(a.products, b.products);
    assert_ne!(a.customers, b.customers);
}

#[test]
fn demo_bytes_are_pinned() {
    // The demo is bundled in the app and quoted in docs: it must not drift
    // silently. After an intended change, update these fingerprints and say so
    // in the commit. WebAssembly must give the same values (see
    // `examples/wasm_fingerprint.rs`).
    let got: Vec<u64> = demo().named().iter().map(|(_, b)| fnv1a(b)).collect();
    assert_eq!(got, DEMO_FNV1A, "demo fingerprints changed: {got:#018x?}");
}

/// FNV-1a of the demo's orders, products, customers and cost pools.
const DEMO_FNV1A: [u64; 4] =
    [0xaf4d_bbb1_89a6_8254, 0xd4ce_061e_a037_70cf, 0x8a30_5285_b2d0_10f4, 0x3a28_ff2c_eff2_e437];

#[test]
fn orders_have_exactly_the_requested_number_of_lines() {
    let cases = [
        Params { lines: 0, ..small(1) },
        Params { lines: 1, ..small(1) },
        Params { lines: 7, skus: 1, customers: 1, weeks: 1, ..small(1) },
        Params { lines: 500, skus: 0, customers: 0, weeks: 0, ..small(2) },
        Params { lines: 12_345, weeks: 3, ..small(3) },
        Params { lines: 2_000, skus: 5_000, customers: 3, ..small(4) },
        Params::scaled(4_321, 5),
    ];
    for p in cases {
        let files = generate(&p);
        assert_eq!(rows(&files.orders).count(), p.lines, "{p:?}");
        assert_eq!(rows(&files.products).count(), p.skus.max(1), "{p:?}");
        assert_eq!(rows(&files.customers).count(), p.customers.max(1), "{p:?}");
        assert_eq!(rows(&files.cost_pools).count(), 6, "{p:?}");
    }
}

#[test]
fn scaled_catalogue_and_customers_grow_with_lines() {
    let p = Params::scaled(1_000_000, 1);
    assert_eq!((p.skus, p.customers, p.weeks), (50_000, 10_000, 104));
    let p = Params::scaled(100, 1);
    assert_eq!((p.skus, p.customers), (20, 10));
}

#[test]
fn every_order_line_references_a_known_sku_and_customer() {
    for files in [demo(), &generate(&small(5))] {
        let skus: HashSet<String> = column(&files.products, "sku").into_iter().collect();
        let customers: HashSet<String> =
            column(&files.customers, "customer_id").into_iter().collect();
        for f in rows(&files.orders) {
            assert!(skus.contains(f[3]), "unknown SKU {}", f[3]);
            assert!(customers.contains(f[2]), "unknown customer {}", f[2]);
        }
    }
}

#[test]
fn codes_are_unique() {
    let files = demo();
    for (file, key) in [(&files.products, "sku"), (&files.customers, "customer_id")] {
        let codes = column(file, key);
        let unique: HashSet<&String> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len(), "{key}");
    }
}

#[test]
fn files_are_rfc4180_with_the_spec_headers() {
    let headers = [
        "order_id,order_date,customer_id,sku,quantity,unit_price,line_revenue,unit_cost,weight_kg,\
         ship_mode,warehouse,region,channel,promised_date,delivered_date,promo",
        "sku,description,category,unit_cost,weight_kg,lead_time_days,lead_time_sd_days,moq,\
         order_multiple,lifecycle,perishable,strategic,holding_rate,on_hand,shelf_life_days",
        "customer_id,name,channel,region,strategic,target_service_level",
        "pool,annual_cost,driver,fixed_share",
    ];
    for ((name, bytes), header) in demo().named().into_iter().zip(headers) {
        assert!(bytes.starts_with(format!("{header}\n").as_bytes()), "{name} header");
        assert!(bytes.ends_with(b"\n") && !bytes.contains(&b'\r'), "{name} line ends");
        // Strict parsing (every record as long as the header), then writing
        // back with minimal quoting, must reproduce the bytes exactly: the
        // file is valid RFC 4180 and quotes only where needed.
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        writer.write_record(reader.headers().unwrap()).unwrap();
        for record in reader.records() {
            writer.write_record(&record.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        }
        assert!(writer.into_inner().unwrap() == bytes, "{name} does not round-trip");
    }
    // Some names and descriptions do need quotes, so readers are exercised.
    assert!(demo().products.contains(&b'"') && demo().customers.contains(&b'"'));
}

#[test]
fn numbers_use_dot_decimals_with_fixed_precision() {
    let decimals = |s: &str| s.split_once('.').map_or(0, |(_, d)| d.len());
    for f in rows(&demo().orders) {
        assert!(f[4].parse::<i64>().is_ok(), "quantity {}", f[4]);
        assert_eq!((decimals(f[5]), decimals(f[6])), (2, 2), "money {f:?}");
        assert!((2..=4).contains(&decimals(f[7])), "cost {}", f[7]);
        assert!(f[8].parse::<f64>().unwrap() > 0.0, "weight {}", f[8]);
    }
}

#[test]
fn demo_has_the_documented_size_and_a_distributors_margin() {
    let s = demo_shape();
    assert_eq!(s.lines, 30_000);
    assert!(s.skus_sold >= 390, "SKUs sold {}", s.skus_sold);
    assert!(s.customers >= 240, "customers {}", s.customers);
    let returns = s.returns as f64 / s.lines as f64;
    assert!((0.006..0.014).contains(&returns), "returns {returns}");
    let margin = (s.revenue - s.cogs) / s.revenue;
    assert!((0.25..0.45).contains(&margin), "gross margin {margin}");
}

#[test]
fn line_revenue_is_quantity_times_unit_price_to_the_cent() {
    assert_eq!(demo_shape().inconsistent_lines, 0);
}

#[test]
fn dates_are_iso_within_the_horizon_and_ascending() {
    let s = demo_shape();
    assert_eq!((s.first_date.as_str(), s.last_date.as_str()), ("2023-01-02", "2024-12-29"));
    assert_eq!(s.weeks, 104);
    let mut last = String::new();
    let mut last_no = 0;
    for f in rows(&demo().orders) {
        assert!(f[1] >= last.as_str(), "dates ascend");
        let no: u64 = f[0][2..].parse().unwrap();
        assert!(no >= last_no, "order numbers rise with dates");
        if f[4].starts_with('-') {
            assert!(f[13].is_empty() && f[14].is_empty(), "a return has no delivery");
        } else {
            assert!(f[13] > f[1] && f[14] > f[1], "delivery after the order: {f:?}");
        }
        last = f[1].to_string();
        last_no = no;
    }
}

#[test]
fn most_deliveries_are_on_time() {
    let on_time = demo_shape().on_time;
    assert!((0.85..0.97).contains(&on_time), "on time {on_time}");
}

#[test]
fn orders_have_several_lines() {
    let s = demo_shape();
    let per_order = s.lines as f64 / s.orders as f64;
    assert!((2.5..8.0).contains(&per_order), "lines per order {per_order}");
}

#[test]
fn demo_sku_revenue_is_pareto_like() {
    let share = demo_shape().top20_share;
    assert!((0.65..=0.90).contains(&share), "top 20 % of SKUs hold {share}");
}

#[test]
fn demo_has_every_demand_pattern_at_weekly_buckets() {
    // Syntetos–Boylan with ADI = n / k over the whole horizon (SPEC §3.3),
    // computed from the orders text in `shape`.
    let counts = demo_shape().patterns;
    for (name, n) in PATTERNS.iter().zip(counts) {
        assert!(n >= 5, "{name}: {n} SKUs ({counts:?})");
    }
}

#[test]
fn demo_has_every_abc_and_xyz_class() {
    let s = demo_shape();
    assert!(s.abc.iter().all(|&n| n >= 5), "ABC {:?}", s.abc);
    assert!(s.xyz.iter().all(|&n| n >= 5), "XYZ {:?}", s.xyz);
}

#[test]
fn adi_and_cv2_classify_textbook_series() {
    // Smooth, intermittent, erratic, lumpy (thresholds of Syntetos, Boylan
    // and Croston 2005: ADI 1.32, CV² 0.49).
    let cases: [(&[f64], usize); 4] = [
        (&[5.0, 6.0, 5.0, 4.0, 5.0, 6.0], 0),
        (&[5.0, 0.0, 0.0, 5.0, 0.0, 6.0], 1),
        (&[1.0, 9.0, 1.0, 12.0, 1.0, 1.0], 2),
        (&[1.0, 0.0, 0.0, 20.0, 0.0, 0.0], 3),
    ];
    for (series, want) in cases {
        let (adi, cv2) = shape::adi_cv2(series).unwrap();
        assert_eq!(shape::pattern(adi, cv2), want, "{series:?}: adi {adi}, cv2 {cv2}");
    }
}

#[test]
fn about_one_percent_of_lines_are_returns_of_earlier_purchases() {
    for files in [demo(), &generate(&Params::scaled(60_000, 3))] {
        let mut bought: HashMap<(&str, &str), (String, i64)> = HashMap::new();
        let (mut returns, mut lines) = (0, 0);
        for f in rows(&files.orders) {
            lines += 1;
            let qty: i64 = f[4].parse().unwrap();
            if qty > 0 {
                let e = bought.entry((f[2], f[3])).or_insert((f[1].to_string(), 0));
                e.1 = e.1.max(qty);
            } else {
                returns += 1;
                assert!(f[0].starts_with("RT") && qty < 0, "{f:?}");
                let (first, most) =
                    bought.get(&(f[2], f[3])).expect("a return of something bought");
                assert!(first.as_str() <= f[1] && -qty <= *most, "{f:?}");
            }
        }
        let share = returns as f64 / lines as f64;
        assert!((0.006..0.014).contains(&share), "returns {share}");
    }
}

#[test]
fn some_lines_are_promotions_at_a_lower_price() {
    let s = demo_shape();
    let share = s.promo_lines as f64 / s.lines as f64;
    assert!((0.002..0.05).contains(&share), "promo share {share}");
}

#[test]
fn unit_cost_is_55_to_75_percent_of_price() {
    let (mut cost, mut value) = (0.0, 0.0);
    for f in rows(&demo().orders) {
        let (q, p, c): (f64, f64, f64) =
            (f[4].parse().unwrap(), f[5].parse().unwrap(), f[7].parse().unwrap());
        assert!(c < p, "cost above price: {f:?}");
        cost += q * c;
        value += q * p;
    }
    let ratio = cost / value;
    assert!((0.55..=0.75).contains(&ratio), "cost ratio {ratio}");
}

#[test]
fn products_cover_lifecycles_perishables_strategic_and_unsold_stock() {
    let p = &demo().products;
    let lifecycle = column(p, "lifecycle");
    for stage in ["new", "active", "eol"] {
        assert!(lifecycle.iter().filter(|l| *l == stage).count() >= 3, "{stage}");
    }
    let perishable = column(p, "perishable");
    let shelf = column(p, "shelf_life_days");
    for (per, days) in perishable.iter().zip(&shelf) {
        assert_eq!(per == "true", !days.is_empty(), "shelf life only for perishables");
    }
    assert!(perishable.iter().filter(|x| *x == "true").count() >= 5);
    assert!(column(p, "strategic").iter().any(|x| x == "true"));
    let sold: HashSet<&str> =
        rows(&demo().orders).map(|f| f[3]).collect::<Vec<_>>().into_iter().collect();
    let on_hand = column(p, "on_hand");
    let unsold_in_stock = column(p, "sku")
        .iter()
        .zip(&on_hand)
        .filter(|(sku, stock)| !sold.contains(sku.as_str()) && stock.parse::<i64>().unwrap() > 0)
        .count();
    assert!((1..=10).contains(&unsold_in_stock), "unsold SKUs with stock: {unsold_in_stock}");
}

#[test]
fn customers_span_channels_regions_and_ship_modes() {
    let c = &demo().customers;
    let channels: HashSet<String> = column(c, "channel").into_iter().collect();
    let regions: HashSet<String> = column(c, "region").into_iter().collect();
    let modes: HashSet<&str> =
        rows(&demo().orders).map(|f| f[9]).collect::<Vec<_>>().into_iter().collect();
    assert_eq!(channels, ["Wholesale", "Retail", "E-commerce"].map(String::from).into());
    assert_eq!(regions, ["North", "South", "East", "West"].map(String::from).into());
    assert_eq!(modes, ["Standard", "Express", "Pallet"].into());
}

#[test]
fn cost_to_serve_is_8_to_15_percent_of_revenue_and_some_customers_lose_money() {
    let s = demo_shape();
    let share = s.cost_to_serve / s.revenue;
    assert!((0.08..=0.15).contains(&share), "cost to serve {share}");
    let lossy = s.unprofitable_customers as f64 / s.customers as f64;
    assert!((0.05..0.5).contains(&lossy), "unprofitable customers {lossy}");
}

#[test]
fn customers_do_not_depend_on_lines_or_catalogue() {
    let a = generate(&small(8));
    let b = generate(&Params { lines: 777, skus: 33, ..small(8) });
    assert_eq!(a.customers, b.customers);
}

#[test]
fn a_sku_keeps_its_master_data_when_the_catalogue_grows() {
    let a = generate(&Params { skus: 50, ..small(6) });
    let b = generate(&Params { skus: 80, ..small(6) });
    for name in ["sku", "description", "category", "weight_kg"] {
        assert_eq!(column(&a.products, name)[..], column(&b.products, name)[..50], "{name}");
    }
}
