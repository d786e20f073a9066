//! The entry points the fuzzers drive, shared by `fuzz/` (cargo-fuzz, on
//! nightly) and `core/tests/fuzz_regressions.rs` (the stable test command),
//! so that a reproducer replays through exactly the code that found it.
//!
//! Each function feeds arbitrary bytes to one public entry point of
//! `segscope_core` and checks what must hold for any input: no panic, and an
//! error that names the file and says something. A panic, a hang or an
//! allocation beyond the fuzzer's limit is the failure the fuzzer reports.

#![allow(dead_code)] // Each test binary and fuzz target uses some of these.

use segscope_core::ingest::{self, InputFile, LoadOptions, Overrides, Parsed, ParsedInputs};
use segscope_core::{analyze, Config, Date, IngestError};

/// The load day every harness passes: dates after it are flagged.
fn options() -> LoadOptions {
    LoadOptions { today: Date::from_ymd(2026, 11, 22), ..LoadOptions::default() }
}

/// A small well-formed orders file, joined with the fuzzed master files.
pub const ORDERS: &[u8] = b"order_id,order_date,customer_id,sku,quantity,line_revenue\n\
    SO1,2024-01-03,CU1,P-1,2,8.04\n\
    SO2,2024-02-15,CU2,P-2,1,13.93\n\
    SO3,2024-03-09,CU1,P-1,4,16.08\n";

/// Orders files with at most this many kept lines also go through
/// [`analyze`]: every stage runs on fuzzed data while each execution stays
/// in milliseconds.
const ANALYZE_MAX_LINES: usize = 200;

/// An error must name the file and say what is wrong.
fn check_error(error: &IngestError, name: &str) {
    let message = error.to_string();
    assert!(message.starts_with(name), "error does not name the file: {message}");
    assert!(message.len() > name.len() + 10, "error says nothing: {message}");
}

fn parsed_orders() -> Parsed<ingest::OrderTable> {
    let file = InputFile { name: "orders.csv", bytes: ORDERS };
    match ingest::parse_orders(file, &Overrides::new(), &options(), &mut |_| {}) {
        Ok(parsed) => parsed,
        Err(e) => panic!("the harness's own orders file is refused: {e}"),
    }
}

/// Orders: parse, join, and analyze when small.
pub fn orders(bytes: &[u8]) {
    let name = "orders.csv";
    let file = InputFile { name, bytes };
    let mut last = 0.0_f64;
    let mut progress = |share: f64| {
        assert!((0.0..=1.0).contains(&share), "progress out of range: {share}");
        last = share;
    };
    let parsed = match ingest::parse_orders(file, &Overrides::new(), &options(), &mut progress) {
        Ok(parsed) => parsed,
        Err(e) => return check_error(&e, name),
    };
    let inputs = ParsedInputs { orders: parsed, products: None, customers: None, cost_pools: None };
    let loaded = ingest::assemble(&inputs, &options());
    if loaded.dataset.lines.len() <= ANALYZE_MAX_LINES {
        let analysis = analyze(&loaded.dataset, &Config::default());
        assert_eq!(analysis.classes.len(), loaded.dataset.skus.len());
    }
}

/// A products file: parse, then join with [`ORDERS`].
pub fn products(bytes: &[u8]) {
    master(bytes, |file, inputs| {
        let parsed = ingest::parse_products(file, &Overrides::new(), &options())?;
        inputs.products = Some(parsed);
        Ok(())
    });
}

/// A customers file: parse, then join with [`ORDERS`].
pub fn customers(bytes: &[u8]) {
    master(bytes, |file, inputs| {
        let parsed = ingest::parse_customers(file, &Overrides::new(), &options())?;
        inputs.customers = Some(parsed);
        Ok(())
    });
}

/// A cost pools file: parse, then join with [`ORDERS`].
pub fn cost_pools(bytes: &[u8]) {
    master(bytes, |file, inputs| {
        let parsed = ingest::parse_cost_pools(file, &Overrides::new(), &options())?;
        inputs.cost_pools = Some(parsed);
        Ok(())
    });
}

/// Parses a master file into `inputs` with `parse`, then joins it with
/// [`ORDERS`]; the join never changes the order lines.
fn master(
    bytes: &[u8],
    parse: impl FnOnce(InputFile<'_>, &mut ParsedInputs) -> Result<(), IngestError>,
) {
    let name = "master.csv";
    let mut inputs =
        ParsedInputs { orders: parsed_orders(), products: None, customers: None, cost_pools: None };
    if let Err(e) = parse(InputFile { name, bytes }, &mut inputs) {
        return check_error(&e, name);
    }
    let loaded = ingest::assemble(&inputs, &options());
    assert_eq!(loaded.dataset.lines.len(), 3, "a master file changed the order lines");
}

/// The configuration JSON: parse and validate; an accepted configuration
/// survives a round trip through its own JSON and analyses [`ORDERS`].
pub fn config(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    match Config::from_json(text, "config.json") {
        Ok(config) => {
            let again = Config::from_json(&config.to_json(), "config.json");
            assert!(again.is_ok(), "an accepted configuration does not round-trip: {again:?}");
            // Any accepted configuration analyses a small dataset: settings
            // come from files and links people are sent, not only from the
            // app's own forms.
            let inputs = ParsedInputs {
                orders: parsed_orders(),
                products: None,
                customers: None,
                cost_pools: None,
            };
            let loaded = ingest::assemble(&inputs, &options());
            let analysis = analyze(&loaded.dataset, &config);
            assert_eq!(analysis.classes.len(), loaded.dataset.skus.len());
        }
        Err(e) => {
            assert!(e.to_string().contains("config.json"), "error does not name the file: {e}")
        }
    }
}

/// The workspace file import. Input that starts with the workspace magic is
/// decoded as it is; anything else is taken as a manifest and sealed in a
/// header with its true checksum first, so that the fuzzer reaches the
/// manifest's JSON (configuration, pools, governance) behind the SHA-256 it
/// could never forge. A decoded workspace survives encode → decode.
pub fn workspace(bytes: &[u8]) {
    use segscope_core::workspace::{decode, encode, MAGIC, VERSION};
    use sha2::{Digest, Sha256};
    let sealed;
    let input = if bytes.starts_with(MAGIC) {
        bytes
    } else {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&Sha256::digest(bytes));
        out.extend_from_slice(bytes);
        sealed = out;
        &sealed
    };
    match decode(input) {
        Ok(workspace) => {
            let again = decode(&encode(&workspace));
            assert_eq!(again.as_ref(), Ok(&workspace), "a decoded workspace does not round-trip");
        }
        Err(e) => assert!(e.to_string().len() > 40, "the error says too little: {e}"),
    }
}
