//! Runs and governance: the history of runs a user made (each the same
//! [`RunRecord`] as the CLI's `run.json`, plus a note and the per-SKU
//! segment assignment needed to compare two runs), manual overrides of a
//! SKU's segment, and the audit trail of every override change.
//!
//! A manual override is a business rule on one SKU (`when.sku`) that pins
//! both classes, appended after the configuration's own rules by
//! [`Governance::apply`]; so it goes through the same path as every rule,
//! the run record's configuration holds it, and the SKU's explanation reads
//! `overridden by <reason>`.
//!
//! core reads no clock: every function that records something takes the
//! time from its caller.

use crate::analysis::Analysis;
use crate::classify::abc::AbcClass;
use crate::classify::explain::{criterion_name, pct};
use crate::classify::rules::{Condition, Rule};
use crate::classify::stability::{self, PreviousRun};
use crate::classify::xyz::XyzClass;
use crate::config::Config;
use crate::dataset::Dataset;
use crate::roles::{self, Role, TableKind};
use crate::run::RunRecord;
use crate::tables::{self, Table};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use thiserror::Error;

/// How many runs keep their per-SKU assignment (older runs keep only their
/// record, so memory stays bounded however many runs a workshop makes).
pub const KEPT_ASSIGNMENTS: usize = 20;

/// The name of the rule a manual override becomes.
pub const OVERRIDE_RULE: &str = "manual override";

/// The segments a SKU can be overridden to: the nine ABC × XYZ cells.
pub use crate::config::SEGMENTS;

/// The `to` of an audit entry that removed an override: the SKU goes back
/// to its computed segment.
pub const COMPUTED: &str = "(computed)";

/// The governance state of a workspace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Governance {
    /// Runs, oldest first.
    pub runs: Vec<Run>,
    /// Manual overrides in force, in the order they were made.
    pub overrides: Vec<Override>,
    /// Every override added, changed or removed, oldest first.
    pub audit: Vec<AuditEntry>,
    /// SKU codes the kept assignments refer to (interned once for all runs).
    pub skus: Vec<String>,
}

/// One recorded run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Number of the run in this workspace, from 1.
    pub id: u32,
    /// Configuration (overrides included), input hashes, engine version,
    /// time and note.
    pub record: RunRecord,
    /// Per-SKU classes; `None` once the run is older than the last
    /// [`KEPT_ASSIGNMENTS`] runs.
    pub assignment: Option<Assignment>,
}

/// The classes of one run, compactly: parallel columns, one row per SKU.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assignment {
    /// Per SKU, its index in [`Governance::skus`].
    pub sku: Vec<u32>,
    /// Segment labels used in this run.
    pub labels: Vec<String>,
    /// Per SKU, its segment's index in `labels`.
    pub segment: Vec<u16>,
    /// ABC letter per SKU, as one string.
    pub abc: String,
    /// XYZ letter per SKU, as one string.
    pub xyz: String,
    /// Cumulative share of the criterion before it (`P_i`).
    pub cumulative: Vec<Option<f32>>,
    /// Coefficient of variation.
    pub cv: Vec<Option<f32>>,
    /// Rules (and `hysteresis`) that changed a class in this run.
    pub rules: Vec<String>,
    /// Per SKU, 1 + its rule's index in `rules`, or 0 for none.
    pub rule: Vec<u16>,
}

/// A manual override of one SKU's segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Override {
    /// SKU code.
    pub sku: String,
    /// The segment it is pinned to (one of [`SEGMENTS`]).
    pub segment: String,
    /// Why (never empty).
    pub reason: String,
}

/// One change to the overrides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When (RFC 3339, UTC), as told by the caller.
    pub time: String,
    /// SKU code.
    pub sku: String,
    /// Segment before the change.
    pub from: String,
    /// Segment after the change ([`COMPUTED`] when an override was removed).
    pub to: String,
    /// The reason given.
    pub reason: String,
    /// The run that first applies the change.
    pub run: u32,
}

/// Why a governance request was refused.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum GovernanceError {
    /// Overrides need a reason.
    #[error("an override of {sku} needs a reason: say why it belongs in another segment")]
    ReasonRequired {
        /// SKU code.
        sku: String,
    },
    /// Not one of the nine segments.
    #[error("'{segment}' is not a segment; choose one of AX, AY, AZ, BX, BY, BZ, CX, CY, CZ")]
    UnknownSegment {
        /// What was given.
        segment: String,
    },
    /// The SKU is not in the data.
    #[error("SKU '{sku}' is not in the loaded data; check its code")]
    UnknownSku {
        /// What was given.
        sku: String,
    },
    /// Nothing to remove.
    #[error("SKU '{sku}' has no override to remove")]
    NoOverride {
        /// SKU code.
        sku: String,
    },
    /// No run with that number.
    #[error("there is no run {run}")]
    NoSuchRun {
        /// Run number.
        run: u32,
    },
    /// The run's per-SKU classes were dropped.
    #[error(
        "run {run} is older than the last {KEPT_ASSIGNMENTS} runs, whose SKU classes are kept; \
         compare two newer runs"
    )]
    NotKept {
        /// Run number.
        run: u32,
    },
}

/// One cell of the migration between two runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    /// Segment in the earlier run ([`stability::NONE`] for SKUs new in the later).
    pub from: String,
    /// Segment in the later run ([`stability::NONE`] for SKUs gone from it).
    pub to: String,
    /// SKUs that moved so.
    pub skus: usize,
}

/// A SKU whose segment differs between two runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangedSku {
    /// SKU code.
    pub sku: String,
    /// Segment in the earlier run.
    pub from: String,
    /// Segment in the later run.
    pub to: String,
    /// Which figure moved, which cut or rule, or which override, in words.
    pub reason: String,
}

/// Two runs compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The earlier run's number.
    pub from: u32,
    /// The later run's number.
    pub to: u32,
    /// What differs in their configuration and inputs, in words.
    pub changes: Vec<String>,
    /// SKUs per (earlier segment, later segment), in label order.
    pub matrix: Vec<Migration>,
    /// SKUs that changed segment, by SKU code.
    pub changed: Vec<ChangedSku>,
}

/// One SKU's classes in a kept assignment.
struct Row<'a> {
    segment: &'a str,
    abc: u8,
    xyz: u8,
    cumulative: Option<f32>,
    cv: Option<f32>,
    rule: Option<&'a str>,
}

impl Assignment {
    fn row(&self, i: usize) -> Option<Row<'_>> {
        let label = |k: u16| self.labels.get(k as usize).map(String::as_str);
        Some(Row {
            segment: label(*self.segment.get(i)?)?,
            abc: *self.abc.as_bytes().get(i)?,
            xyz: *self.xyz.as_bytes().get(i)?,
            cumulative: self.cumulative.get(i).copied().flatten(),
            cv: self.cv.get(i).copied().flatten(),
            rule: match self.rule.get(i).copied().unwrap_or(0) {
                0 => None,
                k => self.rules.get(k as usize - 1).map(String::as_str),
            },
        })
    }
}

/// Index of `value` in `list`, appending it if new.
fn intern(list: &mut Vec<String>, index: &mut HashMap<String, u16>, value: &str) -> u16 {
    if let Some(&i) = index.get(value) {
        return i;
    }
    let i = list.len() as u16;
    list.push(value.to_owned());
    index.insert(value.to_owned(), i);
    i
}

/// The configuration's own rules, without manual overrides (what a rules
/// editor shows).
pub fn user_rules(rules: &[Rule]) -> Vec<Rule> {
    rules.iter().filter(|r| r.override_reason.is_none()).cloned().collect()
}

impl Governance {
    /// The number the next run will get.
    pub fn next_run(&self) -> u32 {
        self.runs.last().map_or(1, |r| r.id + 1)
    }

    /// `config` with the overrides in force as its last rules (any override
    /// rules it carried are replaced).
    pub fn apply(&self, config: &Config) -> Config {
        let mut config = config.clone();
        config.rules = user_rules(&config.rules);
        config.rules.extend(self.overrides.iter().map(override_rule));
        config
    }

    /// The segment a SKU is overridden to, if it is.
    pub fn override_of(&self, sku: &str) -> Option<&Override> {
        self.overrides.iter().find(|o| o.sku == sku)
    }

    /// Records a run of `analysis` on `data`, described by `record`;
    /// returns its number. Only the last [`KEPT_ASSIGNMENTS`] runs keep
    /// their per-SKU classes.
    pub fn record_run(&mut self, record: RunRecord, data: &Dataset, analysis: &Analysis) -> u32 {
        let id = self.next_run();
        let mut codes: HashMap<String, u32> =
            self.skus.iter().enumerate().map(|(i, s)| (s.clone(), i as u32)).collect();
        let mut a = Assignment::default();
        let (mut labels, mut rules) = (HashMap::new(), HashMap::new());
        for (&sku, c) in analysis.demand.series.skus.iter().zip(&analysis.classes) {
            let code = data.skus.name(sku);
            let next = self.skus.len() as u32;
            let k = *codes.entry(code.to_owned()).or_insert_with(|| {
                self.skus.push(code.to_owned());
                next
            });
            a.sku.push(k);
            a.segment.push(intern(&mut a.labels, &mut labels, &c.segment));
            a.abc.push_str(&c.abc.class.to_string());
            a.xyz.push_str(&c.xyz.to_string());
            a.cumulative.push(c.abc.cumulative_before.map(|p| p as f32));
            a.cv.push(c.cv.map(|v| v as f32));
            a.rule.push(c.rule.as_deref().map_or(0, |r| 1 + intern(&mut a.rules, &mut rules, r)));
        }
        self.runs.push(Run { id, record, assignment: Some(a) });
        self.forget_old_assignments();
        id
    }

    /// Drops the assignments of all but the last [`KEPT_ASSIGNMENTS`] runs
    /// and the SKU codes only they used.
    fn forget_old_assignments(&mut self) {
        let keep_from = self.runs.len().saturating_sub(KEPT_ASSIGNMENTS);
        let mut dropped = false;
        for run in &mut self.runs[..keep_from] {
            dropped |= run.assignment.take().is_some();
        }
        if !dropped {
            return;
        }
        let mut used = vec![u32::MAX; self.skus.len()];
        let mut skus = Vec::new();
        for a in self.runs.iter_mut().filter_map(|r| r.assignment.as_mut()) {
            for k in &mut a.sku {
                let Some(slot) = used.get_mut(*k as usize) else { continue };
                if *slot == u32::MAX {
                    *slot = skus.len() as u32;
                    skus.push(std::mem::take(&mut self.skus[*k as usize]));
                }
                *k = *slot;
            }
        }
        self.skus = skus;
    }

    /// Sets a run's note.
    ///
    /// # Errors
    /// [`GovernanceError::NoSuchRun`].
    pub fn set_note(&mut self, run: u32, note: &str) -> Result<(), GovernanceError> {
        let r = self.runs.iter_mut().find(|r| r.id == run);
        let r = r.ok_or(GovernanceError::NoSuchRun { run })?;
        r.record.note = note.trim().to_owned();
        Ok(())
    }

    /// Pins `sku` to `segment` for `reason`, at `time`; `current` is its
    /// segment in the analysis shown (`None` when the SKU is not in the
    /// data). The change is appended to the audit trail; it takes effect in
    /// the next run, which the caller makes. Setting the same override
    /// again changes nothing.
    ///
    /// # Errors
    /// An empty reason, a segment not in [`SEGMENTS`], an unknown SKU.
    ///
    /// # Example
    /// ```
    /// # use segscope_core::governance::*;
    /// let mut g = Governance::default();
    /// assert!(g.set_override("S1", "AX", " ", Some("CZ"), "2026-11-22T01:00:00Z").is_err());
    /// g.set_override("S1", "AX", "launch", Some("CZ"), "2026-11-22T01:00:00Z").unwrap();
    /// assert_eq!((g.audit[0].from.as_str(), g.audit[0].to.as_str()), ("CZ", "AX"));
    /// ```
    pub fn set_override(
        &mut self,
        sku: &str,
        segment: &str,
        reason: &str,
        current: Option<&str>,
        time: &str,
    ) -> Result<(), GovernanceError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(GovernanceError::ReasonRequired { sku: sku.to_owned() });
        }
        if !SEGMENTS.contains(&segment) {
            return Err(GovernanceError::UnknownSegment { segment: segment.to_owned() });
        }
        let Some(current) = current else {
            return Err(GovernanceError::UnknownSku { sku: sku.to_owned() });
        };
        let from = match self.overrides.iter().position(|o| o.sku == sku) {
            Some(i) => {
                let old = self.overrides.remove(i);
                if old.segment == segment && old.reason == reason {
                    self.overrides.insert(i, old);
                    return Ok(());
                }
                old.segment
            }
            None => current.to_owned(),
        };
        let o =
            Override { sku: sku.to_owned(), segment: segment.to_owned(), reason: reason.into() };
        self.overrides.push(o);
        self.log(time, sku, from, segment.to_owned(), reason);
        Ok(())
    }

    /// Removes the override of `sku` for `reason`, at `time`; the SKU goes
    /// back to its computed segment in the next run.
    ///
    /// # Errors
    /// An empty reason, or no override on that SKU.
    pub fn remove_override(
        &mut self,
        sku: &str,
        reason: &str,
        time: &str,
    ) -> Result<(), GovernanceError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(GovernanceError::ReasonRequired { sku: sku.to_owned() });
        }
        let i = self.overrides.iter().position(|o| o.sku == sku);
        let i = i.ok_or_else(|| GovernanceError::NoOverride { sku: sku.to_owned() })?;
        let old = self.overrides.remove(i);
        self.log(time, sku, old.segment, COMPUTED.to_owned(), reason);
        Ok(())
    }

    fn log(&mut self, time: &str, sku: &str, from: String, to: String, reason: &str) {
        let run = self.next_run();
        let (time, sku, reason) = (time.to_owned(), sku.to_owned(), reason.to_owned());
        self.audit.push(AuditEntry { time, sku, from, to, reason, run });
    }

    /// The governance tables exported with the results — the audit trail
    /// and the run history — as far as `role` sees them.
    pub fn tables_for_role(&self, role: Role) -> Vec<(TableKind, Table)> {
        [
            (TableKind::Audit, tables::audit_table(&self.audit)),
            (TableKind::Runs, tables::run_history_table(&self.runs)),
        ]
        .into_iter()
        .filter(|(kind, _)| roles::sees_table(role, *kind))
        .map(|(kind, table)| (kind, table.for_role(role, kind)))
        .collect()
    }

    fn run(&self, id: u32) -> Result<(&Run, &Assignment), GovernanceError> {
        let run = self.runs.iter().find(|r| r.id == id);
        let run = run.ok_or(GovernanceError::NoSuchRun { run: id })?;
        let assignment = run.assignment.as_ref().ok_or(GovernanceError::NotKept { run: id })?;
        Ok((run, assignment))
    }

    /// Compares run `from` with run `to`: the migration matrix (core's
    /// [`stability::migration_matrix`]), what changed in the configuration
    /// and inputs, and each SKU that changed segment with the reason.
    ///
    /// # Errors
    /// A run that does not exist or no longer keeps its SKU classes.
    pub fn compare(&self, from: u32, to: u32) -> Result<Comparison, GovernanceError> {
        let (run_a, a) = self.run(from)?;
        let (run_b, b) = self.run(to)?;
        let code = |k: u32| self.skus.get(k as usize).map_or("", String::as_str);
        let rows_a: HashMap<&str, usize> =
            a.sku.iter().enumerate().map(|(i, &k)| (code(k), i)).collect();
        let mut previous = PreviousRun::default();
        for (i, &k) in a.sku.iter().enumerate() {
            if let Some(r) = a.row(i) {
                let classes = (abc_of(r.abc), xyz_of(r.xyz), r.segment.to_owned());
                previous.skus.insert(code(k).to_owned(), classes);
            }
        }
        let current: Vec<(&str, Row)> =
            b.sku.iter().enumerate().filter_map(|(i, &k)| Some((code(k), b.row(i)?))).collect();
        let matrix =
            stability::migration_matrix(&previous, current.iter().map(|(s, r)| (*s, r.segment)));
        let (ca, cb) = (&run_a.record.config, &run_b.record.config);
        let mut changed = Vec::new();
        for (sku, rb) in &current {
            let ra = rows_a.get(sku).and_then(|&i| a.row(i));
            let from_segment = ra.as_ref().map_or(stability::NONE, |r| r.segment);
            if from_segment != rb.segment {
                let reason = match &ra {
                    Some(ra) => reason(sku, ra, rb, ca, cb),
                    None => format!("not in run {from}'s data"),
                };
                let (sku, to) = (sku.to_string(), rb.segment.to_owned());
                changed.push(ChangedSku { sku, from: from_segment.to_owned(), to, reason });
            }
        }
        let in_b: std::collections::HashSet<&str> = current.iter().map(|(s, _)| *s).collect();
        for (sku, &i) in &rows_a {
            if let (false, Some(ra)) = (in_b.contains(sku), a.row(i)) {
                changed.push(ChangedSku {
                    sku: sku.to_string(),
                    from: ra.segment.to_owned(),
                    to: stability::NONE.to_owned(),
                    reason: format!("not in run {to}'s data"),
                });
            }
        }
        changed.sort_by(|x, y| x.sku.cmp(&y.sku));
        Ok(Comparison {
            from,
            to,
            changes: config_changes(&run_a.record, &run_b.record),
            matrix: matrix
                .into_iter()
                .map(|((from, to), skus)| Migration { from, to, skus })
                .collect(),
            changed,
        })
    }
}

/// The rule an override becomes: both classes pinned, segment set.
fn override_rule(o: &Override) -> Rule {
    let abc = abc_of(o.segment.as_bytes().first().copied().unwrap_or(b'C'));
    let xyz = xyz_of(o.segment.as_bytes().get(1).copied().unwrap_or(b'Z'));
    Rule {
        name: OVERRIDE_RULE.to_owned(),
        when: Condition { sku: Some(o.sku.clone()), ..Condition::default() },
        abc_at_least: abc,
        abc_at_most: abc,
        xyz_at_least: xyz,
        xyz_at_most: xyz,
        segment: Some(o.segment.clone()),
        override_reason: Some(o.reason.clone()),
    }
}

fn abc_of(letter: u8) -> Option<AbcClass> {
    match letter {
        b'A' => Some(AbcClass::A),
        b'B' => Some(AbcClass::B),
        b'C' => Some(AbcClass::C),
        _ => None,
    }
}

fn xyz_of(letter: u8) -> Option<XyzClass> {
    match letter {
        b'X' => Some(XyzClass::X),
        b'Y' => Some(XyzClass::Y),
        b'Z' => Some(XyzClass::Z),
        _ => None,
    }
}

/// The reason of the override on `sku` in `config`, if there is one.
fn override_reason<'a>(config: &'a Config, sku: &str) -> Option<&'a str> {
    config
        .rules
        .iter()
        .filter(|r| r.when.sku.as_deref() == Some(sku))
        .find_map(|r| r.override_reason.as_deref())
}

/// Why a SKU moved from `a` (in a run of `ca`) to `b` (in a run of `cb`):
/// an override, a rule, or for each class that changed the cut and the
/// figure it compares.
fn reason(sku: &str, a: &Row, b: &Row, ca: &Config, cb: &Config) -> String {
    let (over_a, over_b) = (override_reason(ca, sku), override_reason(cb, sku));
    if let Some(why) = over_b.filter(|&w| Some(w) != over_a || a.rule != b.rule) {
        return format!("manual override: {why}");
    }
    if let (Some(why), None) = (over_a, over_b) {
        return format!("manual override removed (it was: {why})");
    }
    if a.rule != b.rule {
        match (a.rule, b.rule) {
            (_, Some("hysteresis")) => {
                return "hysteresis kept the previous class near a cut".into();
            }
            (_, Some(rule)) => return format!("rule '{rule}' applies"),
            (Some(rule), None) if rule != "hysteresis" => {
                return format!("rule '{rule}' no longer applies");
            }
            _ => {}
        }
    }
    let mut parts = Vec::new();
    if a.abc != b.abc {
        parts.push(abc_reason(a, b, ca, cb));
    }
    if a.xyz != b.xyz {
        parts.push(xyz_reason(a, b, ca, cb));
    }
    if parts.is_empty() {
        format!("segment label {} → {}", a.segment, b.segment)
    } else {
        parts.join("; ")
    }
}

/// `name x → y` when the value changed, else `None`.
fn moved(name: &str, x: f64, y: f64, show: impl Fn(f64) -> String) -> Option<String> {
    (show(x) != show(y)).then(|| format!("{name} {} → {}", show(x), show(y)))
}

fn abc_reason(a: &Row, b: &Row, ca: &Config, cb: &Config) -> String {
    let name = criterion_name(cb.abc.criterion);
    let mut parts = Vec::new();
    if ca.abc.criterion != cb.abc.criterion {
        let before = criterion_name(ca.abc.criterion);
        parts.push(format!("ranked by {name} instead of {before}"));
    }
    parts.extend(moved("A cut", ca.abc.a_cut, cb.abc.a_cut, pct));
    parts.extend(moved("B cut", ca.abc.b_cut, cb.abc.b_cut, pct));
    let figure = format!("cumulative {name} share before it");
    let (pa, pb) = (a.cumulative.map(f64::from), b.cumulative.map(f64::from));
    parts.push(match (pa, pb) {
        (Some(x), Some(y)) => moved(&figure, x, y, pct).unwrap_or(format!("{figure} {}", pct(y))),
        (None, Some(y)) => format!("{figure} {}", pct(y)),
        (_, None) => format!("its {name} is not positive"),
    });
    format!("ABC {} → {}: {}", a.abc as char, b.abc as char, parts.join(", "))
}

fn xyz_reason(a: &Row, b: &Row, ca: &Config, cb: &Config) -> String {
    let cut = |x: f64| format!("{x}");
    let three = |x: f64| format!("{x:.3}");
    let mut parts = Vec::new();
    if ca.bucket != cb.bucket {
        parts.push(format!("bucket {} → {}", ca.bucket.name(), cb.bucket.name()));
    }
    if ca.xyz.half_life != cb.xyz.half_life {
        let hl = |h: Option<f64>| h.map_or("none".to_owned(), |h| format!("{h}"));
        parts.push(format!("half-life {} → {}", hl(ca.xyz.half_life), hl(cb.xyz.half_life)));
    }
    if ca.xyz.cap_outliers != cb.xyz.cap_outliers {
        let on = |b: bool| if b { "on" } else { "off" };
        let (x, y) = (on(ca.xyz.cap_outliers), on(cb.xyz.cap_outliers));
        parts.push(format!("outlier capping {x} → {y}"));
    }
    parts.extend(moved("X cut", ca.xyz.x_cut, cb.xyz.x_cut, cut));
    parts.extend(moved("Y cut", ca.xyz.y_cut, cb.xyz.y_cut, cut));
    let (va, vb) = (a.cv.map(f64::from), b.cv.map(f64::from));
    parts.push(match (va, vb) {
        (Some(x), Some(y)) => moved("cv", x, y, three).unwrap_or(format!("cv {}", three(y))),
        (None, Some(y)) => format!("cv {}", three(y)),
        (_, None) => "no demand in the horizon".to_owned(),
    });
    format!("XYZ {} → {}: {}", a.xyz as char, b.xyz as char, parts.join(", "))
}

/// What differs between two runs' configurations and inputs, in words.
fn config_changes(a: &RunRecord, b: &RunRecord) -> Vec<String> {
    let (ca, cb) = (&a.config, &b.config);
    let mut out = Vec::new();
    if ca.abc.criterion != cb.abc.criterion {
        let (x, y) = (criterion_name(ca.abc.criterion), criterion_name(cb.abc.criterion));
        out.push(format!("ABC criterion {x} → {y}"));
    }
    let cut = |x: f64| format!("{x}");
    out.extend(moved("A cut", ca.abc.a_cut, cb.abc.a_cut, pct));
    out.extend(moved("B cut", ca.abc.b_cut, cb.abc.b_cut, pct));
    out.extend(moved("X cut", ca.xyz.x_cut, cb.xyz.x_cut, cut));
    out.extend(moved("Y cut", ca.xyz.y_cut, cb.xyz.y_cut, cut));
    if ca.bucket != cb.bucket {
        out.push(format!("bucket {} → {}", ca.bucket.name(), cb.bucket.name()));
    }
    if ca.xyz.half_life != cb.xyz.half_life || ca.xyz.cap_outliers != cb.xyz.cap_outliers {
        out.push("XYZ settings (half-life or outlier capping) changed".into());
    }
    if user_rules(&ca.rules) != user_rules(&cb.rules) {
        out.push("business rules changed".into());
    }
    let overrides = |c: &Config| c.rules.len() - user_rules(&c.rules).len();
    if override_rules(ca) != override_rules(cb) {
        out.push(format!("manual overrides {} → {}", overrides(ca), overrides(cb)));
    }
    if ca.policy != cb.policy {
        out.push("policy settings changed".into());
    }
    for input in &b.inputs {
        match a.inputs.iter().find(|i| i.kind == input.kind) {
            Some(old) if old.sha256 != input.sha256 => out.push(format!(
                "{} changed: {} ({}) → {} ({})",
                input.kind.label(),
                old.name,
                short_hash(&old.sha256),
                input.name,
                short_hash(&input.sha256)
            )),
            Some(_) => {}
            None => out.push(format!("{} added: {}", input.kind.label(), input.name)),
        }
    }
    for old in a.inputs.iter().filter(|o| !b.inputs.iter().any(|i| i.kind == o.kind)) {
        out.push(format!("{} removed: {}", old.kind.label(), old.name));
    }
    out
}

fn override_rules(c: &Config) -> Vec<&Rule> {
    c.rules.iter().filter(|r| r.override_reason.is_some()).collect()
}

/// The settings that decide segments, in one line: criterion, cuts,
/// bucket, rules and overrides.
///
/// # Example
/// ```
/// # use segscope_core::{Config, governance::settings_summary};
/// assert_eq!(
///     settings_summary(&Config::default()),
///     "revenue · A 80.0 % · B 95.0 % · X 0.5 · Y 1 · week · 0 rules · 0 overrides"
/// );
/// ```
pub fn settings_summary(c: &Config) -> String {
    let overrides = override_rules(c).len();
    format!(
        "{} · A {} · B {} · X {} · Y {} · {} · {} rules · {overrides} overrides",
        criterion_name(c.abc.criterion),
        pct(c.abc.a_cut),
        pct(c.abc.b_cut),
        c.xyz.x_cut,
        c.xyz.y_cut,
        c.bucket.name(),
        c.rules.len() - overrides,
    )
}

/// The first 8 hex digits of a SHA-256, as people quote it.
pub fn short_hash(sha256: &str) -> &str {
    sha256.get(..8).unwrap_or(sha256)
}

/// Reads manual overrides from CSV text with the columns `sku`, `segment`,
/// `reason` (the CLI's `--overrides`).
///
/// # Errors
/// A message naming the file, the line and what to do, for a missing
/// column, an empty reason or an unknown segment.
pub fn read_overrides(bytes: &[u8], name: &str) -> Result<Vec<Override>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| format!("{name}: not CSV text ({e})"))?.clone();
    let col = |c: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(c));
    let (Some(sku), Some(segment), Some(reason)) = (col("sku"), col("segment"), col("reason"))
    else {
        return Err(format!(
            "{name}: overrides need the columns sku, segment and reason; found: {}",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("{name}, line {line}: {e}"))?;
        let cell = |c: usize| record.get(c).unwrap_or("").trim().to_owned();
        let o = Override { sku: cell(sku), segment: cell(segment), reason: cell(reason) };
        if o.sku.is_empty() {
            return Err(format!("{name}, line {line}: the sku is empty"));
        }
        if o.reason.is_empty() {
            return Err(format!(
                "{name}, line {line}: the override of {} has no reason; every override needs one",
                o.sku
            ));
        }
        if !SEGMENTS.contains(&o.segment.as_str()) {
            return Err(format!(
                "{name}, line {line}: '{}' is not a segment; use one of {}",
                o.segment,
                SEGMENTS.join(", ")
            ));
        }
        out.push(o);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::explain::explain;
    use crate::testing::{dataset, week, Line};

    const T1: &str = "2026-11-22T01:00:00Z";
    const T2: &str = "2026-11-22T01:05:00Z";

    /// Four SKUs with net revenue 50, 30, 15 and 5 over four weeks of one
    /// unit each (cv 0, so all X). Cumulative shares before them: 0, 0.50,
    /// 0.80, 0.95; with the default cuts (0.80, 0.95) they are AX, AX, BX,
    /// CX.
    fn data() -> Dataset {
        let mut lines = Vec::new();
        for (sku, revenue) in [("S1", 50.0), ("S2", 30.0), ("S3", 15.0), ("S4", 5.0)] {
            for w in 0..4 {
                let revenue = Some(revenue / 4.0);
                lines.push(Line { sku, date: week(w), revenue, ..Line::default() });
            }
        }
        dataset(lines)
    }

    fn run(g: &mut Governance, data: &Dataset, config: &Config, time: &str) -> u32 {
        let config = g.apply(config);
        let analysis = crate::analyze(data, &config);
        let record = RunRecord::new(&analysis.config, Vec::new(), time, "test");
        g.record_run(record, data, &analysis)
    }

    fn segments(g: &Governance, id: u32) -> Vec<String> {
        let a = g.runs.iter().find(|r| r.id == id).unwrap().assignment.as_ref().unwrap();
        a.segment.iter().map(|&k| a.labels[k as usize].clone()).collect()
    }

    #[test]
    fn a_lower_a_cut_and_an_override_migrate_as_counted_by_hand() {
        let d = data();
        let mut g = Governance::default();
        let first = run(&mut g, &d, &Config::default(), T1);
        assert_eq!(segments(&g, first), ["AX", "AX", "BX", "CX"]);
        // A cut 0.40: S2's 0.50 is no longer below it → BX. S4 is pinned to AX.
        let mut config = Config::default();
        config.abc.a_cut = 0.4;
        g.set_override("S4", "AX", "new launch", Some("CX"), T2).unwrap();
        let second = run(&mut g, &d, &config, T2);
        assert_eq!(segments(&g, second), ["AX", "BX", "BX", "AX"]);

        let c = g.compare(first, second).unwrap();
        let cell = |from: &str, to: &str| {
            c.matrix.iter().find(|m| m.from == from && m.to == to).map_or(0, |m| m.skus)
        };
        assert_eq!(
            [cell("AX", "AX"), cell("AX", "BX"), cell("BX", "BX"), cell("CX", "AX")],
            [1, 1, 1, 1]
        );
        assert_eq!(c.matrix.iter().map(|m| m.skus).sum::<usize>(), 4);
        let changed: Vec<_> =
            c.changed.iter().map(|x| (x.sku.as_str(), x.reason.as_str())).collect();
        assert_eq!(
            changed,
            [
                (
                    "S2",
                    "ABC A → B: A cut 80.0 % → 40.0 %, cumulative revenue share before it 50.0 %"
                ),
                ("S4", "manual override: new launch"),
            ]
        );
        assert_eq!(c.changes, ["A cut 80.0 % → 40.0 %", "manual overrides 0 → 1"]);
        // The other way round, the override is removed and the cut goes back.
        let back = g.compare(second, first).unwrap();
        assert_eq!(back.changed[1].reason, "manual override removed (it was: new launch)");
    }

    #[test]
    fn a_moved_figure_is_named_with_both_values() {
        let mut g = Governance::default();
        let first = run(&mut g, &data(), &Config::default(), T1);
        // S3 sells 45 more in week 0: revenues 50, 30, 60, 5 (total 145).
        // S3 now ranks first (P = 0 → AX); S1's P = 60/145 = 41.4 %; S2's
        // P = 110/145 = 75.9 % stays A.
        let mut d = data();
        let extra = Line { sku: "S3", date: week(0), revenue: Some(45.0), ..Line::default() };
        crate::testing::push(&mut d, extra);
        let second = run(&mut g, &d, &Config::default(), T2);
        let c = g.compare(first, second).unwrap();
        assert_eq!(c.changed.len(), 1, "{:?}", c.changed);
        let s3 = &c.changed[0];
        assert_eq!((s3.sku.as_str(), s3.from.as_str(), s3.to.as_str()), ("S3", "BX", "AX"));
        assert!(
            s3.reason.starts_with("ABC B → A: cumulative revenue share before it 80.0 % → 0.0 %"),
            "{}",
            s3.reason
        );
    }

    #[test]
    fn an_override_needs_a_reason_a_segment_and_a_known_sku() {
        let mut g = Governance::default();
        let refused = [
            g.set_override("S1", "AX", "  ", Some("CX"), T1),
            g.set_override("S1", "EOL", "why", Some("CX"), T1),
            g.set_override("S9", "AX", "why", None, T1),
            g.remove_override("S1", "why", T1),
        ];
        assert!(matches!(refused[0], Err(GovernanceError::ReasonRequired { .. })));
        assert!(matches!(refused[1], Err(GovernanceError::UnknownSegment { .. })));
        assert!(matches!(refused[2], Err(GovernanceError::UnknownSku { .. })));
        assert!(matches!(refused[3], Err(GovernanceError::NoOverride { .. })));
        assert!(g.overrides.is_empty() && g.audit.is_empty());
        g.set_override("S1", "AX", "why", Some("CX"), T1).unwrap();
        assert!(g.remove_override("S1", "", T1).is_err(), "a removal needs a reason too");
        assert_eq!(g.overrides.len(), 1);
    }

    #[test]
    fn the_audit_trail_keeps_every_change_in_order() {
        let d = data();
        let mut g = Governance::default();
        run(&mut g, &d, &Config::default(), T1);
        g.set_override("S4", "AX", "launch", Some("CX"), T1).unwrap();
        // The same override again is no change.
        g.set_override("S4", "AX", "launch", Some("AX"), T1).unwrap();
        run(&mut g, &d, &Config::default(), T1);
        g.set_override("S4", "BX", "launch slower", Some("AX"), T2).unwrap();
        g.remove_override("S4", "launch cancelled", T2).unwrap();
        let trail: Vec<_> = g
            .audit
            .iter()
            .map(|e| (e.sku.as_str(), e.from.as_str(), e.to.as_str(), e.reason.as_str(), e.run))
            .collect();
        assert_eq!(
            trail,
            [
                ("S4", "CX", "AX", "launch", 2),
                ("S4", "AX", "BX", "launch slower", 3),
                ("S4", "BX", COMPUTED, "launch cancelled", 3),
            ]
        );
        assert_eq!(g.audit[2].time, T2);
        assert!(g.overrides.is_empty());
    }

    #[test]
    fn an_override_is_explained_as_overridden_by_its_reason() {
        let mut g = Governance::default();
        g.set_override("S4", "AX", "new launch", Some("CX"), T1).unwrap();
        let analysis = crate::analyze(&data(), &g.apply(&Config::default()));
        let s4 = &analysis.classes[3];
        assert_eq!(s4.segment, "AX");
        assert_eq!(s4.rule.as_deref(), Some(OVERRIDE_RULE));
        let text = explain(s4, &analysis.config);
        assert_eq!(text.last().unwrap(), "overridden by new launch: CX to AX");
        // An override that keeps the class is still the user's decision.
        g.set_override("S1", "AX", "keep", Some("AX"), T1).unwrap();
        let analysis = crate::analyze(&data(), &g.apply(&Config::default()));
        assert_eq!(analysis.classes[0].reason.as_deref(), Some("overridden by keep: AX to AX"));
        // The rules editor never sees them.
        assert!(user_rules(&analysis.config.rules).is_empty());
    }

    #[test]
    fn only_the_last_runs_keep_their_classes() {
        let d = data();
        let mut g = Governance::default();
        for _ in 0..KEPT_ASSIGNMENTS + 2 {
            run(&mut g, &d, &Config::default(), T1);
        }
        let kept = g.runs.iter().filter(|r| r.assignment.is_some()).count();
        assert_eq!(kept, KEPT_ASSIGNMENTS);
        assert_eq!(g.runs.len(), KEPT_ASSIGNMENTS + 2);
        assert_eq!(g.compare(1, 22), Err(GovernanceError::NotKept { run: 1 }));
        assert_eq!(g.compare(3, 99), Err(GovernanceError::NoSuchRun { run: 99 }));
        assert!(g.compare(3, 22).unwrap().changed.is_empty());
        assert_eq!(g.skus, ["S1", "S2", "S3", "S4"]);
        g.set_note(22, "  after the workshop ").unwrap();
        assert_eq!(g.runs[21].record.note, "after the workshop");
    }

    #[test]
    fn the_audit_trail_is_exported_to_all_but_sales() {
        let mut g = Governance::default();
        g.set_override("S1", "AX", "=launch", Some("CX"), T1).unwrap();
        let planner = g.tables_for_role(Role::Planner);
        let audit = &planner.iter().find(|t| t.0 == TableKind::Audit).unwrap().1;
        assert_eq!(audit.columns, ["time", "sku", "from_segment", "to_segment", "reason", "run"]);
        let csv = audit.to_csv_with(&tables::CsvOptions::for_spreadsheet(b','));
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert_eq!(text.lines().nth(1), Some("2026-11-22T01:00:00Z,S1,CX,AX,'=launch,1"));
        assert!(g.tables_for_role(Role::Sales).is_empty());
    }

    #[test]
    fn overrides_csv_needs_reason_and_segment_per_line() {
        let ok = read_overrides(b"sku,segment,reason\nS1,AX,launch\n", "o.csv").unwrap();
        assert_eq!(ok[0].reason, "launch");
        let e = read_overrides(b"sku,segment,reason\nS1,AX,launch\nS2,BY,\n", "o.csv");
        assert!(e.unwrap_err().starts_with("o.csv, line 3: the override of S2 has no reason"));
        let e = read_overrides(b"sku,segment,reason\nS1,EOL,x\n", "o.csv").unwrap_err();
        assert!(e.contains("line 2") && e.contains("'EOL' is not a segment"), "{e}");
        let e = read_overrides(b"sku,class\n", "o.csv").unwrap_err();
        assert!(e.contains("sku, segment and reason"), "{e}");
    }
}
