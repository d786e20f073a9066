//! Deterministic, realistic ERP-style exports for segscope's demos, tests and
//! benchmarks.
//!
//! [`generate`] turns [`Params`] into [`Files`]: the four CSV inputs of
//! segscope (`orders`, `products`, `customers`, `cost_pools`, with the columns
//! of SPEC §1) as bytes. The same parameters give the same bytes on every
//! platform, native or WebAssembly, and in every version of the dependencies,
//! because the generator has none: its PRNG (SplitMix64), its logarithm,
//! exponential and cosine, and its number formatting are all in this crate,
//! built on integer and correctly-rounded IEEE arithmetic only.
//!
//! The library is pure: no clock, no OS randomness, no I/O. The app runs it in
//! the browser to produce its bundled demo ([`Params::demo`]).
//!
//! # What the data looks like
//!
//! A distributor of consumer and industrial goods in twelve product families.
//! SKU revenue is Pareto-distributed (the top fifth of SKUs brings about four
//! fifths of revenue); fast movers are smooth or seasonal, the middle erratic,
//! the long tail intermittent or lumpy, so ABC, XYZ and Syntetos–Boylan all
//! find every class. Some SKUs launch late, some are phased out, a few are
//! stocked but never sold. Customers are wholesale, retail and e-commerce
//! accounts of very different sizes in four regions; a few order tiny amounts
//! very often and lose money under cost-to-serve. About 1 % of lines are
//! returns, a few are promotions, and most deliveries arrive on time.
//!
//! # Example
//!
//! ```
//! use segscope_gen::{generate, Params};
//!
//! let files = generate(&Params { lines: 2_000, ..Params::demo() });
//! let orders = std::str::from_utf8(&files.orders).unwrap();
//! assert!(orders.starts_with("order_id,order_date,customer_id,sku,quantity,"));
//! assert_eq!(orders.lines().count(), 1 + 2_000);
//! assert_eq!(generate(&Params { lines: 2_000, ..Params::demo() }), files);
//! ```
//!
//! # Code map
//!
//! - `rng`: SplitMix64 streams derived from `(seed, kind, index)`.
//! - `math`: `ln`, `exp`, `cos` from basic arithmetic, identical on every target.
//! - `calendar`: day numbers and cached ISO dates.
//! - `catalog`: SKUs, their demand patterns, the products file.
//! - `customers`: accounts and their habits, the customers file.
//! - `orders`: the week-by-week order lines.
//! - `pools`: cost pools sized to the generated revenue.
//! - `write`: RFC 4180 output and integer-based number text.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod calendar;
mod catalog;
mod customers;
mod math;
mod orders;
mod pools;
mod rng;
mod write;

#[cfg(test)]
mod tests;

/// What to generate.
///
/// Every field is used as given, except that `skus`, `customers` and `weeks`
/// count at least 1. Weeks start on `start`, which should be a Monday so that
/// the generated weeks match segscope's Monday weeks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Params {
    /// Seed of every random choice; the same seed gives the same bytes.
    pub seed: u64,
    /// Exact number of order lines (data rows of the orders file), returns included.
    pub lines: usize,
    /// Number of products in the products file; about 1 % of them never sell.
    pub skus: usize,
    /// Number of accounts in the customers file.
    pub customers: usize,
    /// Length of the order history in weeks.
    pub weeks: u32,
    /// First day of the history as (year, month, day). An impossible date
    /// rolls over arithmetically (2023-02-30 is 2023-03-02).
    pub start: (i32, u32, u32),
}

impl Params {
    /// The bundled demo: 30,000 lines, 400 SKUs, 250 customers, 104 weeks
    /// from Monday 2023-01-02, seed 42.
    pub fn demo() -> Params {
        Params {
            seed: 42,
            lines: 30_000,
            skus: 400,
            customers: 250,
            weeks: 104,
            start: (2023, 1, 2),
        }
    }

    /// A data set of `lines` lines whose catalogue and customer base grow with
    /// it: one SKU per 20 lines (at least 20) and one customer per 100 lines
    /// (at least 10), over 104 weeks from 2023-01-02. One million lines give
    /// 50,000 SKUs and 10,000 customers.
    ///
    /// ```
    /// let p = segscope_gen::Params::scaled(1_000_000, 7);
    /// assert_eq!((p.skus, p.customers, p.weeks), (50_000, 10_000, 104));
    /// ```
    pub fn scaled(lines: usize, seed: u64) -> Params {
        Params {
            seed,
            lines,
            skus: (lines / 20).max(20),
            customers: (lines / 100).max(10),
            weeks: 104,
            start: (2023, 1, 2),
        }
    }
}

impl Default for Params {
    /// The demo, [`Params::demo`].
    fn default() -> Params {
        Params::demo()
    }
}

/// The generated CSV files: UTF-8, comma-separated, `\n` line ends, a header
/// row, fields quoted only when they contain a comma or a quote (RFC 4180).
#[derive(Clone, PartialEq, Eq)]
pub struct Files {
    /// `orders.csv`: one row per order line, sorted by date.
    pub orders: Vec<u8>,
    /// `products.csv`: one row per SKU.
    pub products: Vec<u8>,
    /// `customers.csv`: one row per customer.
    pub customers: Vec<u8>,
    /// `cost_pools.csv`: six annual activity pools.
    pub cost_pools: Vec<u8>,
}

impl Files {
    /// Conventional file names with their contents, orders first.
    pub fn named(&self) -> [(&'static str, &[u8]); 4] {
        [
            ("orders.csv", &self.orders),
            ("products.csv", &self.products),
            ("customers.csv", &self.customers),
            ("cost_pools.csv", &self.cost_pools),
        ]
    }
}

impl std::fmt::Debug for Files {
    /// Sizes only: the contents run to megabytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("orders", &format_args!("{} bytes", self.orders.len()))
            .field("products", &format_args!("{} bytes", self.products.len()))
            .field("customers", &format_args!("{} bytes", self.customers.len()))
            .field("cost_pools", &format_args!("{} bytes", self.cost_pools.len()))
            .finish()
    }
}

/// Parameters with the minimums applied and the start as a day number.
pub(crate) struct Checked {
    pub(crate) seed: u64,
    pub(crate) lines: usize,
    pub(crate) skus: usize,
    pub(crate) customers: usize,
    pub(crate) weeks: u32,
    pub(crate) start: i64,
}

impl From<&Params> for Checked {
    fn from(p: &Params) -> Checked {
        let (y, m, d) = p.start;
        Checked {
            seed: p.seed,
            lines: p.lines,
            skus: p.skus.max(1),
            customers: p.customers.max(1),
            weeks: p.weeks.max(1),
            start: calendar::days_from_civil(y, m, d),
        }
    }
}

/// Generates the four files. Deterministic: the same `params` give the same
/// bytes on every platform. Runs in about a second per million lines
/// (release build).
pub fn generate(params: &Params) -> Files {
    let p = Checked::from(params);
    let calendar = calendar::Calendar::new(p.start, p.weeks as usize * 7 + orders::DATE_MARGIN);
    let skus = catalog::build(&p);
    let customers = customers::build(&p);
    let (orders, totals) = orders::write(&p, &skus, &customers, &calendar);
    Files {
        orders,
        products: catalog::write(&skus, p.weeks),
        customers: customers::write(&customers),
        cost_pools: pools::write(&totals, p.weeks),
    }
}
