//! Joining the parsed files into one [`Dataset`] and the rules that need
//! more than one file.
//!
//! The orders file numbers its SKUs and customers in order of first
//! appearance; the dataset keeps those numbers and appends the codes known
//! only from the products or customers file, in that file's order. So order
//! lines need no renumbering; master rows are renumbered by code.
//!
//! Rules that count SKUs or customers rather than rows (absent from
//! products, unsold, without sales, case variants) count codes, with one
//! example per code or group.

use super::{
    FileKind, FileLayout, LoadOptions, Loaded, OrderTable, Parsed, ParsedInputs, ProductTable,
};
use crate::dataset::{Codes, Dataset, Product};
use crate::quality::{DqReport, Example, Rule};
use segscope_scan::intern::FxHasher;
use std::hash::Hasher;

/// Joins parsed files (see [`super::assemble`]).
pub(crate) fn assemble(inputs: &ParsedInputs, options: &LoadOptions) -> Loaded {
    let products = inputs.products.as_ref().map_or_else(Vec::new, |p| p.table.products.clone());
    assemble_with(inputs, inputs.orders.table.clone(), products, options)
}

/// Joins parsed files that are not needed afterwards: the orders table
/// and the products move into the dataset rather than being copied (a
/// million lines and their codes; the products' texts).
pub(crate) fn assemble_owned(mut inputs: ParsedInputs, options: &LoadOptions) -> Loaded {
    let table = std::mem::take(&mut inputs.orders.table);
    let products = take_products(&mut inputs);
    assemble_with(&inputs, table, products, options)
}

/// What [`assemble_moving`] moved into the dataset, to be given back
/// ([`give_back`]): how many SKU and customer codes the orders file itself
/// numbered (the other files' codes come after them), and the products'
/// SKU numbers in the products file's own codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovedTables {
    /// `None` once the orders file is replaced or removed.
    orders: Option<(usize, usize)>,
    /// `None` when no products were moved, or once their file is replaced
    /// or removed.
    product_skus: Option<Vec<u32>>,
}

impl MovedTables {
    /// The orders file the table was moved from is gone (replaced or
    /// removed): [`give_back`] drops its table.
    pub fn forget_orders(&mut self) {
        self.orders = None;
    }

    /// The products file the products were moved from is gone: [`give_back`]
    /// drops them.
    pub fn forget_products(&mut self) {
        self.product_skus = None;
    }
}

/// Joins parsed files that are kept to be joined again (the app's worker):
/// the orders table and the products move into the dataset, leaving
/// `inputs.orders.table` and the products table's rows empty, and
/// [`give_back`] puts them back from the dataset before the next join — one
/// copy of a million order lines instead of two, and no copy of the
/// products' texts (the products' part of the join 14–18 → 9–10 ms in the
/// browser at 50,000 SKUs, issue #7).
pub(crate) fn assemble_moving(
    inputs: &mut ParsedInputs,
    options: &LoadOptions,
) -> (Loaded, MovedTables) {
    let table = std::mem::take(&mut inputs.orders.table);
    let products = take_products(inputs);
    let moved = MovedTables {
        orders: Some((table.skus.len(), table.customers.len())),
        product_skus: inputs.products.as_ref().map(|_| products.iter().map(|p| p.sku).collect()),
    };
    (assemble_with(inputs, table, products, options), moved)
}

/// The products file's rows, moved out (none without the file).
fn take_products(inputs: &mut ParsedInputs) -> Vec<Product> {
    inputs.products.as_mut().map_or_else(Vec::new, |p| std::mem::take(&mut p.table.products))
}

/// Puts what [`assemble_moving`] moved into `dataset` back into the tables
/// it came from, as they were parsed, unless their file is gone since: the
/// join leaves the lines and order ids as they were and only appends the
/// other files' codes to the SKU and customer codes, which are dropped
/// again; the products get their own SKU numbers back.
pub(crate) fn give_back(
    orders: Option<&mut Parsed<OrderTable>>,
    products: Option<&mut Parsed<ProductTable>>,
    dataset: Dataset,
    moved: MovedTables,
) {
    let Dataset { mut skus, mut customers, orders: order_ids, lines, products: mut rows, .. } =
        dataset;
    if let (Some(parsed), Some((n_skus, n_customers))) = (orders, moved.orders) {
        skus.truncate(n_skus);
        customers.truncate(n_customers);
        parsed.table = OrderTable { skus, customers, orders: order_ids, lines };
    }
    if let (Some(parsed), Some(numbers)) = (products, moved.product_skus) {
        if parsed.table.products.is_empty() && numbers.len() == rows.len() {
            for (p, sku) in rows.iter_mut().zip(numbers) {
                p.sku = sku;
            }
            parsed.table.products = rows;
        }
    }
}

/// Joins `inputs` with `table` as the orders file's table and `products` as
/// the products file's rows (`inputs.orders.table` and the products table's
/// rows are not read: they may have been moved out).
fn assemble_with(
    inputs: &ParsedInputs,
    table: OrderTable,
    parsed_products: Vec<Product>,
    options: &LoadOptions,
) -> Loaded {
    let orders = &inputs.orders;
    let mut report = DqReport::default();
    let mut layouts = vec![orders.layout.clone()];
    report.merge(orders.report.clone());

    let OrderTable { mut skus, mut customers, orders: order_ids, lines } = table;
    let n_order_skus = skus.len();

    // Per SKU of the orders file: its first line and its number of lines.
    let mut first_line = vec![0u32; n_order_skus];
    let mut line_count = vec![0u64; n_order_skus];
    for (&sku, &line) in lines.sku.iter().zip(&lines.line) {
        if let Some(n) = line_count.get_mut(sku as usize) {
            if *n == 0 {
                if let Some(f) = first_line.get_mut(sku as usize) {
                    *f = line;
                }
            }
            *n += 1;
        }
    }

    let mut products = Vec::new();
    if let Some(parsed) = &inputs.products {
        layouts.push(parsed.layout.clone());
        report.merge(parsed.report.clone());
        let file = parsed.layout.name.as_str();
        let sku_header = header_of(&parsed.layout, "sku");
        let mut listed = vec![false; n_order_skus];
        products = parsed_products;
        for p in &mut products {
            let code = parsed.table.skus.name(p.sku);
            let sku = skus.intern(code);
            if let Some(l) = listed.get_mut(sku as usize) {
                *l = true;
            }
            if sku as usize >= n_order_skus {
                report.flag(
                    Rule::ProductWithoutSales,
                    Example {
                        file: file.to_owned(),
                        line: u64::from(p.line),
                        column: sku_header.clone(),
                        detail: format!("SKU `{code}` has no order lines; left out of the results"),
                    },
                );
                if let Some(why) = stock_or_forecast(p) {
                    report.flag(
                        Rule::UnsoldProduct,
                        Example {
                            file: file.to_owned(),
                            line: u64::from(p.line),
                            column: sku_header.clone(),
                            detail: format!("SKU `{code}` has no order lines but {why}"),
                        },
                    );
                }
            }
            p.sku = sku;
        }
        let orders_file = orders.layout.name.as_str();
        let orders_sku_header = header_of(&orders.layout, "sku");
        for (sku, &is_listed) in listed.iter().enumerate() {
            if !is_listed {
                let code = skus.name(sku as u32);
                let n = line_count.get(sku).copied().unwrap_or(0);
                report.flag(
                    Rule::SkuNotInProducts,
                    Example {
                        file: orders_file.to_owned(),
                        line: u64::from(first_line.get(sku).copied().unwrap_or(0)),
                        column: orders_sku_header.clone(),
                        detail: format!(
                            "SKU `{code}` ({n} line(s)) has no row in {file}; defaults used"
                        ),
                    },
                );
            }
        }
        cost_above_price_from_products(&lines, &products, n_order_skus, orders, &mut report);
    }

    let mut customer_info = Vec::new();
    if let Some(parsed) = &inputs.customers {
        layouts.push(parsed.layout.clone());
        report.merge(parsed.report.clone());
        for c in &parsed.table.rows {
            let customer = customers.intern(parsed.table.customers.name(c.customer));
            customer_info.push(crate::dataset::Customer { customer, ..c.clone() });
        }
    }

    let mut cost_pools = Vec::new();
    if let Some(parsed) = &inputs.cost_pools {
        layouts.push(parsed.layout.clone());
        report.merge(parsed.report.clone());
        cost_pools = parsed.table.clone();
    }

    layouts.sort_by_key(|l| l.kind);
    let dataset =
        Dataset { skus, customers, orders: order_ids, lines, products, customer_info, cost_pools };
    if !options.later_findings {
        flag_case_variants(&dataset, &layouts, &mut report);
    }
    Loaded { dataset, report, layouts }
}

/// Adds to `loaded`'s report the findings [`LoadOptions::later_findings`]
/// left out: its report is then the report of a load without that option
/// (each of these rules is flagged nowhere else, so where its findings
/// come in the report's making does not change it).
pub fn later_findings(loaded: &mut Loaded) {
    let Loaded { dataset, report, layouts } = loaded;
    // Order cells have no lines to judge.
    if let Some(orders) = layouts.iter().find(|l| l.kind == FileKind::Orders) {
        super::orders::quantity_outliers(&dataset.lines, &dataset.skus, orders, report);
    }
    flag_case_variants(dataset, layouts, report);
}

/// Flags the SKU and customer codes of `dataset` that differ only by case,
/// each group at the first line of its second code: its first order line,
/// else its row in the master file (the files named in `layouts`).
fn flag_case_variants(dataset: &Dataset, layouts: &[FileLayout], report: &mut DqReport) {
    let name_of = |kinds: &[FileKind]| {
        layouts.iter().find(|l| kinds.contains(&l.kind)).map_or(String::new(), |l| l.name.clone())
    };
    let orders_name = name_of(&[FileKind::Orders, FileKind::Cells]);
    let lines = &dataset.lines;
    // Where a code is first seen: its first order line (none for a code
    // of a master file only), else its master row.
    let located = |first: &[u32], master: &[u32], master_name: &str, code: u32| match first
        .get(code as usize)
        .filter(|&&line| line != u32::MAX)
    {
        Some(&line) => (orders_name.clone(), u64::from(line)),
        None => {
            let line = master.get(code as usize).copied().unwrap_or(0);
            (master_name.to_owned(), u64::from(line))
        }
    };

    // Each code's row in its master file, as (code, line) pairs.
    let master_lines = |n: usize, rows: &mut dyn Iterator<Item = (u32, u32)>| {
        let mut lines = vec![0u32; n];
        for (code, line) in rows {
            if let Some(l) = lines.get_mut(code as usize) {
                *l = line;
            }
        }
        lines
    };

    let sku_first = first_lines(&lines.sku, &lines.line, dataset.skus.len());
    let product_line =
        master_lines(dataset.skus.len(), &mut dataset.products.iter().map(|p| (p.sku, p.line)));
    let products_name = name_of(&[FileKind::Products]);
    let sku_lines = |sku: u32| located(&sku_first, &product_line, &products_name, sku);
    case_variants(&dataset.skus, "SKU", report, &sku_lines);

    let customer_first = first_lines(&lines.customer, &lines.line, dataset.customers.len());
    let customer_line = master_lines(
        dataset.customers.len(),
        &mut dataset.customer_info.iter().map(|c| (c.customer, c.line)),
    );
    let customers_name = name_of(&[FileKind::Customers]);
    let customer_lines = |c: u32| located(&customer_first, &customer_line, &customers_name, c);
    case_variants(&dataset.customers, "customer", report, &customer_lines);
}

/// The header a field was mapped to in a file.
fn header_of(layout: &super::FileLayout, field: &str) -> Option<String> {
    layout.fields.iter().find(|f| f.field == field).and_then(|f| f.header.clone())
}

/// Why an unsold product matters, if it does.
fn stock_or_forecast(p: &Product) -> Option<String> {
    match (p.on_hand.filter(|&v| v > 0.0), p.forecast.filter(|&v| v > 0.0)) {
        (Some(s), Some(f)) => Some(format!("{s} on hand and a forecast of {f}")),
        (Some(s), None) => Some(format!("{s} on hand")),
        (None, Some(f)) => Some(format!("a forecast of {f}")),
        (None, None) => None,
    }
}

/// For each code number below `n`, the first line it appears on.
fn first_lines(codes: &[u32], lines: &[u32], n: usize) -> Vec<u32> {
    let mut first = vec![u32::MAX; n];
    for (&c, &l) in codes.iter().zip(lines) {
        if let Some(f) = first.get_mut(c as usize) {
            if *f == u32::MAX {
                *f = l;
            }
        }
    }
    first
}

/// Flags each group of codes that differ only by letter case, once, at the
/// first line of its second variant.
fn case_variants(
    codes: &Codes,
    what: &str,
    report: &mut DqReport,
    locate: &dyn Fn(u32) -> (String, u64),
) {
    // Codes keyed by a hash of their lowercase text, sigma folded (`ς` and
    // `σ`, which `to_lowercase` tells apart by position): codes that are
    // equal in lowercase share a key. Only codes with a shared key are
    // lowercased as text, to tell a collision from a variant.
    let mut folded = String::new();
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(codes.len());
    for (id, name) in codes.names().iter().enumerate() {
        folded.clear();
        let lower = name.chars().flat_map(char::to_lowercase);
        folded.extend(lower.map(|c| if c == 'ς' { 'σ' } else { c }));
        let mut hash = FxHasher::default();
        hash.write(folded.as_bytes());
        keyed.push((hash.finish(), id as u32));
    }
    keyed.sort_unstable();
    let mut variants: Vec<Vec<u32>> = Vec::new();
    for same_key in keyed.chunk_by(|a, b| a.0 == b.0).filter(|k| k.len() > 1) {
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for &(_, id) in same_key {
            let lower = codes.name(id).to_lowercase();
            match groups.iter_mut().find(|(text, _)| *text == lower) {
                Some((_, ids)) => ids.push(id),
                None => groups.push((lower, vec![id])),
            }
        }
        variants.extend(groups.into_iter().map(|(_, ids)| ids).filter(|ids| ids.len() > 1));
    }
    variants.sort();
    for group in variants {
        let names: Vec<String> = group.iter().map(|&id| format!("`{}`", codes.name(id))).collect();
        let (file, line) = locate(group.get(1).copied().unwrap_or(0));
        report.flag(
            Rule::CaseVariantCodes,
            Example {
                file,
                line,
                column: None,
                detail: format!(
                    "{what} codes {} differ only by letter case; they are kept apart",
                    names.join(", ")
                ),
            },
        );
    }
}

/// Lines without a cost of their own whose product's unit cost is above the
/// line's unit price.
fn cost_above_price_from_products(
    lines: &crate::dataset::OrderLines,
    products: &[Product],
    n_order_skus: usize,
    orders: &super::Parsed<super::OrderTable>,
    report: &mut DqReport,
) {
    let mut cost = vec![None; n_order_skus];
    for p in products {
        if let (Some(slot), Some(c)) = (cost.get_mut(p.sku as usize), p.unit_cost) {
            *slot = Some(c);
        }
    }
    if cost.iter().all(Option::is_none) {
        return;
    }
    let file = orders.layout.name.as_str();
    for i in 0..lines.len() {
        if lines.unit_cost.get(i).is_some() || lines.line_cost.get(i).is_some() {
            continue;
        }
        let q = lines.quantity.get(i).copied().unwrap_or(0.0);
        let price = lines
            .unit_price
            .get(i)
            .or_else(|| lines.line_revenue.get(i).filter(|_| q != 0.0).map(|r| r / q));
        let c = lines.sku.get(i).and_then(|&s| cost.get(s as usize).copied().flatten());
        if let (Some(p), Some(c)) = (price, c) {
            if p > 0.0 && c > p * (1.0 + 1e-9) {
                report.flag(
                    Rule::CostAbovePrice,
                    Example {
                        file: file.to_owned(),
                        line: u64::from(lines.line.get(i).copied().unwrap_or(0)),
                        column: None,
                        detail: format!(
                            "unit cost {c} from the products file is above the unit price {p}"
                        ),
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        assemble, load, parse_cells, parse_customers, parse_orders, parse_products, FileKind,
        InputFile, LoadOptions, Loaded, Overrides, ParsedInputs,
    };
    use crate::config::MappingConfig;
    use crate::quality::Rule;

    const ORDERS: &str = "order,date,sku,qty,customer,price\n\
                          1,2024-01-02,B,1,c2,10\n\
                          2,2024-01-03,A,2,c1,10\n\
                          3,2024-01-04,B,1,c2,10\n";

    fn file<'a>(name: &'a str, text: &'a str) -> InputFile<'a> {
        InputFile { name, bytes: text.as_bytes() }
    }

    fn load_all(orders: &str, products: Option<&str>, customers: Option<&str>) -> Loaded {
        load(
            file("orders.csv", orders),
            products.map(|p| file("products.csv", p)),
            customers.map(|c| file("customers.csv", c)),
            Some(file("pools.csv", "pool,annual_cost,driver\nPicking,1000,lines\n")),
            &MappingConfig::default(),
            &LoadOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn the_first_unreadable_file_in_order_is_the_error() {
        let load_with = |orders: &str, products: &str, customers: &str| {
            let error = load(
                file("orders.csv", orders),
                Some(file("products.csv", products)),
                Some(file("customers.csv", customers)),
                None,
                &MappingConfig::default(),
                &LoadOptions::default(),
            )
            .err();
            error.map(|e| e.to_string())
        };
        let (good_products, good_customers) = ("sku,unit_cost\nA,4\n", "customer\nc1\n");
        let file_of = |e: Option<String>| {
            ["orders.csv", "products.csv", "customers.csv"]
                .into_iter()
                .find(|f| e.as_deref().is_some_and(|e| e.contains(f)))
        };
        assert_eq!(file_of(load_with("", "", "")), Some("orders.csv"));
        assert_eq!(file_of(load_with(ORDERS, "", "")), Some("products.csv"));
        assert_eq!(file_of(load_with(ORDERS, good_products, "")), Some("customers.csv"));
        assert_eq!(load_with(ORDERS, good_products, good_customers), None);
    }

    #[test]
    fn the_orders_table_and_products_moved_into_the_dataset_come_back_as_parsed() {
        use super::super::{parse_customers, parse_orders, parse_products, ParsedInputs};
        let options = LoadOptions::default();
        let none = Default::default();
        // Products and customers the orders never name add codes to the join.
        let products = "sku,unit_cost\nA,4\nZ,1\nY,2\n";
        let customers = "customer,segment\nc9,retail\nc1,retail\n";
        let mut inputs = ParsedInputs {
            orders: parse_orders(file("orders.csv", ORDERS), &none, &options, &mut |_| {}).unwrap(),
            products: Some(parse_products(file("p.csv", products), &none, &options).unwrap()),
            customers: Some(parse_customers(file("c.csv", customers), &none, &options).unwrap()),
            cost_pools: None,
        };
        let parsed = inputs.orders.table.clone();
        let copied = super::assemble(&inputs, &options);
        let parsed_products = inputs.products.as_ref().unwrap().table.clone();
        let (moved, lent) = super::assemble_moving(&mut inputs, &options);
        assert_eq!(moved.dataset, copied.dataset);
        assert!(moved.dataset.skus.len() > parsed.skus.len(), "the join adds codes");
        assert_eq!(inputs.orders.table.lines.len(), 0, "moved, not copied");
        assert!(inputs.products.as_ref().unwrap().table.products.is_empty(), "moved, not copied");
        super::give_back(Some(&mut inputs.orders), inputs.products.as_mut(), moved.dataset, lent);
        assert_eq!(inputs.orders.table, parsed);
        assert_eq!(inputs.products.as_ref().unwrap().table, parsed_products);
        let (again, _) = super::assemble_moving(&mut inputs, &options);
        assert_eq!(again.dataset, copied.dataset);
    }

    /// The (line, file) of every example of `rule`.
    fn hits(loaded: &Loaded, rule: Rule) -> Vec<(u64, String)> {
        let f = loaded.report.findings.iter().find(|f| f.rule == rule);
        f.map_or(Vec::new(), |f| f.examples.iter().map(|e| (e.line, e.file.clone())).collect())
    }

    #[test]
    fn order_codes_come_first_then_master_only_codes() {
        let loaded = load_all(
            ORDERS,
            Some("sku,description\nA,Apple\nC,Cherry\nB,Banana\n"),
            Some("customer,name\nc9,Nine\nc1,One\n"),
        );
        let d = &loaded.dataset;
        assert_eq!(d.skus.names(), ["B", "A", "C"]);
        assert_eq!(d.lines.sku, [0, 1, 0]);
        let products: Vec<(u32, Option<&str>)> =
            d.products.iter().map(|p| (p.sku, p.description.as_deref())).collect();
        assert_eq!(products, [(1, Some("Apple")), (2, Some("Cherry")), (0, Some("Banana"))]);
        assert_eq!(d.product_index(), [Some(2), Some(0), Some(1)]);
        assert_eq!(d.customers.names(), ["c2", "c1", "c9"]);
        let customers: Vec<u32> = d.customer_info.iter().map(|c| c.customer).collect();
        assert_eq!(customers, [2, 1]);
        assert_eq!(d.cost_pools.len(), 1);
        let kinds: Vec<FileKind> = loaded.layouts.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, FileKind::ALL);
    }

    #[test]
    fn cross_file_rules() {
        let loaded =
            load_all(ORDERS, Some("sku,on hand,forecast\nA,0,0\nC,5,\nD,,\nE,,12\n"), None);
        let r = &loaded.report;
        assert_eq!(hits(&loaded, Rule::SkuNotInProducts), [(2, "orders.csv".to_owned())]);
        assert_eq!(r.count(Rule::ProductWithoutSales), 3);
        assert_eq!(
            hits(&loaded, Rule::UnsoldProduct),
            [(3, "products.csv".to_owned()), (5, "products.csv".to_owned())]
        );
        // Product-only SKUs are in the dataset (after the sold ones) but have no lines.
        assert_eq!(loaded.dataset.skus.names(), ["B", "A", "C", "D", "E"]);
    }

    #[test]
    fn without_a_products_file_no_sku_is_missing_from_it() {
        let loaded = load_all(ORDERS, None, None);
        assert_eq!(loaded.report.count(Rule::SkuNotInProducts), 0);
        assert_eq!(loaded.layouts.len(), 2);
    }

    #[test]
    fn findings_left_for_later_make_the_same_report_once_added() {
        // Quantity outliers (a SKU's usual line of 2, then 90 and 95), codes
        // differing by case in the orders and against the master files, a
        // SKU known only from the products; also read from order cells,
        // which have no lines to judge.
        let usual: String =
            (1..=8).map(|i| format!("{i},2024-01-0{},Ab-1,2,C1\n", i % 9 + 1)).collect();
        let orders = format!(
            "order,date,sku,qty,customer\n{usual}9,2024-01-09,Ab-1,90,c1\n\
             10,2024-01-09,AB-1,1,C2\n11,2024-01-09,Ab-1,95,C1\n12,2024-01-09,x,1,C2\n"
        );
        let products = "sku\nX\nAB-1\nonly-here\nONLY-HERE\n";
        let customers = "customer_id\nC1\nc2\n";
        let cells = "bucket,bucket_start,sku,customer_id,lines,orders,order_share,quantity,\
                     revenue,value,cost,price_value,weight\n\
                     week,2024-01-01,A,C1,1,1,1,5,10,10,5,10,1\n\
                     week,2024-01-01,a,C1,1,1,1,5,10,10,5,10,1\n";
        let o = Overrides::new();
        for cells_file in [false, true] {
            let load_with = |later_findings: bool| {
                let options = LoadOptions { later_findings, ..LoadOptions::default() };
                let orders = match cells_file {
                    false => parse_orders(file("orders.csv", &orders), &o, &options, &mut |_| {}),
                    true => parse_cells(file("cells.csv", cells), &o, &options),
                };
                let inputs = ParsedInputs {
                    orders: orders.unwrap(),
                    products: parse_products(file("products.csv", products), &o, &options).ok(),
                    customers: parse_customers(file("customers.csv", customers), &o, &options).ok(),
                    cost_pools: None,
                };
                assemble(&inputs, &options)
            };
            let (at_once, mut later) = (load_with(false), load_with(true));
            for rule in [Rule::QuantityOutlier, Rule::CaseVariantCodes] {
                assert_eq!(later.report.count(rule), 0, "{rule:?} left for later");
            }
            super::later_findings(&mut later);
            assert_eq!(later.report, at_once.report);
            assert!(at_once.report.count(Rule::CaseVariantCodes) > 0);
        }
        let at_once = load_all(&orders, Some(products), Some(customers));
        assert_eq!(at_once.report.count(Rule::QuantityOutlier), 2);
        assert_eq!(at_once.report.count(Rule::CaseVariantCodes), 5);
    }

    #[test]
    fn codes_differing_only_by_case_are_flagged_once_per_group() {
        let orders = "order,date,sku,qty,customer\n\
                      1,2024-01-02,ab-1,1,C1\n\
                      2,2024-01-02,AB-1,1,c1\n\
                      3,2024-01-02,Ab-1,1,C1\n\
                      4,2024-01-02,x,1,C2\n";
        let loaded = load_all(orders, Some("sku\nX\n"), None);
        let f = loaded.report.findings.iter().find(|f| f.rule == Rule::CaseVariantCodes).unwrap();
        assert_eq!(f.count, 3);
        let details: Vec<&str> = f.examples.iter().map(|e| e.detail.as_str()).collect();
        assert!(details[0].contains("`ab-1`, `AB-1`, `Ab-1`"), "{details:?}");
        assert_eq!(f.examples[0].line, 3);
        assert!(details[1].contains("SKU codes `x`, `X`"), "{details:?}");
        assert_eq!((f.examples[1].file.as_str(), f.examples[1].line), ("products.csv", 2));
        assert!(details[2].contains("customer codes `C1`, `c1`"), "{details:?}");
        assert_eq!(f.examples[2].line, 3);
    }

    #[test]
    fn case_variants_follow_to_lowercase() {
        // `ΑΣ` and `Ας` are `ας` both (a final sigma, by position); `ΣΑ`
        // is `σα`; `ß` lowercases to itself, `ẞ` to `ß`.
        let orders = "order,date,sku,qty,customer\n\
                      1,2024-01-02,ΑΣ,1,C1\n\
                      2,2024-01-02,ΣΑ,1,C1\n\
                      3,2024-01-02,Ας,1,C1\n\
                      4,2024-01-02,ß,1,C1\n\
                      5,2024-01-02,ẞ,1,C1\n\
                      6,2024-01-02,σα,1,C1\n";
        let loaded = load_all(orders, None, None);
        let f = loaded.report.findings.iter().find(|f| f.rule == Rule::CaseVariantCodes).unwrap();
        let details: Vec<&str> = f.examples.iter().map(|e| e.detail.as_str()).collect();
        assert_eq!(f.count, 3, "{details:?}");
        assert!(details[0].contains("`ΑΣ`, `Ας`"), "{details:?}");
        assert!(details[1].contains("`ΣΑ`, `σα`"), "{details:?}");
        assert!(details[2].contains("`ß`, `ẞ`"), "{details:?}");
    }

    #[test]
    fn product_cost_above_the_line_price_is_flagged() {
        let loaded = load_all(ORDERS, Some("sku,unit cost\nA,12\nB,4\n"), None);
        assert_eq!(hits(&loaded, Rule::CostAbovePrice), [(3, "orders.csv".to_owned())]);
    }

    #[test]
    fn every_file_report_is_merged() {
        let loaded = load_all(
            "order,date,sku,qty\n1,2024-01-02,A,-1\n",
            Some("sku\nA\nA\n"),
            Some("customer\n\n,x\n"),
        );
        let r = &loaded.report;
        assert_eq!(r.count(Rule::Return), 1);
        assert_eq!(r.count(Rule::DuplicateMasterRow), 1);
        assert_eq!(r.count(Rule::MissingCustomer), 1);
    }
}
