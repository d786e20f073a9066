//! The products file (SPEC §1.2): first row per SKU wins.
//!
//! Quantities, times and costs must not be negative (a negative cell is
//! reported and treated as blank); stock on hand and forecasts may be. An
//! `order_multiple` ≤ 0 counts as 1. A `holding_rate` is an annual share of
//! unit cost: `0.25` or `25%`; a value above 1 is reported rather than
//! guessed to mean percent.

use super::intern::Interner;
use super::number::{Decimal, NumberColumn};
use super::sheet::{decide_numbers, unreadable, Sheet};
use super::text;
use super::words;
use super::Finish;
use super::{FileKind, IngestError, InputFile, Overrides, Parsed, ProductTable};
use crate::config::MAX_LEAD_TIME_DAYS;
use crate::dataset::Product;
use crate::quality::{DqReport, Example, Rule};

/// A number field of [`Product`].
struct NumberField {
    name: &'static str,
    slot: fn(&mut Product) -> &mut Option<f64>,
    non_negative: bool,
    fraction: bool,
    /// The largest plausible value; a larger one is treated as blank.
    max: f64,
}

const NUMBER_FIELDS: [NumberField; 10] = [
    NumberField {
        name: "unit_cost",
        slot: |p| &mut p.unit_cost,
        non_negative: true,
        fraction: false,
        max: f64::INFINITY,
    },
    NumberField {
        name: "weight_kg",
        slot: |p| &mut p.weight_kg,
        non_negative: true,
        fraction: false,
        max: f64::INFINITY,
    },
    NumberField {
        name: "lead_time_days",
        slot: |p| &mut p.lead_time_days,
        non_negative: true,
        fraction: false,
        max: MAX_LEAD_TIME_DAYS,
    },
    NumberField {
        name: "lead_time_sd_days",
        slot: |p| &mut p.lead_time_sd_days,
        non_negative: true,
        fraction: false,
        max: MAX_LEAD_TIME_DAYS,
    },
    NumberField {
        name: "moq",
        slot: |p| &mut p.moq,
        non_negative: true,
        fraction: false,
        max: f64::INFINITY,
    },
    NumberField {
        name: "order_multiple",
        slot: |p| &mut p.order_multiple,
        non_negative: false,
        fraction: false,
        max: f64::INFINITY,
    },
    NumberField {
        name: "holding_rate",
        slot: |p| &mut p.holding_rate,
        non_negative: true,
        fraction: true,
        max: f64::INFINITY,
    },
    NumberField {
        name: "on_hand",
        slot: |p| &mut p.on_hand,
        non_negative: false,
        fraction: false,
        max: f64::INFINITY,
    },
    NumberField {
        name: "forecast",
        slot: |p| &mut p.forecast,
        non_negative: false,
        fraction: false,
        max: f64::INFINITY,
    },
    NumberField {
        name: "shelf_life_days",
        slot: |p| &mut p.shelf_life_days,
        non_negative: true,
        fraction: false,
        max: f64::INFINITY,
    },
];

/// Parses a products file (see [`super::parse_products`]).
pub(crate) fn parse(
    file: InputFile<'_>,
    overrides: &Overrides,
) -> Result<Parsed<ProductTable>, IngestError> {
    let decoded = text::decode(file.bytes).map_err(|m| unreadable(file.name, 1, m))?;
    let mut report = DqReport::default();
    let mut sheet = Sheet::open(file.name, FileKind::Products, &decoded, overrides, &mut report)?;
    let c_sku = sheet.column("sku");
    let c_description = sheet.column("description");
    let c_category = sheet.column("category");
    let c_lifecycle = sheet.column("lifecycle");
    let c_perishable = sheet.column("perishable");
    let c_strategic = sheet.column("strategic");
    let columns: Vec<Option<usize>> = NUMBER_FIELDS.iter().map(|f| sheet.column(f.name)).collect();
    let mut readers: Vec<NumberColumn> = vec![NumberColumn::default(); NUMBER_FIELDS.len()];
    let mut skus = Interner::default();
    let mut products: Vec<Product> = Vec::new();
    let mut multiples_set_to_one = 0u64;

    while let Some(row) = sheet.next_row(&mut report) {
        let line = u32::try_from(row.line).unwrap_or(u32::MAX);
        let Some(sku) = row.text(c_sku) else {
            report.flag_with(Rule::RequiredFieldInvalid, || {
                row.example(c_sku, format!("`{}` is blank; row skipped", row.header(c_sku)))
            });
            continue;
        };
        if let Some(first) = skus.get(sku) {
            let first_line = products.get(first as usize).map_or(0, |p| p.line);
            report.flag_with(Rule::DuplicateMasterRow, || {
                row.example(
                    c_sku,
                    format!("SKU `{sku}` is already on line {first_line}; first row kept"),
                )
            });
            continue;
        }
        let index = products.len() as u32;
        let mut product = Product {
            sku: skus.intern(sku),
            line,
            description: row.text(c_description).map(str::to_owned),
            category: row.text(c_category).map(str::to_owned),
            ..Product::default()
        };
        for ((field, &column), reader) in NUMBER_FIELDS.iter().zip(&columns).zip(&mut readers) {
            let Some(value) = row.number(column, reader, index, field.fraction, &mut report) else {
                continue;
            };
            if field.non_negative && value < 0.0 {
                if reader.ambiguous.last().is_some_and(|&(i, _)| i == index) {
                    reader.ambiguous.pop();
                }
                report.flag_with(Rule::OptionalFieldInvalid, || {
                    row.example(
                        column,
                        format!("{} is negative; treated as blank", row.quoted(column)),
                    )
                });
                continue;
            }
            if value > field.max {
                report.flag_with(Rule::OptionalFieldInvalid, || {
                    row.example(
                        column,
                        format!(
                            "{} is more than {} days; treated as blank",
                            row.quoted(column),
                            field.max
                        ),
                    )
                });
                continue;
            }
            *(field.slot)(&mut product) = Some(value);
        }
        if product.order_multiple.is_some_and(|m| m <= 0.0) {
            product.order_multiple = Some(1.0);
            multiples_set_to_one += 1;
        }
        product.lifecycle = words::parse_lifecycle(row.cell(c_lifecycle)).unwrap_or_else(|()| {
            row.flag_optional(&mut report, c_lifecycle, "a lifecycle stage (new, active, eol)");
            None
        });
        product.perishable = row.boolean(c_perishable, &mut report);
        product.strategic = row.boolean(c_strategic, &mut report);
        products.push(product);
    }

    let headers: Vec<String> = columns.iter().map(|&c| sheet.header(c).to_owned()).collect();
    let named: Vec<(&str, &NumberColumn)> = columns
        .iter()
        .zip(&headers)
        .zip(&readers)
        .filter(|((c, _), _)| c.is_some())
        .map(|((_, h), r)| (h.as_str(), r))
        .collect();
    let mut decisions = decide_numbers(&named, sheet.delimiter, file.name, &mut report).into_iter();
    for ((field, column), reader) in NUMBER_FIELDS.iter().zip(&columns).zip(&readers) {
        if column.is_some() && decisions.next() == Some(Decimal::Comma) {
            for &(i, alt) in &reader.ambiguous {
                if let Some(p) = products.get_mut(i as usize) {
                    *(field.slot)(p) = Some(alt);
                }
            }
        }
    }

    let c_rate = sheet.column("holding_rate");
    for p in &mut products {
        if let Some(rate) = p.holding_rate.filter(|&r| r > 1.0) {
            p.holding_rate = None;
            report.flag(
                Rule::OptionalFieldInvalid,
                Example {
                    file: file.name.to_owned(),
                    line: u64::from(p.line),
                    column: Some(sheet.header(c_rate).to_owned()),
                    detail: format!(
                        "holding rate {rate} is above 1 (100% a year); write 0.25 or 25% for a \
                         quarter; treated as blank"
                    ),
                },
            );
        }
    }
    if multiples_set_to_one > 0 {
        report.note(
            Some(file.name),
            format!("{multiples_set_to_one} order multiple(s) of 0 or less count as 1."),
        );
    }
    let layout = sheet.finish(&mut report);
    Ok(Parsed { table: ProductTable { skus: skus.finish(), products }, layout, report })
}

#[cfg(test)]
mod tests {
    use super::super::{parse_products, InputFile, LoadOptions, Parsed, ProductTable};
    use crate::dataset::{Lifecycle, Product};
    use crate::quality::Rule;

    fn parse(text: &str) -> Parsed<ProductTable> {
        let file = InputFile { name: "products.csv", bytes: text.as_bytes() };
        parse_products(file, &Default::default(), &LoadOptions::default()).unwrap()
    }

    /// Parses a one-column-plus-SKU file and returns the product.
    fn check(header: &str, cell: &str, expected: Product) {
        let parsed = parse(&format!("sku;{header}\nA;{cell}\n"));
        let expected = Product { sku: 0, line: 2, ..expected };
        assert_eq!(parsed.table.products, [expected], "{header} = {cell:?}");
    }

    #[test]
    fn every_products_field_is_read() {
        let p = Product::default;
        check(
            "Description",
            "Blue mug, 0.3 l",
            Product { description: Some("Blue mug, 0.3 l".into()), ..p() },
        );
        check("Category", " Kitchen ", Product { category: Some("Kitchen".into()), ..p() });
        check("Unit Cost", "€ 1,50", Product { unit_cost: Some(1.5), ..p() });
        check("Weight (kg)", "0,25", Product { weight_kg: Some(0.25), ..p() });
        check("Lead Time", "21", Product { lead_time_days: Some(21.0), ..p() });
        check("lead_time_sd_days", "3,5", Product { lead_time_sd_days: Some(3.5), ..p() });
        check("MOQ", "100", Product { moq: Some(100.0), ..p() });
        check("Order Multiple", "12", Product { order_multiple: Some(12.0), ..p() });
        check("Order Multiple", "0", Product { order_multiple: Some(1.0), ..p() });
        check("Order Multiple", "-6", Product { order_multiple: Some(1.0), ..p() });
        check("Lifecycle", "End of Life", Product { lifecycle: Some(Lifecycle::Eol), ..p() });
        check("Status", "discontinued", Product { lifecycle: Some(Lifecycle::Eol), ..p() });
        check("Lifecycle", "NEW", Product { lifecycle: Some(Lifecycle::New), ..p() });
        check("Perishable", "x", Product { perishable: Some(true), ..p() });
        check("Perishable", "", Product::default());
        check("Strategic", "No", Product { strategic: Some(false), ..p() });
        check("Holding Rate", "25%", Product { holding_rate: Some(0.25), ..p() });
        check("Holding Rate", "0,2", Product { holding_rate: Some(0.2), ..p() });
        check("On Hand", "-4", Product { on_hand: Some(-4.0), ..p() });
        check("Forecast", "1.200", Product { forecast: Some(1200.0), ..p() });
        check("Shelf Life", "30", Product { shelf_life_days: Some(30.0), ..p() });
    }

    #[test]
    fn unusable_cells_are_reported_and_left_blank() {
        for (header, cell) in [
            ("Unit Cost", "-1"),
            ("Lead Time", "two weeks"),
            ("Holding Rate", "25"),
            ("Lifecycle", "blocked"),
            ("Perishable", "maybe"),
            ("MOQ", "10%"),
            // A placeholder lead time would make the empirical model resample
            // 99,999 days of demand per draw (found by the config fuzzer).
            ("Lead Time", "99999"),
            ("lead_time_sd_days", "3651"),
        ] {
            let parsed = parse(&format!("sku;{header}\nA;{cell}\n"));
            assert_eq!(
                parsed.table.products[0],
                Product { line: 2, ..Product::default() },
                "{header}"
            );
            assert_eq!(parsed.report.count(Rule::OptionalFieldInvalid), 1, "{header} = {cell:?}");
            let example = &parsed.report.findings[0].examples[0];
            assert_eq!((example.line, example.column.as_deref()), (2, Some(header)));
        }
    }

    #[test]
    fn the_first_row_of_a_sku_wins() {
        let parsed = parse("sku,moq\nA,1\nB,2\n A ,3\n,4\n");
        let moq: Vec<_> = parsed.table.products.iter().map(|p| p.moq).collect();
        assert_eq!(moq, [Some(1.0), Some(2.0)]);
        assert_eq!(parsed.report.count(Rule::DuplicateMasterRow), 1);
        let dup =
            &parsed.report.findings.iter().find(|f| f.rule == Rule::DuplicateMasterRow).unwrap();
        assert_eq!(dup.examples[0].line, 4);
        assert!(dup.examples[0].detail.contains("line 2"));
        assert_eq!(parsed.report.count(Rule::RequiredFieldInvalid), 1);
    }

    #[test]
    fn a_header_only_products_file_is_empty_not_an_error() {
        assert!(parse("sku,description\n").table.products.is_empty());
    }
}
