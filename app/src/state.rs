//! Page state: the current page, the engine's status and the latest views
//! from the worker. Results are never edited here — they are replaced by
//! the next view the worker sends.

use crate::worker_api::SaveStatus;
use crate::worker_api::{CostView, CostWhatIfView, CustomerDetailView, DashboardView};
use crate::worker_api::{
    ExplanationView, PoliciesView, Progress, Response, SegmentsView, SkuDetailView, StressView,
    WhatIfView, WorkspaceView,
};
use leptos::prelude::*;
use segscope_core::cost::PoolProblem;
use segscope_core::roles::Role;

/// A page of the workflow, addressed by the URL hash (`#/data`, …) so that
/// any static file server works and the back button moves between pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// Load and check the input files.
    Data,
    /// ABC/XYZ segmentation.
    Segments,
    /// Inventory policy per SKU and segment.
    Policies,
    /// Activity-based cost to serve.
    CostToServe,
    /// Role-based dashboards.
    Dashboards,
    /// Exports.
    Export,
    /// Run history, comparison of two runs, overrides and audit trail.
    History,
    /// The printable workshop report (reached from Export; not a step of
    /// the workflow, so not in [`Route::ALL`]).
    Report,
}

impl Route {
    /// Every page, in workflow order.
    pub const ALL: [Route; 7] = [
        Route::Data,
        Route::Segments,
        Route::Policies,
        Route::CostToServe,
        Route::Dashboards,
        Route::Export,
        Route::History,
    ];

    /// The URL hash of the page.
    pub fn hash(self) -> &'static str {
        match self {
            Route::Data => "#/data",
            Route::Segments => "#/segments",
            Route::Policies => "#/policies",
            Route::CostToServe => "#/cost",
            Route::Dashboards => "#/dashboards",
            Route::Export => "#/export",
            Route::History => "#/history",
            Route::Report => "#/report",
        }
    }

    /// The page for a URL hash; anything unknown is the Data page.
    pub fn from_hash(hash: &str) -> Route {
        // A query (`#/segments?settings=…`, see `share`) does not change
        // the page.
        let hash = crate::share::without_query(hash).trim_end_matches('/');
        Route::ALL
            .into_iter()
            .chain([Route::Report])
            .find(|r| r.hash() == hash)
            .unwrap_or(Route::Data)
    }

    /// The page's name in the navigation and its heading.
    pub fn title(self) -> &'static str {
        match self {
            Route::Data => "Data",
            Route::Segments => "Segments",
            Route::Policies => "Policies",
            Route::CostToServe => "Cost to serve",
            Route::Dashboards => "Dashboards",
            Route::Export => "Export",
            Route::History => "History",
            Route::Report => "Report",
        }
    }

    /// The page's name for a role: a role that does not see the cost to
    /// serve (`segscope_core::roles`) finds its customers there.
    pub fn title_for(self, role: Role) -> &'static str {
        let sees_cost = segscope_core::roles::can_see(
            role,
            segscope_core::roles::TableKind::Customers,
            "cost_to_serve",
        );
        match self {
            Route::CostToServe if !sees_cost => "Customers",
            _ => self.title(),
        }
    }
}

/// Whether the engine worker can take requests.
#[derive(Clone, Debug, PartialEq)]
pub enum EngineStatus {
    /// The worker is loading its WebAssembly.
    Starting,
    /// Ready; the engine version.
    Ready(String),
    /// The worker failed to start or stopped on a bug.
    Failed(String),
}

/// The page's reactive state, shared through context. Every field is a
/// signal handle, so the struct is `Copy`.
#[derive(Clone, Copy, Debug)]
pub struct AppState {
    /// The page shown.
    pub route: RwSignal<Route>,
    /// The engine worker's status.
    pub engine: RwSignal<EngineStatus>,
    /// Requests sent and not yet answered with a workspace view.
    pub pending: RwSignal<u32>,
    /// Requests answered so far (tests wait for this to move).
    pub answered: RwSignal<u32>,
    /// The latest progress report while a request is pending.
    pub progress: RwSignal<Option<Progress>>,
    /// The latest view of the loaded data.
    pub workspace: RwSignal<WorkspaceView>,
    /// A problem on the page's side (a file the browser could not read).
    pub page_error: RwSignal<Option<String>>,
    /// The segmentation of the latest analysis.
    pub segments: RwSignal<Option<SegmentsView>>,
    /// Whether a request under way may still change the segments: set when
    /// one is sent, cleared when its segments arrive — which the worker
    /// sends before the policy and cost stages run — or when every request
    /// is answered. The Segments page is busy only while this holds.
    pub segments_waiting: RwSignal<bool>,
    /// Why the last settings were refused (cleared by the next analysis).
    pub settings_error: RwSignal<Option<String>>,
    /// The explanation last asked for.
    pub explanation: RwSignal<Option<ExplanationView>>,
    /// The stress test last run.
    pub stress: RwSignal<Option<StressView>>,
    /// The inventory policies of the latest analysis (Policies page).
    pub policies: RwSignal<Option<PoliciesView>>,
    /// Why the last service levels or models were refused.
    pub policy_error: RwSignal<Option<String>>,
    /// The what-if last computed.
    pub what_if: RwSignal<Option<WhatIfView>>,
    /// The SKU view last asked for.
    pub sku_detail: RwSignal<Option<SkuDetailView>>,
    /// The cost to serve of the latest analysis (Cost to serve page).
    pub cost: RwSignal<Option<CostView>>,
    /// Why the last edited pools were refused, per pool and field.
    pub pool_problems: RwSignal<Vec<PoolProblem>>,
    /// The customer drill-down last asked for.
    pub customer_detail: RwSignal<Option<CustomerDetailView>>,
    /// The cost-to-serve what-if last run.
    pub cost_what_if: RwSignal<Option<CostWhatIfView>>,
    /// The workshop audience the results are shown to (the header's role
    /// switch); the worker builds its views for it.
    pub role: RwSignal<Role>,
    /// Where the browser's saved copy of the workspace stands.
    pub save_status: RwSignal<Option<SaveStatus>>,
    /// Why the last workspace file could not be imported.
    pub workspace_error: RwSignal<Option<String>>,
    /// The role's dashboard of the latest analysis (Dashboards page).
    pub dashboard: RwSignal<Option<DashboardView>>,
    /// The tables the role may export, the configuration and input hashes
    /// (Export page, report).
    pub export: RwSignal<Option<crate::worker_api::ExportView>>,
    /// Why the last export could not be written.
    pub export_error: RwSignal<Option<String>>,
    /// What became of the last shared settings: `Ok` applied, `Err` refused
    /// (core's message, naming the field).
    pub config_notice: RwSignal<Option<Result<String, String>>>,
    /// The run history, overrides and audit trail (History page).
    pub runs: RwSignal<Option<crate::worker_api::RunsView>>,
    /// The two runs last compared.
    pub comparison: RwSignal<Option<segscope_core::governance::Comparison>>,
    /// Why the last override, note or comparison was refused.
    pub governance_error: RwSignal<Option<String>>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

impl AppState {
    /// The state before the worker has answered.
    pub fn new() -> AppState {
        AppState {
            route: RwSignal::new(Route::Data),
            engine: RwSignal::new(EngineStatus::Starting),
            pending: RwSignal::new(0),
            answered: RwSignal::new(0),
            progress: RwSignal::new(None),
            workspace: RwSignal::new(WorkspaceView::default()),
            page_error: RwSignal::new(None),
            segments: RwSignal::new(None),
            segments_waiting: RwSignal::new(false),
            settings_error: RwSignal::new(None),
            explanation: RwSignal::new(None),
            stress: RwSignal::new(None),
            policies: RwSignal::new(None),
            policy_error: RwSignal::new(None),
            what_if: RwSignal::new(None),
            sku_detail: RwSignal::new(None),
            cost: RwSignal::new(None),
            pool_problems: RwSignal::new(Vec::new()),
            customer_detail: RwSignal::new(None),
            cost_what_if: RwSignal::new(None),
            role: RwSignal::new(Role::default()),
            save_status: RwSignal::new(None),
            workspace_error: RwSignal::new(None),
            dashboard: RwSignal::new(None),
            export: RwSignal::new(None),
            export_error: RwSignal::new(None),
            config_notice: RwSignal::new(None),
            runs: RwSignal::new(None),
            comparison: RwSignal::new(None),
            governance_error: RwSignal::new(None),
        }
    }

    /// Notes that the request under way got its final answer.
    fn finish(&self) {
        self.pending.update(|n| *n = n.saturating_sub(1));
        if self.pending.get_untracked() == 0 {
            self.progress.set(None);
            self.segments_waiting.set(false);
        }
        self.answered.update(|n| *n += 1);
    }

    /// Notes that a request was sent (or a file is being read for one).
    pub fn begin(&self, stage: impl Into<String>) {
        self.pending.update(|n| *n += 1);
        self.segments_waiting.set(true);
        self.progress.set(Some(Progress { stage: stage.into(), fraction: None }));
    }

    /// Notes that a request ended without reaching the worker.
    pub fn abandon(&self, why: String) {
        self.pending.update(|n| *n = n.saturating_sub(1));
        self.answered.update(|n| *n += 1);
        if self.pending.get_untracked() == 0 {
            self.progress.set(None);
            self.segments_waiting.set(false);
        }
        self.page_error.set(Some(why));
    }

    /// Applies a message from the worker.
    pub fn apply(&self, response: Response) {
        match response {
            Response::Ready { engine_version } => {
                self.engine.set(EngineStatus::Ready(engine_version))
            }
            Response::Progress(p) => {
                if self.pending.get_untracked() > 0 {
                    self.progress.set(Some(p));
                }
            }
            Response::Workspace(view) => {
                if !view.has_data() {
                    self.segments.set(None);
                    self.policies.set(None);
                    self.cost.set(None);
                    self.dashboard.set(None);
                }
                self.workspace.set(*view);
                self.finish();
            }
            // Slices are joined into their view by the client.
            Response::SkuRows(_) | Response::PolicyRows(_) => {}
            Response::Segments(view) => {
                // Explanations and stress results describe the previous
                // analysis; they are asked for again, not kept stale.
                self.explanation.set(None);
                self.stress.set(None);
                self.settings_error.set(None);
                self.segments.set(Some(*view));
                self.segments_waiting.set(false);
            }
            Response::SettingsRejected { message } => self.settings_error.set(Some(message)),
            Response::Explanation(view) => {
                self.explanation.set(Some(view));
                self.finish();
            }
            Response::Stress(view) => {
                self.stress.set(Some(view));
                self.finish();
            }
            Response::Policies(view) => {
                self.policy_error.set(None);
                self.policies.set(Some(*view));
            }
            Response::PolicyRejected { message } => self.policy_error.set(Some(message)),
            Response::WhatIf(view) => {
                self.what_if.set(Some(*view));
                self.finish();
            }
            Response::SkuDetail(view) => {
                self.sku_detail.set(Some(*view));
                self.finish();
            }
            Response::Cost(view) => {
                // Drill-downs and what-ifs describe the previous pools; the
                // page asks for them again.
                self.pool_problems.set(Vec::new());
                self.customer_detail.set(None);
                self.cost_what_if.set(None);
                self.cost.set(Some(*view));
            }
            Response::PoolsRejected { problems } => self.pool_problems.set(problems),
            Response::CustomerDetail(view) => {
                self.customer_detail.set(Some(*view));
                self.finish();
            }
            Response::CostWhatIf(view) => {
                self.cost_what_if.set(Some(*view));
                self.finish();
            }
            Response::Dashboard(view) => self.dashboard.set(Some(*view)),
            Response::Runs(view) => {
                // A comparison names runs by number; it stays until the
                // next one is asked for.
                self.runs.set(Some(*view));
            }
            Response::Comparison(c) => {
                self.governance_error.set(None);
                self.comparison.set(Some(*c));
                self.finish();
            }
            Response::GovernanceRejected { message } => self.governance_error.set(Some(message)),
            Response::Crashed { message } => {
                self.pending.set(0);
                self.progress.set(None);
                self.engine.set(EngineStatus::Failed(message));
            }
            Response::WorkspaceRejected { message } => self.workspace_error.set(Some(message)),
            // The client hands the file's bytes to the browser.
            Response::WorkspaceFile { .. } => self.finish(),
            Response::Restored { role } => {
                self.workspace_error.set(None);
                if self.role.get_untracked() != role {
                    self.role.set(role);
                }
            }
            Response::SaveStatus(status) => self.save_status.set(Some(status)),
            Response::Export(view) => {
                self.export.set(Some(*view));
                self.finish();
            }
            Response::ExportFile(_) => {
                self.export_error.set(None);
                self.finish();
            }
            Response::ExportFailed { message } => {
                self.export_error.set(Some(message));
                self.finish();
            }
            Response::ConfigApplied { source } => {
                let text = format!("The settings {} were applied.", source.label());
                self.config_notice.set(Some(Ok(text)));
            }
            Response::ConfigRejected { message, source } => {
                let text = format!("The settings {} were not applied: {message}", source.label());
                self.config_notice.set(Some(Err(text)));
            }
        }
    }

    /// Whether requests are under way.
    pub fn busy(&self) -> bool {
        self.pending.get() > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::Progress;

    #[test]
    fn hashes_round_trip_and_unknown_is_data() {
        for r in Route::ALL {
            assert_eq!(Route::from_hash(r.hash()), r);
        }
        assert_eq!(Route::from_hash("#/segments/"), Route::Segments);
        assert_eq!(Route::from_hash(""), Route::Data);
        assert_eq!(Route::from_hash("#/nowhere"), Route::Data);
        assert_eq!(Route::from_hash("#/segments?settings=e30"), Route::Segments);
        assert_eq!(Route::from_hash(Route::Report.hash()), Route::Report);
    }

    #[test]
    fn a_workspace_view_ends_the_pending_request() {
        let owner = Owner::new();
        owner.set();
        let s = AppState::new();
        s.begin("Reading orders.csv");
        s.apply(Response::Progress(Progress { stage: "Parsing".into(), fraction: Some(0.5) }));
        assert_eq!(s.progress.get_untracked().unwrap().fraction, Some(0.5));
        s.apply(Response::Workspace(Box::default()));
        assert_eq!(s.pending.get_untracked(), 0);
        assert_eq!(s.answered.get_untracked(), 1);
        assert_eq!(s.progress.get_untracked(), None);
    }

    #[test]
    fn progress_after_the_last_answer_is_ignored() {
        let owner = Owner::new();
        owner.set();
        let s = AppState::new();
        s.apply(Response::Progress(Progress { stage: "late".into(), fraction: None }));
        assert_eq!(s.progress.get_untracked(), None);
    }

    #[test]
    fn a_new_segmentation_drops_the_explanation_and_stress_result() {
        let owner = Owner::new();
        owner.set();
        let s = AppState::new();
        s.begin("Explaining");
        s.apply(Response::Explanation(ExplanationView {
            sku: "A".into(),
            segment: "AX".into(),
            lines: vec![],
            generation: 1,
        }));
        assert_eq!((s.pending.get_untracked(), s.answered.get_untracked()), (0, 1));
        s.apply(Response::SettingsRejected { message: "bad".into() });
        assert!(s.settings_error.get_untracked().is_some());
        s.apply(Response::Segments(Box::default()));
        assert!(s.explanation.get_untracked().is_none());
        assert!(s.settings_error.get_untracked().is_none());
        assert!(s.segments.get_untracked().is_some());
    }

    #[test]
    fn a_crash_clears_pending_work() {
        let owner = Owner::new();
        owner.set();
        let s = AppState::new();
        s.begin("x");
        s.apply(Response::Crashed { message: "boom".into() });
        assert_eq!(s.pending.get_untracked(), 0);
        assert_eq!(s.engine.get_untracked(), EngineStatus::Failed("boom".into()));
    }
}
