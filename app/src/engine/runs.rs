//! Runs and governance in the worker: every analysis of new settings or
//! inputs is recorded as a run (core's `RunRecord`, the same as the CLI's
//! `run.json`, with the SKU classes needed to compare), manual overrides go
//! through core's `Governance` (a reason is required; each change is
//! logged) and are applied as rules after the configuration's own, and two
//! runs are compared by core.
//!
//! The engine has no clock: the worker sets the time of each request with
//! [`set_clock`] (the browser's `Date`), and tests set a fixed one.

use super::{progress, Engine};
use crate::worker_api::{Request, Response, RunRow, RunsView};
use segscope_core::governance::{settings_summary, short_hash, Governance, KEPT_ASSIGNMENTS};
use segscope_core::roles::{sees_table, TableKind};
use segscope_core::RunRecord;
use std::sync::OnceLock;

static CLOCK: OnceLock<fn() -> String> = OnceLock::new();

/// Sets where the engine reads the time (RFC 3339, UTC) of runs and audit
/// entries; the first call wins.
pub fn set_clock(now: fn() -> String) {
    let _ = CLOCK.set(now);
}

/// The time now, or an empty text when no clock was set.
fn now() -> String {
    CLOCK.get().map(|f| f()).unwrap_or_default()
}

impl Engine {
    /// The governance record (runs, overrides, audit trail), for saving.
    pub fn governance(&self) -> &Governance {
        &self.governance
    }

    /// Replaces the governance record (a restored workspace).
    pub fn set_governance(&mut self, governance: Governance) {
        self.governance = governance;
    }

    /// Handles the History page's requests, each ending with its final
    /// answer.
    pub(super) fn handle_runs(&mut self, request: Request, emit: &mut dyn FnMut(Response)) {
        let result = match request {
            Request::Runs => Ok(()),
            Request::SetRunNote { run, note } => self.governance.set_note(run, &note),
            Request::CompareRuns { from, to } => {
                match self.governance.compare(from.min(to), from.max(to)) {
                    Ok(c) if self.sees_governance() => {
                        emit(Response::Comparison(Box::new(c)));
                        return;
                    }
                    Ok(_) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            Request::OverrideSku { sku, segment, reason } => {
                let current = self.segment_of(&sku);
                let time = now();
                let r = self.governance.set_override(
                    &sku,
                    &segment,
                    &reason,
                    current.as_deref(),
                    &time,
                );
                r.map(|()| self.rerun(emit))
            }
            Request::RemoveOverride { sku, reason } => {
                let r = self.governance.remove_override(&sku, &reason, &now());
                r.map(|()| self.rerun(emit))
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            emit(Response::GovernanceRejected { message: e.to_string() });
        }
        // The inputs were hashed for the run before: no wait for the views.
        self.record_due_run(emit);
        emit(Response::Runs(Box::new(self.runs_view())));
        emit(Response::Workspace(Box::new(self.view())));
    }

    /// A SKU's segment in the analysis shown.
    fn segment_of(&self, sku: &str) -> Option<String> {
        let (loaded, analysis) = (self.loaded.as_ref()?, self.analysis.as_ref()?);
        let codes = &loaded.dataset.skus;
        let row = analysis.demand.series.skus.iter().position(|&s| codes.name(s) == sku)?;
        analysis.classes.get(row).map(|c| c.segment.clone())
    }

    /// Runs the analysis again after the overrides changed.
    fn rerun(&mut self, emit: &mut dyn FnMut(Response)) {
        if self.loaded.is_some() {
            emit(progress("Recomputing the segmentation with the overrides", None));
            self.analyze(true, emit);
        }
    }

    /// Records the run of the analysis sent, if not recorded yet.
    pub(super) fn record_due_run(&mut self, emit: &mut dyn FnMut(Response)) {
        if std::mem::take(&mut self.run_due) {
            self.record_run(emit);
        }
    }

    /// Records the analysis shown as a run, unless it has the same
    /// configuration and inputs as the last run (a role switch or a reload
    /// recomputes nothing new); sends the history when a run was added.
    fn record_run(&mut self, emit: &mut dyn FnMut(Response)) {
        let inputs = self.input_records();
        let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) else { return };
        if let Some(last) = self.governance.runs.last() {
            if last.record.config == analysis.config && last.record.inputs == inputs {
                return;
            }
        }
        let record = RunRecord::new(&analysis.config, inputs, &now(), "segscope-app");
        self.governance.record_run(record, &loaded.dataset, analysis);
        emit(Response::Runs(Box::new(self.runs_view())));
    }

    fn sees_governance(&self) -> bool {
        sees_table(self.role, TableKind::Runs)
    }

    /// The History page's view, newest first.
    pub(super) fn runs_view(&self) -> RunsView {
        if !self.sees_governance() {
            return RunsView { kept: KEPT_ASSIGNMENTS, visible: false, ..RunsView::default() };
        }
        let g = &self.governance;
        let runs = g
            .runs
            .iter()
            .rev()
            .map(|r| RunRow {
                id: r.id,
                created: r.record.created.clone(),
                note: r.record.note.clone(),
                settings: settings_summary(&r.record.config),
                inputs: r
                    .record
                    .inputs
                    .iter()
                    .map(|i| {
                        let hash = short_hash(&i.sha256).to_owned();
                        (i.kind.label().to_owned(), i.name.clone(), hash)
                    })
                    .collect(),
                engine: r.record.engine.clone(),
                skus: r.assignment.as_ref().map_or(0, |a| a.sku.len()),
                comparable: r.assignment.is_some(),
            })
            .collect();
        RunsView {
            runs,
            overrides: g.overrides.clone(),
            audit: g.audit.iter().rev().cloned().collect(),
            kept: KEPT_ASSIGNMENTS,
            visible: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::{SegmentSettings, SegmentsView};
    use segscope_core::roles::Role;
    use segscope_core::FileKind;

    // Ten SKUs S0 … S9 with revenues 100, 90, …, 10 and steady weekly
    // demand: P = 0, .18, .35, .49, .62, .73, .82, .89, .95, .98, so with
    // the default cuts AAAAAABBBC, all X.
    use crate::engine::tests::ten_skus;

    fn run(e: &mut Engine, request: Request, bytes: Option<&str>) -> Vec<Response> {
        set_clock(|| "2026-11-22T01:00:00Z".to_owned());
        let mut sent = Vec::new();
        e.handle(request, bytes.map(|b| b.as_bytes().to_vec()), &mut |r| sent.push(r));
        sent
    }

    fn loaded() -> Engine {
        let mut e = Engine::new(None);
        let request = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        run(&mut e, request, Some(&ten_skus()));
        e
    }

    fn with_a_cut(e: &mut Engine, a_cut: f64) -> Vec<Response> {
        let mut settings = SegmentSettings::of(&e.config);
        settings.a_cut = a_cut;
        run(e, Request::Analyze { settings, rules: "[]".into() }, None)
    }

    fn runs(sent: &[Response]) -> Option<&RunsView> {
        sent.iter().rev().find_map(|r| match r {
            Response::Runs(v) => Some(v.as_ref()),
            _ => None,
        })
    }

    fn segments(sent: &[Response]) -> Option<&SegmentsView> {
        sent.iter().find_map(|r| match r {
            Response::Segments(v) => Some(v.as_ref()),
            _ => None,
        })
    }

    fn rejected(sent: &[Response]) -> Option<&str> {
        sent.iter().find_map(|r| match r {
            Response::GovernanceRejected { message } => Some(message.as_str()),
            _ => None,
        })
    }

    #[test]
    fn each_new_analysis_is_a_run_and_a_role_switch_is_not() {
        let mut e = loaded();
        assert_eq!(e.governance.runs.len(), 1);
        let sent = with_a_cut(&mut e, 0.6);
        let view = runs(&sent).expect("the history follows a new run");
        assert_eq!(view.runs.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 1]);
        let newest = &view.runs[0];
        assert!(newest.settings.contains("A 60.0 %"), "{}", newest.settings);
        assert_eq!(newest.created, "2026-11-22T01:00:00Z");
        assert_eq!((newest.skus, newest.comparable), (10, true));
        let (kind, name, hash) = &newest.inputs[0];
        assert_eq!((kind.as_str(), name.as_str(), hash.len()), ("orders", "o.csv", 8));
        let sha = segscope_core::run::sha256_hex(ten_skus().as_bytes());
        assert!(sha.starts_with(hash.as_str()));
        // The same settings, or another role, recompute nothing new.
        with_a_cut(&mut e, 0.6);
        run(&mut e, Request::SetRole { role: Role::Planner }, None);
        assert_eq!(e.governance.runs.len(), 2);
        // Sales sees no governance.
        let sent = run(&mut e, Request::SetRole { role: Role::Sales }, None);
        assert!(runs(&sent).is_none_or(|v| !v.visible));
        let sent = run(&mut e, Request::Runs, None);
        assert!(!runs(&sent).unwrap().visible && runs(&sent).unwrap().runs.is_empty());
    }

    #[test]
    fn comparing_before_and_after_a_lower_a_cut_counts_the_moves() {
        let mut e = loaded();
        with_a_cut(&mut e, 0.6);
        // A cut 0.6: S4 (P = .62) and S5 (.73) go from A to B.
        let sent = run(&mut e, Request::CompareRuns { from: 2, to: 1 }, None);
        let Some(Response::Comparison(c)) = sent.last() else { panic!("{sent:?}") };
        assert_eq!((c.from, c.to), (1, 2));
        let cells: Vec<(&str, &str, usize)> =
            c.matrix.iter().map(|m| (m.from.as_str(), m.to.as_str(), m.skus)).collect();
        assert_eq!(cells, [("AX", "AX", 4), ("AX", "BX", 2), ("BX", "BX", 3), ("CX", "CX", 1)]);
        let changed: Vec<&str> = c.changed.iter().map(|x| x.sku.as_str()).collect();
        assert_eq!(changed, ["S4", "S5"]);
        assert!(c.changed[0].reason.starts_with("ABC A → B: A cut 80.0 % → 60.0 %"));
        assert_eq!(c.changes, ["A cut 80.0 % → 60.0 %"]);
        let sent = run(&mut e, Request::CompareRuns { from: 1, to: 9 }, None);
        assert_eq!(rejected(&sent), Some("there is no run 9"));
        assert!(matches!(sent.last(), Some(Response::Workspace(_))));
    }

    #[test]
    fn an_override_needs_a_reason_then_moves_the_sku_and_is_explained() {
        let mut e = loaded();
        let refuse =
            Request::OverrideSku { sku: "S9".into(), segment: "AX".into(), reason: " ".into() };
        let sent = run(&mut e, refuse, None);
        assert!(rejected(&sent).unwrap().contains("needs a reason"), "{sent:?}");
        assert!(segments(&sent).is_none() && e.governance.audit.is_empty());

        let pin = Request::OverrideSku {
            sku: "S9".into(),
            segment: "AX".into(),
            reason: "key account launch".into(),
        };
        let sent = run(&mut e, pin, None);
        assert!(rejected(&sent).is_none());
        let view = segments(&sent).expect("the analysis runs again");
        let row = view.table.sku.iter().position(|s| s == "S9").unwrap();
        assert_eq!(&view.table.segment[row], "AX");
        assert_eq!(view.rules_json, "[]", "overrides stay out of the rules editor");
        let history = runs(&sent).unwrap();
        assert_eq!(history.runs.len(), 2);
        let entry = &history.audit[0];
        assert_eq!((entry.from.as_str(), entry.to.as_str(), entry.run), ("CX", "AX", 2));
        let sent = run(&mut e, Request::Explain { sku: "S9".into() }, None);
        let Some(Response::Explanation(x)) = sent.first() else { panic!("{sent:?}") };
        assert_eq!(x.lines.last().unwrap(), "overridden by key account launch: CX to AX");

        let remove =
            Request::RemoveOverride { sku: "S9".into(), reason: "launch cancelled".into() };
        let sent = run(&mut e, remove, None);
        let view = segments(&sent).unwrap();
        assert_eq!(&view.table.segment[row], "CX");
        assert_eq!(runs(&sent).unwrap().audit.len(), 2);
        let sent =
            run(&mut e, Request::SetRunNote { run: 3, note: "back to computed".into() }, None);
        assert_eq!(runs(&sent).unwrap().runs[0].note, "back to computed");
    }

    #[test]
    fn a_saved_workspace_brings_back_runs_and_overrides_without_a_new_run() {
        let mut e = loaded();
        let pin = Request::OverrideSku {
            sku: "S9".into(),
            segment: "AX".into(),
            reason: "key account launch".into(),
        };
        run(&mut e, pin, None);
        let saved = e.snapshot("2026-11-22T01:00:00Z").expect("snapshot");
        let mut fresh = Engine::new(None);
        let mut sent = Vec::new();
        fresh.restore(saved, &mut |r| sent.push(r));
        assert_eq!(fresh.governance, e.governance);
        assert_eq!(fresh.governance.runs.len(), 2);
        assert_eq!(fresh.segment_of("S9").as_deref(), Some("AX"));
    }
}
