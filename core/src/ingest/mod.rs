//! Reading client exports into a [`Dataset`] (SPEC §1 and §6).
//!
//! Each input file is parsed on its own — bytes are decoded (UTF-8, UTF-16
//! with a byte order mark, else Windows-1252), the delimiter is sniffed
//! among `,` `;` TAB `|`, headers are mapped to canonical fields through a
//! synonym table and the user's overrides ([`fields`] lists them), and every
//! cell is parsed by its field's type (numbers with the decimal mark decided
//! per column, dates with the day/month order decided per column) — into a
//! table plus its data-quality findings. [`assemble`] then joins the tables
//! on SKU and customer codes and applies the rules that need more than one
//! file; [`load`] does both. Parsing a file never fails on a bad row; it
//! fails only when the file as a whole cannot be read (a required field
//! cannot be mapped, the file is empty or not text), with an [`IngestError`]
//! that names the file and what to do.
//!
//! # Example
//! ```
//! use segscope_core::ingest::{load, InputFile, LoadOptions};
//! use segscope_core::config::MappingConfig;
//! use segscope_core::Rule;
//!
//! let csv = "Invoice;Datum;Material;Menge;Nettobetrag\n\
//!            A-1;25.12.2023;M-7;2;1.234,50\n\
//!            A-2;;M-7;1;3,00\n";
//! let orders = InputFile { name: "orders.csv", bytes: csv.as_bytes() };
//! let loaded = load(orders, None, None, None, &MappingConfig::default(), &LoadOptions::default())
//!     .unwrap();
//! assert_eq!(loaded.dataset.lines.len(), 1);
//! assert_eq!(loaded.dataset.lines.line_revenue.get(0), Some(1234.5));
//! // The second row has no date: skipped, with its line number.
//! assert_eq!(loaded.report.count(Rule::RequiredFieldInvalid), 1);
//! assert_eq!(loaded.report.findings[0].examples[0].line, 3);
//!
//! let missing = InputFile { name: "orders.csv", bytes: b"Invoice;Datum;Menge\n1;2.1.2024;3\n" };
//! let error = load(missing, None, None, None, &MappingConfig::default(), &LoadOptions::default());
//! assert!(error.unwrap_err().to_string().contains("`sku`"));
//! ```

mod assemble;
mod boundaries;
mod cells;
mod cost_pools;
mod customers;
mod dates;
mod delimiter;
mod mapping;
mod orders;
mod outlier;
mod products;
mod sheet;
mod text;
mod words;
// The scanners of the one pass, compiled for speed in the browser build
// (`scan/`), used as this module's own.
use segscope_scan::{cell, intern, number, split};

/// A file's code numbering, once read, as the dataset's [`crate::dataset::Codes`] table
/// (same numbers).
trait Finish {
    fn finish(self) -> crate::dataset::Codes;
}

impl Finish for intern::Interner {
    fn finish(self) -> crate::dataset::Codes {
        crate::dataset::Codes::from_distinct(self.into_names())
    }
}

pub use assemble::{later_findings, MovedTables};
pub use cells::looks_like_cells;
pub use mapping::{fields, FieldSpec, FieldType};
pub use orders::{
    halves_cut, halves_middle, OrdersStream, Piece, PieceBytes, RowPieces, HALVES_HEAD_BYTES,
};

use crate::config::MappingConfig;
use crate::dataset::{Codes, CostPool, Customer, Dataset, OrderLines, Product};
use crate::date::Date;
use crate::quality::DqReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The four kinds of input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Order lines (required).
    Orders,
    /// Product master.
    Products,
    /// Customer master.
    Customers,
    /// Activity cost pools.
    CostPools,
    /// Order cells: order lines added up by the SQL of `sql/` (see
    /// [`crate::cells`]); stands in for the orders file.
    Cells,
}

impl FileKind {
    /// Every kind, in the order of [`Loaded::layouts`].
    pub const ALL: [FileKind; 4] =
        [FileKind::Orders, FileKind::Products, FileKind::Customers, FileKind::CostPools];

    /// The kind as people name it in messages (`orders`, `cost pools`, …).
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Orders => "orders",
            FileKind::Products => "products",
            FileKind::Customers => "customers",
            FileKind::CostPools => "cost pools",
            FileKind::Cells => "order cells",
        }
    }
}

/// The bytes of one file and the name the user knows it by.
#[derive(Clone, Copy, Debug)]
pub struct InputFile<'a> {
    /// File name, used in every message about the file.
    pub name: &'a str,
    /// Raw content.
    pub bytes: &'a [u8],
}

/// Settings of a load that do not come from the files.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The day of the load; dates after it are flagged. `None` skips that
    /// check (the engine has no clock: the caller supplies the day).
    pub today: Option<Date>,
    /// Leaves out the rules that only add findings of a rule of their own —
    /// quantities far above their SKU's usual line (the orders file) and
    /// codes that differ only by case (the join) — for [`later_findings`]
    /// to add: the app shows a big file's segments before them, and the
    /// report, once they are added, is the report of a load without this
    /// (issue #7: 20 ms of a million lines' load in the browser).
    pub later_findings: bool,
}

/// How a field was matched to a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Through the synonym table.
    Synonym,
    /// Through the user's mapping override.
    Override,
    /// Not matched.
    Unmatched,
}

/// One canonical field and the column it was matched to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MappedField {
    /// Canonical field name (`order_id`, `sku`, …).
    pub field: String,
    /// Whether the file cannot be loaded without it.
    pub required: bool,
    /// The header it was matched to, as written in the file.
    pub header: Option<String>,
    /// Column index of that header.
    pub column: Option<usize>,
    /// How it was matched.
    pub matched_by: MatchedBy,
}

/// The detected layout of a file: format and column mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileLayout {
    /// File name.
    pub name: String,
    /// Kind of file.
    pub kind: FileKind,
    /// Detected encoding (`UTF-8`, `UTF-16LE`, `windows-1252`, …).
    pub encoding: String,
    /// Detected delimiter.
    pub delimiter: char,
    /// Headers as written, in file order.
    pub headers: Vec<String>,
    /// Every canonical field of the kind, with its column if matched.
    pub fields: Vec<MappedField>,
    /// Data rows read (excluding the header).
    pub rows: usize,
}

/// One parsed file: its table, layout and findings.
#[derive(Clone, Debug)]
pub struct Parsed<T> {
    /// The rows that were kept.
    pub table: T,
    /// Format and mapping.
    pub layout: FileLayout,
    /// Findings of the rules that one file can decide.
    pub report: DqReport,
}

/// The order lines of an orders file, with its own code numbering.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderTable {
    /// SKU codes used by `lines.sku`.
    pub skus: Codes,
    /// Customer codes used by `lines.customer`.
    pub customers: Codes,
    /// Order ids used by `lines.order`.
    pub orders: Codes,
    /// The valid lines.
    pub lines: OrderLines,
}

/// Rows of a products file; `Product::sku` numbers into `skus`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProductTable {
    /// SKU codes of the file.
    pub skus: Codes,
    /// First row per SKU.
    pub products: Vec<Product>,
}

/// Rows of a customers file; `Customer::customer` numbers into `customers`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerTable {
    /// Customer codes of the file.
    pub customers: Codes,
    /// First row per customer.
    pub rows: Vec<Customer>,
}

/// Why a file could not be loaded at all.
#[derive(Clone, Debug, Error, PartialEq, Serialize, Deserialize)]
pub enum IngestError {
    /// A required field matches no header.
    #[error(
        "{file}: no column for the required field `{field}`; headers found: {}. \
         Map it to one of these columns or check that this is the right file.",
        list_headers(headers)
    )]
    MissingField {
        /// File name.
        file: String,
        /// The canonical field.
        field: String,
        /// The headers that were found.
        headers: Vec<String>,
    },
    /// A mapping override names a header the file does not have, or a field
    /// that does not exist.
    #[error("{file}: mapping for `{field}` names `{header}`, which {problem}")]
    BadOverride {
        /// File name.
        file: String,
        /// The canonical field of the override.
        field: String,
        /// The header it names.
        header: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The file has no header row, is not text, or cannot be split into rows.
    #[error("{file}, line {line}: {message}")]
    Unreadable {
        /// File name.
        file: String,
        /// 1-based line where reading stopped (1 for the whole file).
        line: u64,
        /// What is wrong and what to do.
        message: String,
    },
}

/// The headers named in an error message: the first few, then how many
/// more, so that a file of thousands of columns still gets a short message
/// (the error itself keeps up to 100 for a mapping choice).
fn list_headers(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut list = headers.iter().take(SHOWN).map(String::as_str).collect::<Vec<_>>().join(", ");
    if headers.len() > SHOWN {
        list.push_str(" and others");
    }
    list
}

/// A parsed file of each kind, ready to be joined.
#[derive(Clone, Debug)]
pub struct ParsedInputs {
    /// The orders file.
    pub orders: Parsed<OrderTable>,
    /// The products file, if given.
    pub products: Option<Parsed<ProductTable>>,
    /// The customers file, if given.
    pub customers: Option<Parsed<CustomerTable>>,
    /// The cost pools file, if given.
    pub cost_pools: Option<Parsed<Vec<CostPool>>>,
}

/// A loaded dataset with the whole data-quality report and each file's layout.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The joined data.
    pub dataset: Dataset,
    /// Findings of every file and of the join.
    pub report: DqReport,
    /// Layout of each file, in kind order.
    pub layouts: Vec<FileLayout>,
}

/// Mapping overrides for one file: canonical field → header.
pub type Overrides = BTreeMap<String, String>;

/// Parses an orders file.
///
/// Lines whose order id, date, SKU or quantity is blank or unreadable are
/// skipped; every other problem keeps the line and is reported (SPEC §6).
/// `options.today` bounds order and delivery dates.
///
/// `progress` is called now and then with the share of bytes read (0..=1),
/// so a caller can show progress on large files.
///
/// # Errors
/// [`IngestError`] when the file as a whole cannot be read; bad rows are
/// reported in [`Parsed::report`] instead.
pub fn parse_orders(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Parsed<OrderTable>, IngestError> {
    orders::parse(file, overrides, options, progress)
}

/// Parses a products file.
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_products(
    file: InputFile<'_>,
    overrides: &Overrides,
    _options: &LoadOptions,
) -> Result<Parsed<ProductTable>, IngestError> {
    products::parse(file, overrides)
}

/// Parses a customers file.
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_customers(
    file: InputFile<'_>,
    overrides: &Overrides,
    _options: &LoadOptions,
) -> Result<Parsed<CustomerTable>, IngestError> {
    customers::parse(file, overrides)
}

/// Parses a cost pools file.
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_cost_pools(
    file: InputFile<'_>,
    overrides: &Overrides,
    _options: &LoadOptions,
) -> Result<Parsed<Vec<CostPool>>, IngestError> {
    cost_pools::parse(file, overrides)
}

/// Parses an order cells file (see [`crate::cells`]): the aggregates the
/// SQL of `sql/duckdb` or `sql/spark` writes, as an [`OrderTable`] whose rows
/// are cells. It takes the orders file's place in [`ParsedInputs`].
///
/// # Errors
/// As [`parse_orders`].
pub fn parse_cells(
    file: InputFile<'_>,
    overrides: &Overrides,
    options: &LoadOptions,
) -> Result<Parsed<OrderTable>, IngestError> {
    cells::parse(file, overrides, options)
}

/// [`load`] with an order cells file in the orders file's place
/// ([`parse_cells`] instead of [`parse_orders`]); the other files and the
/// join are the same.
///
/// # Errors
/// As [`load`].
pub fn load_cells(
    cells: InputFile<'_>,
    products: Option<InputFile<'_>>,
    customers: Option<InputFile<'_>>,
    cost_pools: Option<InputFile<'_>>,
    mapping: &MappingConfig,
    options: &LoadOptions,
) -> Result<Loaded, IngestError> {
    let cells = parse_cells(cells, &Overrides::default(), options)?;
    join_with(cells, products, customers, cost_pools, mapping, options)
}

/// Joins parsed files into one [`Dataset`] and applies the rules that need
/// more than one file (SKU absent from products, unsold products, case
/// variants, …). Never fails.
pub fn assemble(inputs: &ParsedInputs, options: &LoadOptions) -> Loaded {
    assemble::assemble(inputs, options)
}

/// [`assemble`] without copying the orders table or the products: they
/// move into the dataset and [`give_back`] returns them before the next
/// join (see `assemble::assemble_moving`).
pub fn assemble_moving(inputs: &mut ParsedInputs, options: &LoadOptions) -> (Loaded, MovedTables) {
    assemble::assemble_moving(inputs, options)
}

/// Returns to the orders and products tables what [`assemble_moving`]
/// moved into `dataset`, as it was parsed (what came from a file replaced
/// or removed since is dropped: [`MovedTables::forget_orders`],
/// [`MovedTables::forget_products`]).
pub fn give_back(
    orders: Option<&mut Parsed<OrderTable>>,
    products: Option<&mut Parsed<ProductTable>>,
    dataset: Dataset,
    moved: MovedTables,
) {
    assemble::give_back(orders, products, dataset, moved)
}

/// Parses every given file with its mapping overrides and joins them:
/// [`parse_orders`], [`parse_products`], [`parse_customers`],
/// [`parse_cost_pools`], then [`assemble`].
///
/// # Errors
/// The first file (in that order) that cannot be read at all.
pub fn load(
    orders: InputFile<'_>,
    products: Option<InputFile<'_>>,
    customers: Option<InputFile<'_>>,
    cost_pools: Option<InputFile<'_>>,
    mapping: &MappingConfig,
    options: &LoadOptions,
) -> Result<Loaded, IngestError> {
    let orders = parse_orders(orders, &mapping.orders, options, &mut |_| {})?;
    join_with(orders, products, customers, cost_pools, mapping, options)
}

/// Parses the optional files and joins them to parsed orders (or cells).
fn join_with(
    orders: Parsed<OrderTable>,
    products: Option<InputFile<'_>>,
    customers: Option<InputFile<'_>>,
    cost_pools: Option<InputFile<'_>>,
    mapping: &MappingConfig,
    options: &LoadOptions,
) -> Result<Loaded, IngestError> {
    let inputs = ParsedInputs {
        orders,
        products: products.map(|f| parse_products(f, &mapping.products, options)).transpose()?,
        customers: customers
            .map(|f| parse_customers(f, &mapping.customers, options))
            .transpose()?,
        cost_pools: cost_pools
            .map(|f| parse_cost_pools(f, &mapping.cost_pools, options))
            .transpose()?,
    };
    Ok(assemble::assemble_owned(inputs, options))
}
