//! The data-quality report (SPEC §6).
//!
//! Loading never stops at a bad row: each rule counts the rows it hit and
//! keeps the first [`MAX_EXAMPLES`] with their file and line numbers, so a
//! user can open the export at exactly that line.

use serde::{Deserialize, Serialize};

/// How many example rows a rule keeps.
pub const MAX_EXAMPLES: usize = 20;

/// A data-quality rule. The order here is the order of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A required field is empty or cannot be parsed: the row is skipped.
    RequiredFieldInvalid,
    /// The row has more fields than the header: the row is skipped.
    TooManyFields,
    /// The row has fewer fields than the header: padded with empty cells.
    TooFewFields,
    /// An optional field could not be parsed: the cell is treated as empty.
    OptionalFieldInvalid,
    /// Negative quantity: kept as a return or cancellation.
    Return,
    /// Zero or negative price: kept, flagged.
    NonPositivePrice,
    /// Missing customer id: kept as `(unknown)`.
    MissingCustomer,
    /// The same line appears more than once: kept, flagged.
    DuplicateLine,
    /// SKU has no row in the products file: defaults used.
    SkuNotInProducts,
    /// A product with no sales but positive stock or forecast.
    UnsoldProduct,
    /// SKU known only from the products file (not in the results).
    ProductWithoutSales,
    /// Quantity far above the SKU's usual line size.
    QuantityOutlier,
    /// Date before 1990 or after the load day.
    DateOutOfRange,
    /// Unit cost above unit price.
    CostAbovePrice,
    /// SKU or customer codes that differ only by letter case.
    CaseVariantCodes,
    /// Later rows of a SKU or customer already listed in a master file: ignored.
    DuplicateMasterRow,
    /// Weight needed by a `weight_kg` cost driver is missing: counted as 0.
    MissingWeight,
    /// A cost pool row that cannot be used: skipped.
    InvalidCostPool,
}

impl Rule {
    /// What the loader does with a row the rule hits.
    pub fn action(self) -> &'static str {
        match self {
            Rule::RequiredFieldInvalid | Rule::TooManyFields | Rule::InvalidCostPool => {
                "row skipped"
            }
            Rule::TooFewFields => "padded with empty cells",
            Rule::OptionalFieldInvalid => "cell treated as empty",
            Rule::Return => "kept as return",
            Rule::MissingCustomer => "kept as (unknown)",
            Rule::SkuNotInProducts => "defaults used, flagged",
            Rule::ProductWithoutSales => "left out of the results",
            Rule::DuplicateMasterRow => "first row kept",
            Rule::MissingWeight => "weight counted as 0",
            _ => "kept, flagged",
        }
    }

    /// A one-line description for people.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::RequiredFieldInvalid => "Required field missing or unparseable",
            Rule::TooManyFields => "More fields than the header",
            Rule::TooFewFields => "Fewer fields than the header",
            Rule::OptionalFieldInvalid => "Optional field unparseable",
            Rule::Return => "Negative quantity (return)",
            Rule::NonPositivePrice => "Zero or negative price",
            Rule::MissingCustomer => "Missing customer id",
            Rule::DuplicateLine => "Exact duplicate line",
            Rule::SkuNotInProducts => "SKU absent from products file",
            Rule::UnsoldProduct => "Product with no sales but stock or forecast",
            Rule::ProductWithoutSales => "Product with no sales",
            Rule::QuantityOutlier => "Quantity far above the SKU's usual line size",
            Rule::DateOutOfRange => "Date before 1990 or after the load day",
            Rule::CostAbovePrice => "Unit cost above unit price",
            Rule::CaseVariantCodes => "Codes that differ only by letter case",
            Rule::DuplicateMasterRow => "Duplicate row in a master file",
            Rule::MissingWeight => "Weight missing for a weight-driven cost pool",
            Rule::InvalidCostPool => "Unusable cost pool row",
        }
    }
}

/// One row that a rule hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// File name as given by the user.
    pub file: String,
    /// 1-based line number in that file (0 when the finding is not tied to a line).
    pub line: u64,
    /// The column (header text) concerned, if one.
    pub column: Option<String>,
    /// What was found, in words, quoting the offending value.
    pub detail: String,
}

/// Everything one rule found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// What was done with the rows (see [`Rule::action`]).
    pub action: String,
    /// How many rows (or codes) the rule hit.
    pub count: u64,
    /// The first rows it hit.
    pub examples: Vec<Example>,
}

/// A choice the loader made for the user that they should know about, such
/// as a default value or a guessed date order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// File concerned, if one.
    pub file: Option<String>,
    /// What was decided and why.
    pub message: String,
}

/// The data-quality report of a load.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DqReport {
    /// Findings, one per rule that hit anything, in [`Rule`] order.
    pub findings: Vec<Finding>,
    /// Decisions and defaults applied.
    pub notes: Vec<Note>,
}

impl DqReport {
    /// Records that `rule` hit a row, keeping it as an example while there is room.
    pub fn flag(&mut self, rule: Rule, example: Example) {
        self.flag_many(rule, 1, example);
    }

    /// Records that `rule` hit a row, building the example only while there
    /// is room for it: loaders call this once per row of a million-line file,
    /// and most of those examples would be thrown away.
    pub fn flag_with(&mut self, rule: Rule, example: impl FnOnce() -> Example) {
        let finding = self.finding_mut(rule);
        finding.count += 1;
        if finding.examples.len() < MAX_EXAMPLES {
            finding.examples.push(example());
        }
    }

    /// Records that `rule` hit `count` rows, with one example.
    pub fn flag_many(&mut self, rule: Rule, count: u64, example: Example) {
        let finding = self.finding_mut(rule);
        finding.count += count;
        if finding.examples.len() < MAX_EXAMPLES {
            finding.examples.push(example);
        }
    }

    /// The finding of `rule`, created empty at its place in rule order.
    fn finding_mut(&mut self, rule: Rule) -> &mut Finding {
        let i = match self.findings.binary_search_by(|f| f.rule.cmp(&rule)) {
            Ok(i) => i,
            Err(i) => {
                let empty =
                    Finding { rule, action: rule.action().into(), count: 0, examples: Vec::new() };
                self.findings.insert(i, empty);
                i
            }
        };
        &mut self.findings[i]
    }

    /// Adds a note.
    pub fn note(&mut self, file: Option<&str>, message: impl Into<String>) {
        self.notes.push(Note { file: file.map(str::to_owned), message: message.into() });
    }

    /// How many rows a rule hit (0 if none).
    pub fn count(&self, rule: Rule) -> u64 {
        self.findings.iter().find(|f| f.rule == rule).map_or(0, |f| f.count)
    }

    /// Appends another report's findings and notes.
    pub fn merge(&mut self, other: DqReport) {
        for f in other.findings {
            let target = self.finding_mut(f.rule);
            target.count += f.count;
            let room = MAX_EXAMPLES.saturating_sub(target.examples.len());
            target.examples.extend(f.examples.into_iter().take(room));
        }
        self.notes.extend(other.notes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(line: u64) -> Example {
        Example { file: "orders.csv".into(), line, column: None, detail: "x".into() }
    }

    #[test]
    fn keeps_at_most_twenty_examples_but_counts_all() {
        let mut r = DqReport::default();
        for line in 2..102 {
            r.flag(Rule::Return, ex(line));
        }
        assert_eq!(r.count(Rule::Return), 100);
        assert_eq!(r.findings[0].examples.len(), MAX_EXAMPLES);
        assert_eq!(r.findings[0].examples[0].line, 2);
    }

    #[test]
    fn findings_are_in_rule_order() {
        let mut r = DqReport::default();
        r.flag(Rule::DuplicateLine, ex(5));
        r.flag(Rule::RequiredFieldInvalid, ex(3));
        let rules: Vec<_> = r.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, vec![Rule::RequiredFieldInvalid, Rule::DuplicateLine]);
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = DqReport::default();
        a.flag(Rule::Return, ex(2));
        let mut b = DqReport::default();
        b.flag(Rule::Return, ex(9));
        b.note(None, "n");
        a.merge(b);
        assert_eq!(a.count(Rule::Return), 2);
        assert_eq!(a.findings[0].examples.len(), 2);
        assert_eq!(a.notes.len(), 1);
    }
}
