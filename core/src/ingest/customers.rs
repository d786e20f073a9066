//! The customers file (SPEC §1.3): first row per customer wins.
//!
//! A `target_service_level` is a share strictly between 0 and 1 (`0.95` or
//! `95%`); anything else is reported and treated as blank, since a normal
//! quantile of 0 or 1 does not exist.

use super::intern::Interner;
use super::number::{Decimal, NumberColumn};
use super::sheet::{decide_numbers, unreadable, Sheet};
use super::text;
use super::Finish;
use super::{CustomerTable, FileKind, IngestError, InputFile, Overrides, Parsed};
use crate::dataset::Customer;
use crate::quality::{DqReport, Example, Rule};

/// Parses a customers file (see [`super::parse_customers`]).
pub(crate) fn parse(
    file: InputFile<'_>,
    overrides: &Overrides,
) -> Result<Parsed<CustomerTable>, IngestError> {
    let decoded = text::decode(file.bytes).map_err(|m| unreadable(file.name, 1, m))?;
    let mut report = DqReport::default();
    let mut sheet = Sheet::open(file.name, FileKind::Customers, &decoded, overrides, &mut report)?;
    let c_id = sheet.column("customer_id");
    let c_name = sheet.column("name");
    let c_channel = sheet.column("channel");
    let c_region = sheet.column("region");
    let c_strategic = sheet.column("strategic");
    let c_level = sheet.column("target_service_level");
    let mut level_reader = NumberColumn::default();
    let mut customers = Interner::default();
    let mut rows: Vec<Customer> = Vec::new();

    while let Some(row) = sheet.next_row(&mut report) {
        let line = u32::try_from(row.line).unwrap_or(u32::MAX);
        let Some(id) = row.text(c_id) else {
            report.flag_with(Rule::RequiredFieldInvalid, || {
                row.example(c_id, format!("`{}` is blank; row skipped", row.header(c_id)))
            });
            continue;
        };
        if let Some(first) = customers.get(id) {
            let first_line = rows.get(first as usize).map_or(0, |c| c.line);
            report.flag_with(Rule::DuplicateMasterRow, || {
                row.example(
                    c_id,
                    format!("customer `{id}` is already on line {first_line}; first row kept"),
                )
            });
            continue;
        }
        let index = rows.len() as u32;
        rows.push(Customer {
            customer: customers.intern(id),
            line,
            name: row.text(c_name).map(str::to_owned),
            channel: row.text(c_channel).map(str::to_owned),
            region: row.text(c_region).map(str::to_owned),
            strategic: row.boolean(c_strategic, &mut report),
            target_service_level: row.number(c_level, &mut level_reader, index, true, &mut report),
        });
    }

    let header = sheet.header(c_level).to_owned();
    if c_level.is_some() {
        let decisions =
            decide_numbers(&[(&header, &level_reader)], sheet.delimiter, file.name, &mut report);
        if decisions.first() == Some(&Decimal::Comma) {
            for &(i, alt) in &level_reader.ambiguous {
                if let Some(c) = rows.get_mut(i as usize) {
                    c.target_service_level = Some(alt);
                }
            }
        }
    }
    for c in &mut rows {
        if let Some(level) = c.target_service_level.filter(|&l| !(l > 0.0 && l < 1.0)) {
            c.target_service_level = None;
            report.flag(
                Rule::OptionalFieldInvalid,
                Example {
                    file: file.name.to_owned(),
                    line: u64::from(c.line),
                    column: Some(header.clone()),
                    detail: format!(
                        "target service level {level} is not strictly between 0 and 1; write \
                         0.95 or 95%; treated as blank"
                    ),
                },
            );
        }
    }
    let layout = sheet.finish(&mut report);
    Ok(Parsed { table: CustomerTable { customers: customers.finish(), rows }, layout, report })
}

#[cfg(test)]
mod tests {
    use super::super::{parse_customers, CustomerTable, InputFile, LoadOptions, Parsed};
    use crate::dataset::Customer;
    use crate::quality::Rule;

    fn parse(text: &str) -> Parsed<CustomerTable> {
        let file = InputFile { name: "customers.csv", bytes: text.as_bytes() };
        parse_customers(file, &Default::default(), &LoadOptions::default()).unwrap()
    }

    #[test]
    fn every_customers_field_is_read() {
        let parsed = parse(
            "Customer ID,Customer Name,Segment,Region,Key Account,Service Level\n\
             C1,\"Acme, Inc.\",Retail,North,yes,0.98\n\
             C2,,,,,95%\n",
        );
        assert_eq!(
            parsed.table.rows,
            [
                Customer {
                    customer: 0,
                    line: 2,
                    name: Some("Acme, Inc.".into()),
                    channel: Some("Retail".into()),
                    region: Some("North".into()),
                    strategic: Some(true),
                    target_service_level: Some(0.98),
                },
                Customer {
                    customer: 1,
                    line: 3,
                    target_service_level: Some(0.95),
                    ..Customer::default()
                },
            ]
        );
        assert!(parsed.report.findings.is_empty(), "{:?}", parsed.report);
    }

    #[test]
    fn service_levels_must_lie_strictly_between_zero_and_one() {
        for cell in ["95", "1", "0", "-0.5", "100%", "1,000", "high"] {
            let parsed = parse(&format!("customer,service level\nC1,\"{cell}\"\n"));
            assert_eq!(parsed.table.rows[0].target_service_level, None, "{cell}");
            assert_eq!(parsed.report.count(Rule::OptionalFieldInvalid), 1, "{cell}");
        }
    }

    #[test]
    fn the_first_row_of_a_customer_wins() {
        let parsed = parse("customer;name\nC1;First\nC1;Second\n");
        assert_eq!(parsed.table.rows.len(), 1);
        assert_eq!(parsed.table.rows[0].name.as_deref(), Some("First"));
        assert_eq!(parsed.report.count(Rule::DuplicateMasterRow), 1);
    }
}
