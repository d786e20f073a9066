//! The cost pools file (SPEC §1.4).
//!
//! A row is usable when it names its pool, has an annual cost of zero or
//! more, a known driver, and a fixed share between 0 and 1 (blank = 0,
//! `30%` = 0.3). Any other row is skipped as [`Rule::InvalidCostPool`] with
//! the reason; a second row for the same pool name is skipped as a
//! duplicate.

use super::number::{self, Decimal, Num, NumberColumn};
use super::sheet::{decide_numbers, unreadable, Sheet};
use super::text;
use super::{FileKind, IngestError, InputFile, Overrides, Parsed};
use crate::dataset::{CostPool, Driver};
use crate::quality::{DqReport, Example, Rule};
use std::collections::HashMap;

/// Parses a cost pools file (see [`super::parse_cost_pools`]).
pub(crate) fn parse(
    file: InputFile<'_>,
    overrides: &Overrides,
) -> Result<Parsed<Vec<CostPool>>, IngestError> {
    let decoded = text::decode(file.bytes).map_err(|m| unreadable(file.name, 1, m))?;
    let mut report = DqReport::default();
    let mut sheet = Sheet::open(file.name, FileKind::CostPools, &decoded, overrides, &mut report)?;
    let c_pool = sheet.column("pool");
    let c_cost = sheet.column("annual_cost");
    let c_driver = sheet.column("driver");
    let c_fixed = sheet.column("fixed_share");
    let mut cost_reader = NumberColumn::default();
    let mut fixed_reader = NumberColumn::default();
    let mut pools: Vec<CostPool> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let mut names: HashMap<String, u64> = HashMap::new();
    let known: Vec<&str> = Driver::ALL.iter().map(|d| d.name()).collect();

    while let Some(row) = sheet.next_row(&mut report) {
        let index = pools.len() as u32;
        let cost_cell = row.cell(c_cost);
        let cost = number::parse(cost_cell);
        let fixed_cell = row.cell(c_fixed);
        let fixed = match number::parse(fixed_cell) {
            Num::Empty => {
                Num::Value { value: 0.0, alt: None, mark: number::Mark::Neither, percent: false }
            }
            Num::Value { value, alt, mark, percent: true } => Num::Value {
                value: value / 100.0,
                alt: alt.map(|a| a / 100.0),
                mark,
                percent: true,
            },
            other => other,
        };
        let driver = Driver::parse(row.cell(c_driver));
        let problem = match (row.text(c_pool), cost, driver, fixed) {
            (None, ..) => Some((c_pool, "the pool has no name".to_owned())),
            (_, Num::Empty, ..) => Some((c_cost, "the annual cost is blank".to_owned())),
            (_, Num::Invalid | Num::Value { percent: true, .. }, ..) => {
                Some((c_cost, format!("annual cost {} is not a number", row.quoted(c_cost))))
            }
            (_, Num::Value { value, .. }, ..) if value < 0.0 => {
                Some((c_cost, format!("annual cost {value} is negative")))
            }
            (_, _, None, _) => Some((
                c_driver,
                format!("driver {} is not one of {}", row.quoted(c_driver), known.join(", ")),
            )),
            (_, _, _, Num::Invalid) => {
                Some((c_fixed, format!("fixed share {} is not a number", row.quoted(c_fixed))))
            }
            (_, _, _, Num::Value { value, .. }) if value < 0.0 => {
                Some((c_fixed, format!("fixed share {value} is negative")))
            }
            _ => None,
        };
        if let Some((column, why)) = problem {
            report.flag_with(Rule::InvalidCostPool, || {
                row.example(column, format!("{why}; row skipped"))
            });
            continue;
        }
        let (
            Some(name),
            Num::Value { value: annual_cost, .. },
            Some(driver),
            Num::Value { value: fixed_share, .. },
        ) = (row.text(c_pool), cost, driver, fixed)
        else {
            continue;
        };
        if let Some(&first) = names.get(name) {
            report.flag_with(Rule::DuplicateMasterRow, || {
                row.example(
                    c_pool,
                    format!("pool `{name}` is already on line {first}; first row kept"),
                )
            });
            continue;
        }
        names.insert(name.to_owned(), row.line);
        cost_reader.record(index, cost_cell, &cost);
        fixed_reader.record(index, fixed_cell, &fixed);
        pools.push(CostPool { pool: name.to_owned(), annual_cost, driver, fixed_share });
        lines.push(row.line);
    }

    let cost_header = sheet.header(c_cost).to_owned();
    let fixed_header = sheet.header(c_fixed).to_owned();
    let mut named = vec![(cost_header.as_str(), &cost_reader)];
    if c_fixed.is_some() {
        named.push((fixed_header.as_str(), &fixed_reader));
    }
    let decisions = decide_numbers(&named, sheet.delimiter, file.name, &mut report);
    if decisions.first() == Some(&Decimal::Comma) {
        for &(i, alt) in &cost_reader.ambiguous {
            if let Some(p) = pools.get_mut(i as usize) {
                p.annual_cost = alt;
            }
        }
    }
    if decisions.get(1) == Some(&Decimal::Comma) {
        for &(i, alt) in &fixed_reader.ambiguous {
            if let Some(p) = pools.get_mut(i as usize) {
                p.fixed_share = alt;
            }
        }
    }
    let mut kept = Vec::with_capacity(pools.len());
    for (pool, line) in pools.into_iter().zip(lines) {
        if pool.fixed_share > 1.0 {
            report.flag(
                Rule::InvalidCostPool,
                Example {
                    file: file.name.to_owned(),
                    line,
                    column: Some(fixed_header.clone()),
                    detail: format!(
                        "fixed share {} is above 1; write 0.3 or 30%; row skipped",
                        pool.fixed_share
                    ),
                },
            );
        } else {
            kept.push(pool);
        }
    }
    let layout = sheet.finish(&mut report);
    Ok(Parsed { table: kept, layout, report })
}

#[cfg(test)]
mod tests {
    use super::super::{parse_cost_pools, InputFile, LoadOptions};
    use crate::dataset::{CostPool, Driver};
    use crate::quality::Rule;

    /// Parses one row after a header and returns the pool, or the reason it was skipped.
    fn check(row: &str, expected: Result<(f64, Driver, f64), &str>) {
        let text = format!("Pool;Annual Cost;Driver;Fixed Share\n{row}\n");
        let file = InputFile { name: "pools.csv", bytes: text.as_bytes() };
        let parsed = parse_cost_pools(file, &Default::default(), &LoadOptions::default()).unwrap();
        match expected {
            Ok((annual_cost, driver, fixed_share)) => assert_eq!(
                parsed.table,
                [CostPool { pool: "P".into(), annual_cost, driver, fixed_share }],
                "{row}"
            ),
            Err(why) => {
                assert!(parsed.table.is_empty(), "{row}");
                let finding = &parsed.report.findings[0];
                assert_eq!((finding.rule, finding.count), (Rule::InvalidCostPool, 1), "{row}");
                assert!(
                    finding.examples[0].detail.contains(why),
                    "{row}: {:?}",
                    finding.examples[0]
                );
                assert_eq!(finding.examples[0].line, 2);
            }
        }
    }

    #[test]
    fn cost_pool_rows() {
        check("P;120000;orders;0,3", Ok((120_000.0, Driver::Orders, 0.3)));
        check("P;1.250.000;Weight;", Ok((1_250_000.0, Driver::WeightKg, 0.0)));
        check("P;€ 5000;value;25%", Ok((5000.0, Driver::Value, 0.25)));
        check("P;5000;Lines;1", Ok((5000.0, Driver::Lines, 1.0)));
        check(";5000;lines;0", Err("no name"));
        check("P;;lines;0", Err("blank"));
        check("P;lots;lines;0", Err("not a number"));
        check("P;-5;lines;0", Err("negative"));
        check(
            "P;5000;pallets;0",
            Err("not one of orders, lines, units, value, weight_kg, customers"),
        );
        check("P;5000;lines;half", Err("not a number"));
        check("P;5000;lines;-0,1", Err("negative"));
        check("P;5000;lines;1,5", Err("above 1"));
    }

    #[test]
    fn a_pool_named_twice_keeps_the_first_row() {
        let text = "pool,annual_cost,driver\nP,1,lines\nP,2,units\n";
        let file = InputFile { name: "pools.csv", bytes: text.as_bytes() };
        let parsed = parse_cost_pools(file, &Default::default(), &LoadOptions::default()).unwrap();
        assert_eq!(parsed.table.len(), 1);
        assert_eq!(parsed.table[0].driver, Driver::Lines);
        assert_eq!(parsed.report.count(Rule::DuplicateMasterRow), 1);
    }
}
