//! The loaded data: order lines in columns, plus the optional master files.
//!
//! Order lines are stored column by column with identifiers interned to
//! `u32` indices, so that a million lines stay compact and every later stage
//! works on integer keys. Optional columns are empty when the file had no such
//! column; inside a present numeric column, `NaN` marks an empty cell (the
//! parser never produces `NaN` from text: `NaN` and `inf` cells are
//! unparseable and reported).

use crate::date::Date;
use segscope_scan::intern::FxHasher;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

/// Customer code given to order lines without a customer id (SPEC §1.1).
pub const UNKNOWN_CUSTOMER: &str = "(unknown)";

/// A set of text codes (SKUs, customers, order ids, labels) numbered in order
/// of first appearance.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Codes {
    names: Vec<String>,
    /// Code → number, built the first time a code is looked up: most sets
    /// never are (the index of a million lines' 249,388 order ids took
    /// 20 MiB that no stage read; issue #7's memory).
    #[serde(skip)]
    index: OnceLock<CodeIndex>,
}

/// Code → number, hashed with FxHash (as the loaders' tables are, see
/// `segscope_scan::intern`): the codes are the user's own data, hashed for
/// the user, so SipHash's defence against chosen keys buys nothing.
type CodeIndex = HashMap<String, u32, BuildHasherDefault<FxHasher>>;

/// Two sets are equal when they number the same codes alike.
impl PartialEq for Codes {
    fn eq(&self, other: &Codes) -> bool {
        self.names == other.names
    }
}

impl Codes {
    /// The number of a code, adding it if new.
    pub fn intern(&mut self, code: &str) -> u32 {
        if let Some(&id) = self.index().get(code) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(code.to_owned());
        if let Some(index) = self.index.get_mut() {
            index.insert(code.to_owned(), id);
        }
        id
    }

    /// The lookup index, built on first use.
    fn index(&self) -> &CodeIndex {
        self.index.get_or_init(|| {
            self.names.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect()
        })
    }

    /// Codes already numbered elsewhere: `names` are distinct, in
    /// numbering order (the loaders number codes with a faster table while
    /// they read, and hand the names over once).
    pub(crate) fn from_distinct(names: Vec<String>) -> Codes {
        Codes { names, index: OnceLock::new() }
    }

    /// The number of a code already present.
    pub fn get(&self, code: &str) -> Option<u32> {
        self.index().get(code).copied()
    }

    /// The text of a code number.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// How many distinct codes there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// All codes in numbering order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Keeps the first `n` codes: those numbered before the others.
    pub(crate) fn truncate(&mut self, n: usize) {
        if n < self.names.len() {
            self.names.truncate(n);
            if let Some(index) = self.index.get_mut() {
                index.retain(|_, number| (*number as usize) < n);
            }
        }
    }

    /// Rebuilds the lookup index (after deserialising): on the next lookup.
    pub fn reindex(&mut self) {
        self.index = OnceLock::new();
    }
}

/// An optional numeric column. Empty when the file had no such column;
/// `NaN` marks an empty cell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumColumn(pub Vec<f64>);

impl NumColumn {
    /// The value of row `i`, if the column exists and the cell was filled.
    pub fn get(&self, i: usize) -> Option<f64> {
        self.0.get(i).copied().filter(|v| !v.is_nan())
    }

    /// Whether the file had this column.
    pub fn is_present(&self) -> bool {
        !self.0.is_empty()
    }
}

/// An optional text column with interned values. Empty when the file had no
/// such column; [`TextColumn::MISSING`] marks an empty cell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextColumn {
    /// The distinct values.
    pub codes: Codes,
    /// One code number per row.
    pub values: Vec<u32>,
}

impl TextColumn {
    /// The code number of an empty cell.
    pub const MISSING: u32 = u32::MAX;

    /// The text of row `i`, if the column exists and the cell was filled.
    pub fn get(&self, i: usize) -> Option<&str> {
        match self.values.get(i) {
            Some(&id) if id != Self::MISSING => Some(self.codes.name(id)),
            _ => None,
        }
    }

    /// Whether the file had this column.
    pub fn is_present(&self) -> bool {
        !self.values.is_empty()
    }
}

/// The valid order lines of the orders file, one entry per line in every
/// column (optional columns may be empty, see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderLines {
    /// Line number in the source file where the record starts (1 = header).
    pub line: Vec<u32>,
    /// Order id, into [`Dataset::orders`].
    pub order: Vec<u32>,
    /// Order date.
    pub date: Vec<Date>,
    /// SKU, into [`Dataset::skus`].
    pub sku: Vec<u32>,
    /// Customer, into [`Dataset::customers`]; missing ids are [`UNKNOWN_CUSTOMER`].
    pub customer: Vec<u32>,
    /// Quantity; negative for returns and cancellations.
    pub quantity: Vec<f64>,
    /// Price per unit.
    pub unit_price: NumColumn,
    /// Revenue of the whole line; wins over `unit_price` where both exist.
    pub line_revenue: NumColumn,
    /// Cost per unit.
    pub unit_cost: NumColumn,
    /// Cost of the whole line.
    pub line_cost: NumColumn,
    /// Gross margin of the whole line.
    pub line_margin: NumColumn,
    /// Weight per unit in kilograms.
    pub weight_kg: NumColumn,
    /// Ship mode.
    pub ship_mode: TextColumn,
    /// Shipping warehouse.
    pub warehouse: TextColumn,
    /// Sales region.
    pub region: TextColumn,
    /// Sales channel.
    pub channel: TextColumn,
    /// Promised delivery date (empty when the file has none).
    pub promised_date: Vec<Option<Date>>,
    /// Actual delivery date (empty when the file has none).
    pub delivered_date: Vec<Option<Date>>,
    /// Promotion flag (empty when the file has none).
    pub promo: Vec<bool>,
    /// What each row stands for when the rows are order cells (see
    /// [`crate::cells`]); empty for order lines.
    #[serde(default)]
    pub cells: crate::cells::CellMeasures,
}

impl OrderLines {
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.sku.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sku.is_empty()
    }

    /// A line's revenue (SPEC §2): `line_revenue`, else quantity × `unit_price`, else 0.
    pub fn revenue(&self, i: usize) -> f64 {
        self.line_revenue
            .get(i)
            .or_else(|| self.unit_price.get(i).map(|p| p * self.quantity[i]))
            .unwrap_or(0.0)
    }

    /// The lines at `rows`, in that order, every column kept.
    pub fn select(&self, rows: &[usize]) -> OrderLines {
        fn pick<T: Clone>(column: &[T], rows: &[usize]) -> Vec<T> {
            if column.is_empty() {
                Vec::new()
            } else {
                rows.iter().map(|&i| column[i].clone()).collect()
            }
        }
        let num = |c: &NumColumn| NumColumn(pick(&c.0, rows));
        let text =
            |c: &TextColumn| TextColumn { codes: c.codes.clone(), values: pick(&c.values, rows) };
        OrderLines {
            line: pick(&self.line, rows),
            order: pick(&self.order, rows),
            date: pick(&self.date, rows),
            sku: pick(&self.sku, rows),
            customer: pick(&self.customer, rows),
            quantity: pick(&self.quantity, rows),
            unit_price: num(&self.unit_price),
            line_revenue: num(&self.line_revenue),
            unit_cost: num(&self.unit_cost),
            line_cost: num(&self.line_cost),
            line_margin: num(&self.line_margin),
            weight_kg: num(&self.weight_kg),
            ship_mode: text(&self.ship_mode),
            warehouse: text(&self.warehouse),
            region: text(&self.region),
            channel: text(&self.channel),
            promised_date: pick(&self.promised_date, rows),
            delivered_date: pick(&self.delivered_date, rows),
            promo: pick(&self.promo, rows),
            cells: self.cells.select(rows),
        }
    }

    /// Whether line `i` is flagged as a promotion.
    pub fn is_promo(&self, i: usize) -> bool {
        self.promo.get(i).copied().unwrap_or(false)
    }
}

/// Product lifecycle stage (products file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lifecycle {
    /// Recently introduced; little history.
    New,
    /// In normal sale.
    Active,
    /// End of life: run out, do not reorder.
    Eol,
}

/// One row of the products file (SPEC §1.2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// SKU, into [`Dataset::skus`].
    pub sku: u32,
    /// Line number in the products file.
    pub line: u32,
    /// Description.
    pub description: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Cost per unit.
    pub unit_cost: Option<f64>,
    /// Weight per unit in kilograms.
    pub weight_kg: Option<f64>,
    /// Replenishment lead time in days.
    pub lead_time_days: Option<f64>,
    /// Standard deviation of the lead time in days.
    pub lead_time_sd_days: Option<f64>,
    /// Minimum order quantity.
    pub moq: Option<f64>,
    /// Order multiple (≤ 0 counts as 1).
    pub order_multiple: Option<f64>,
    /// Lifecycle stage.
    pub lifecycle: Option<Lifecycle>,
    /// Perishable goods.
    pub perishable: Option<bool>,
    /// Strategic item.
    pub strategic: Option<bool>,
    /// Annual holding cost as a fraction of unit cost.
    pub holding_rate: Option<f64>,
    /// Units on hand now.
    pub on_hand: Option<f64>,
    /// Forecast quantity, if the client supplies one.
    pub forecast: Option<f64>,
    /// Shelf life in days, for perishables.
    pub shelf_life_days: Option<f64>,
}

/// One row of the customers file (SPEC §1.3).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Customer, into [`Dataset::customers`].
    pub customer: u32,
    /// Line number in the customers file.
    pub line: u32,
    /// Name.
    pub name: Option<String>,
    /// Sales channel.
    pub channel: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Strategic account.
    pub strategic: Option<bool>,
    /// Target cycle service level (0..1).
    pub target_service_level: Option<f64>,
}

/// What a cost pool's cost is allocated by (SPEC §1.4, §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Driver {
    /// Number of orders (each positive line carries 1 / positive lines of its order).
    Orders,
    /// Number of order lines.
    Lines,
    /// Units shipped.
    Units,
    /// Revenue.
    Value,
    /// Weight shipped.
    WeightKg,
    /// Number of customers (each positive line carries 1 / positive lines of its customer).
    Customers,
}

impl Driver {
    /// Every driver, in SPEC order.
    pub const ALL: [Driver; 6] = [
        Driver::Orders,
        Driver::Lines,
        Driver::Units,
        Driver::Value,
        Driver::WeightKg,
        Driver::Customers,
    ];

    /// The name used in files and configuration.
    pub fn name(self) -> &'static str {
        match self {
            Driver::Orders => "orders",
            Driver::Lines => "lines",
            Driver::Units => "units",
            Driver::Value => "value",
            Driver::WeightKg => "weight_kg",
            Driver::Customers => "customers",
        }
    }

    /// Parses a driver name as written in a cost-pools file (case-insensitive).
    pub fn parse(text: &str) -> Option<Driver> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Driver::ALL.into_iter().find(|d| d.name() == t || (t == "weight" && *d == Driver::WeightKg))
    }
}

/// One activity cost pool (SPEC §1.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostPool {
    /// Pool name.
    pub pool: String,
    /// Annual cost in currency units.
    pub annual_cost: f64,
    /// Allocation driver.
    pub driver: Driver,
    /// Share of the cost that does not move with volume (0..1).
    pub fixed_share: f64,
}

/// Everything loaded: order lines and the optional master files, joined on
/// shared code numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// SKU codes from the orders file, then any known only from products.
    pub skus: Codes,
    /// Customer codes from the orders file (incl. `(unknown)`), then any known
    /// only from the customers file.
    pub customers: Codes,
    /// Order ids.
    pub orders: Codes,
    /// The valid order lines.
    pub lines: OrderLines,
    /// Products file rows, first row per SKU only.
    pub products: Vec<Product>,
    /// Customers file rows, first row per customer only.
    pub customer_info: Vec<Customer>,
    /// Cost pools.
    pub cost_pools: Vec<CostPool>,
}

impl Dataset {
    /// For every SKU number, the index of its row in `products`.
    pub fn product_index(&self) -> Vec<Option<u32>> {
        let mut index = vec![None; self.skus.len()];
        for (i, p) in self.products.iter().enumerate() {
            index[p.sku as usize] = Some(i as u32);
        }
        index
    }

    /// For every customer number, the index of its row in `customer_info`.
    pub fn customer_index(&self) -> Vec<Option<u32>> {
        let mut index = vec![None; self.customers.len()];
        for (i, c) in self.customer_info.iter().enumerate() {
            index[c.customer as usize] = Some(i as u32);
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_number_alike_whenever_their_index_is_built() {
        // Read from the start: the index is built by the first lookup.
        let mut read = Codes::from_distinct(vec!["A".into(), "B".into()]);
        assert_eq!(read.get("B"), Some(1));
        assert_eq!(read.intern("C"), 2);
        assert_eq!(read.get("C"), Some(2));
        // Interned before any lookup, then looked up.
        let mut interned = Codes::from_distinct(vec!["A".into(), "B".into()]);
        assert_eq!(interned.intern("A"), 0);
        assert_eq!(interned.intern("C"), 2);
        assert_eq!(interned.get("C"), Some(2));
        assert_eq!(read, interned);
        // Truncated with and without an index: the codes after `n` are gone.
        let mut unindexed = Codes::from_distinct(vec!["A".into(), "B".into(), "C".into()]);
        unindexed.truncate(1);
        read.truncate(1);
        for codes in [&unindexed, &read] {
            assert_eq!(codes.names(), ["A"]);
            assert_eq!((codes.get("A"), codes.get("B"), codes.get("C")), (Some(0), None, None));
        }
        assert_eq!(read.intern("B"), 1);
        // A deserialised set is indexed again on its first lookup.
        let mut copy: Codes = serde_json::from_str(&serde_json::to_string(&read).unwrap()).unwrap();
        copy.reindex();
        assert_eq!(copy.get("B"), Some(1));
        assert_eq!(copy, read);
    }
}
