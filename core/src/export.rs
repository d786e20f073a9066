//! The result tables that leave segscope as files, as ONE list: the command
//! line writes them, the app's Export page offers them, the XLSX workbook
//! holds them, always cut to the role's columns ([`Table::for_role`]).
//!
//! To export a new table: add its [`TableKind`] (in `roles.rs`, with its
//! visibility), give it a file stem and a title below, build it in
//! [`result_table`] and put it in [`EXPORTED`]. Every front door follows.

use crate::analysis::Analysis;
use crate::dataset::Dataset;
use crate::roles::{sees_table, Role, TableKind};
use crate::tables::{self, CsvOptions, Table};
use crate::xlsx::{self, Sheet};

/// The tables built from one analysis, in the order files and sheets are
/// written. (The stress test and the migration matrix need more than the
/// analysis — the scenarios, a previous run — and are added by the caller
/// that has them.)
pub const EXPORTED: [TableKind; 9] = [
    TableKind::Skus,
    TableKind::Policies,
    TableKind::Frontier,
    TableKind::Customers,
    TableKind::Pools,
    TableKind::Tiers,
    TableKind::Breakdown,
    TableKind::WhatIf,
    TableKind::ForecastExceptions,
];

impl TableKind {
    /// The file name without extension (SPEC §7 where it names one):
    /// `skus` → `skus.csv`.
    pub fn file_stem(self) -> &'static str {
        match self {
            TableKind::Skus => "skus",
            TableKind::Policies => "policies",
            TableKind::Frontier => "frontier",
            TableKind::Customers => "customers",
            TableKind::Pools => "pools",
            TableKind::Breakdown => "cost_breakdown",
            TableKind::Tiers => "tiers",
            TableKind::WhatIf => "what_if",
            TableKind::Migration => "migration",
            TableKind::Stress => "stress",
            TableKind::ForecastExceptions => "forecast_exceptions",
            TableKind::Audit => "audit",
            TableKind::Runs => "runs",
            TableKind::RunChanges => "run_changes",
        }
    }

    /// The name people see (the Export page, the workbook's tabs; at most
    /// 31 characters).
    pub fn title(self) -> &'static str {
        match self {
            TableKind::Skus => "SKUs",
            TableKind::Policies => "Policies per segment",
            TableKind::Frontier => "Service-level frontier",
            TableKind::Customers => "Customers",
            TableKind::Pools => "Cost pools",
            TableKind::Breakdown => "Cost breakdown",
            TableKind::Tiers => "Profitability tiers",
            TableKind::WhatIf => "Cost what-ifs",
            TableKind::Migration => "Segment migration",
            TableKind::Stress => "Stress test",
            TableKind::ForecastExceptions => "Forecast exceptions",
            TableKind::Audit => "Audit trail",
            TableKind::Runs => "Run history",
            TableKind::RunChanges => "Changed SKUs between runs",
        }
    }
}

/// The full table of `kind` for one analysis; `None` for the kinds that
/// need more than the analysis (see [`EXPORTED`]).
pub fn result_table(kind: TableKind, data: &Dataset, analysis: &Analysis) -> Option<Table> {
    Some(match kind {
        TableKind::Skus => tables::sku_table(data, analysis),
        TableKind::Policies => tables::policy_table(analysis),
        TableKind::Frontier => tables::frontier_table(data, analysis),
        TableKind::Customers => tables::customer_table(data, analysis),
        TableKind::Pools => tables::pool_table(analysis),
        TableKind::Breakdown => tables::breakdown_table(analysis),
        TableKind::Tiers => tables::tier_table(analysis),
        TableKind::WhatIf => tables::what_if_table(analysis),
        TableKind::ForecastExceptions => tables::forecast_exception_table(data, analysis),
        // Governance tables come from `Governance::tables_for_role`.
        TableKind::Migration
        | TableKind::Stress
        | TableKind::Audit
        | TableKind::Runs
        | TableKind::RunChanges => return None,
    })
}

/// The exported tables `role` may see, each cut to the role's columns, in
/// [`EXPORTED`] order; `only` keeps just those kinds (all when `None`).
pub fn tables_for_role(
    data: &Dataset,
    analysis: &Analysis,
    role: Role,
    only: Option<&[TableKind]>,
) -> Vec<(TableKind, Table)> {
    EXPORTED
        .into_iter()
        .filter(|&k| sees_table(role, k) && only.is_none_or(|o| o.contains(&k)))
        .filter_map(|k| Some((k, result_table(k, data, analysis)?.for_role(role, k))))
        .collect()
}

/// A file to hand over: its name, media type and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// File name, e.g. `skus.csv`.
    pub name: String,
    /// Media type, e.g. `text/csv;charset=utf-8`.
    pub mime: &'static str,
    /// The content.
    pub bytes: Vec<u8>,
}

/// The media type of an XLSX workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One table as a CSV file named after its kind.
pub fn csv_file(kind: TableKind, table: &Table, options: &CsvOptions) -> ExportFile {
    ExportFile {
        name: format!("{}.csv", kind.file_stem()),
        mime: "text/csv;charset=utf-8",
        bytes: table.to_csv_with(options),
    }
}

/// Tables as one XLSX workbook, a sheet per table titled after its kind.
///
/// # Errors
/// A table too large for a worksheet (see [`xlsx::workbook`]).
pub fn xlsx_file(name: &str, tables: &[(TableKind, Table)]) -> Result<ExportFile, String> {
    let sheets: Vec<Sheet> =
        tables.iter().map(|(k, t)| Sheet { name: k.title(), table: t }).collect();
    Ok(ExportFile { name: name.to_owned(), mime: XLSX_MIME, bytes: xlsx::workbook(&sheets)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{dataset, week, Line};
    use crate::Config;

    fn demo() -> (Dataset, Analysis) {
        let lines = (0..12).flat_map(|w| {
            [
                Line {
                    order: "O1",
                    customer: "C1",
                    sku: "A",
                    date: week(w),
                    quantity: 10.0,
                    revenue: Some(50.0),
                    unit_cost: Some(3.0),
                    ..Line::default()
                },
                Line {
                    order: "O2",
                    customer: "C2",
                    sku: "B",
                    date: week(w),
                    quantity: 2.0,
                    revenue: Some(6.0),
                    unit_cost: Some(2.0),
                    ..Line::default()
                },
            ]
        });
        let data = dataset(lines);
        let analysis = crate::analyze(&data, &Config::default());
        (data, analysis)
    }

    #[test]
    fn titles_fit_a_sheet_tab_and_stems_are_distinct() {
        let all = [EXPORTED.as_slice(), &[TableKind::Migration, TableKind::Stress]].concat();
        for k in &all {
            assert!(k.title().chars().count() <= 31, "{k:?}");
        }
        let mut stems: Vec<&str> = all.iter().map(|k| k.file_stem()).collect();
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), all.len());
    }

    #[test]
    fn sales_exports_no_cost_table_and_no_cost_column() {
        let (data, analysis) = demo();
        let sales = tables_for_role(&data, &analysis, Role::Sales, None);
        let kinds: Vec<TableKind> = sales.iter().map(|t| t.0).collect();
        assert!(!kinds.contains(&TableKind::Pools) && !kinds.contains(&TableKind::WhatIf));
        let skus = &sales.iter().find(|t| t.0 == TableKind::Skus).unwrap().1;
        assert!(skus.column("margin").is_none() && skus.column("unit_cost").is_none());
        assert!(skus.column("service_level").is_some());
        let all = tables_for_role(&data, &analysis, Role::Consultant, None);
        assert_eq!(all.len(), EXPORTED.len());
    }

    #[test]
    fn only_keeps_the_chosen_tables_in_list_order() {
        let (data, analysis) = demo();
        let only = [TableKind::Tiers, TableKind::Skus];
        let kinds: Vec<TableKind> =
            tables_for_role(&data, &analysis, Role::Consultant, Some(&only))
                .into_iter()
                .map(|t| t.0)
                .collect();
        assert_eq!(kinds, [TableKind::Skus, TableKind::Tiers]);
    }

    #[test]
    fn files_are_named_after_their_kind() {
        let (data, analysis) = demo();
        let t = tables_for_role(&data, &analysis, Role::Planner, Some(&[TableKind::Skus]));
        let csv = csv_file(TableKind::Skus, &t[0].1, &CsvOptions::for_spreadsheet(b';'));
        assert_eq!(csv.name, "skus.csv");
        assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        assert!(csv.bytes[3..].starts_with(b"sku;revenue;margin"));
        let book = xlsx_file("segscope.xlsx", &t).unwrap();
        assert_eq!((book.name.as_str(), book.mime), ("segscope.xlsx", XLSX_MIME));
        assert!(book.bytes.starts_with(b"PK\x03\x04"));
    }
}
