//! The engine as the worker runs it: the loaded files, the last good parse
//! of each, and the views sent to the page.
//!
//! This is plain Rust with no browser types, so it is tested natively; the
//! worker binary only moves [`Request`]s in and [`Response`]s out. Every
//! number comes from `segscope-core`: the engine parses, joins and analyses
//! through it and only sums core's per-SKU figures into headline totals.
//!
//! Invariant: a file that cannot be parsed never replaces the file of its
//! kind that is loaded. It is kept aside as *rejected*, with its bytes, so
//! that a mapping override can still rescue it.
//!
//! Settings changes ([`Request::Analyze`]) recompute the analysis from the
//! joined dataset kept in memory: files are never parsed again for them.

mod cost;
mod dashboard;
mod export;
mod policies;
mod raw;
mod restrict;
mod runs;
mod segments;
mod warm;
mod workspace;

pub use raw::{Keeper, Source};
pub use warm::warm_up;
pub use workspace::{changes_workspace, Piece};

pub use runs::set_clock;

use crate::worker_api::{
    ExplanationView, FileView, Progress, RejectedView, Request, Response, SegmentSettings, SkuRow,
    StressView, Summary, WorkspaceView, KINDS,
};
use segscope_core::ingest::{
    self, CustomerTable, FileLayout, OrderTable, OrdersStream, Overrides, Parsed, ParsedInputs,
    ProductTable,
};
use segscope_core::policy::Detail;
use segscope_core::roles::Role;
use segscope_core::{analysis, cells};
use segscope_core::{
    Analysis, Config, ConfigError, CostPool, Date, FileKind, IngestError, InputFile, LoadOptions,
    Loaded, Rule,
};
use std::collections::BTreeMap;

/// How many SKUs the Data page lists.
const TOP_SKUS: usize = 10;

use raw::{read_whole, RawFile};
use std::rc::Rc;

/// A file that could not be loaded, kept so a mapping change can retry it.
#[derive(Clone, Debug)]
struct Rejected {
    raw: RawFile,
    overrides: Overrides,
    error: IngestError,
}

/// The last good parse of each kind.
#[derive(Default)]
struct Tables {
    orders: Option<Parsed<OrderTable>>,
    products: Option<Parsed<ProductTable>>,
    customers: Option<Parsed<CustomerTable>>,
    cost_pools: Option<Parsed<Vec<CostPool>>>,
}

/// A parse of any kind, before it is filed in [`Tables`]. Short-lived, so
/// the orders variant is not boxed.
#[allow(clippy::large_enum_variant)]
enum AnyParsed {
    Orders(Parsed<OrderTable>),
    Products(Parsed<ProductTable>),
    Customers(Parsed<CustomerTable>),
    CostPools(Parsed<Vec<CostPool>>),
}

/// The worker's state.
pub struct Engine {
    config: Config,
    options: LoadOptions,
    raw: BTreeMap<FileKind, RawFile>,
    tables: Tables,
    rejected: BTreeMap<FileKind, Rejected>,
    loaded: Option<Loaded>,
    /// The orders table of `tables.orders` and the rows of
    /// `tables.products` live in `loaded`'s dataset (moved there, not
    /// copied, and given back before the next join).
    lent: Option<ingest::MovedTables>,
    analysis: Option<Analysis>,
    /// Counts analyses, so that the page can tell a new one.
    generation: u64,
    /// Counts the Policies views sent (analyses and policy changes).
    revision: u64,
    /// Pools edited on the Cost to serve page, in place of the file's
    /// until a cost-pools file is loaded or removed.
    edited_pools: Option<Vec<CostPool>>,
    /// Counts the Cost to serve views sent (analyses and pool changes).
    cost_revision: u64,
    /// The audience the views are built for ([`Request::SetRole`]).
    role: Role,
    /// Runs, manual overrides and their audit trail (`engine::runs`).
    governance: segscope_core::governance::Governance,
    /// Holds the loaded files' bytes once parsed (see [`raw`]); without
    /// one they stay in `raw`.
    keeper: Option<Box<dyn Keeper>>,
    /// An analysis was sent whose run is not recorded yet. Recording it
    /// hashes the input files (most of a second for a million lines), so
    /// [`Engine::handle`] does it after the dashboard: every view is up
    /// before the History page's.
    run_due: bool,
    /// The file the user picked for the request being handled, read where
    /// it is ([`Engine::handle_picked`]).
    incoming: Option<Rc<dyn Source>>,
    /// That file fed into an orders stream as it was read
    /// ([`Engine::handle_streamed`]).
    fed: Option<OrdersStream>,
}

impl Engine {
    /// An engine with nothing loaded. `today` is the load day (the engine
    /// has no clock); dates after it are flagged.
    pub fn new(today: Option<Date>) -> Engine {
        Engine {
            config: Config::default(),
            options: LoadOptions { today, later_findings: true },
            raw: BTreeMap::new(),
            tables: Tables::default(),
            rejected: BTreeMap::new(),
            loaded: None,
            lent: None,
            analysis: None,
            generation: 0,
            revision: 0,
            edited_pools: None,
            cost_revision: 0,
            role: Role::default(),
            governance: Default::default(),
            keeper: None,
            run_due: false,
            incoming: None,
            fed: None,
        }
    }

    /// Hands each loaded file's bytes to `keeper` once parsed, from now on.
    pub fn set_keeper(&mut self, keeper: Box<dyn Keeper>) {
        self.keeper = Some(keeper);
    }

    /// Starts over with nothing loaded, keeping the day and the keeper
    /// (which forgets every file).
    fn reset(&mut self) {
        let mut keeper = self.keeper.take();
        if let Some(keeper) = keeper.as_deref_mut() {
            self.raw.keys().for_each(|&kind| keeper.forget(kind));
        }
        *self = Engine::new(self.options.today);
        self.keeper = keeper;
    }

    /// The name, size and SHA-256 of each file in use, for a run record;
    /// each file is hashed once. A file whose kept bytes cannot be read
    /// back is left out.
    fn input_records(&self) -> Vec<segscope_core::InputRecord> {
        let keeper = self.keeper.as_deref();
        self.raw
            .iter()
            .filter(|(&kind, _)| self.layout(kind).is_some())
            .filter_map(|(&kind, raw)| raw.record(kind, keeper))
            .collect()
    }

    /// `raw` as the loaded file of `kind`, its bytes given to the keeper.
    fn file_loaded(&mut self, kind: FileKind, raw: RawFile) {
        let raw = raw.keep_with(kind, self.keeper.as_deref_mut());
        self.raw.insert(kind, raw);
    }

    /// The audience the views are built for.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Handles one request like [`Engine::handle_request`], with every view
    /// built for the engine's role (`restrict::for_role`): figures the role
    /// may not see never leave the worker. [`Request::SetRole`] changes the
    /// role and sends the views of the current analysis again. Whenever
    /// results were sent, the role's dashboard follows them, then the run
    /// is recorded (the History page's view), before the workspace view
    /// that ends the request.
    pub fn handle(
        &mut self,
        request: Request,
        bytes: Option<Vec<u8>>,
        emit: &mut dyn FnMut(Response),
    ) {
        if let Request::SetRole { role } = request {
            self.role = role;
        }
        let role = self.role;
        let mut results_sent = false;
        let mut workspace = None;
        self.handle_request(request, bytes, &mut |response| match response {
            Response::Workspace(_) => {
                if let Some(earlier) = workspace.replace(response) {
                    emit(restrict::for_role(earlier, role));
                }
            }
            response => {
                results_sent |= matches!(
                    response,
                    Response::Segments(_) | Response::Policies(_) | Response::Cost(_)
                );
                emit(restrict::for_role(response, role));
            }
        });
        if results_sent {
            if let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) {
                let view = dashboard::view(&loaded.dataset, analysis, role, self.generation);
                emit(Response::Dashboard(Box::new(view)));
            }
        }
        self.record_due_run(&mut |response| emit(restrict::for_role(response, role)));
        if let Some(keeper) = self.keeper.as_deref_mut() {
            keeper.settle();
        }
        if let Some(workspace) = workspace {
            emit(restrict::for_role(workspace, role));
        }
    }

    /// Handles a [`Request::LoadFile`] like [`Engine::handle`], its file
    /// read from `source`, where the user picked it: an orders file is
    /// parsed as it streams in, so that its bytes are never all in the
    /// engine's memory (issue #7).
    pub fn handle_picked(
        &mut self,
        request: Request,
        source: Rc<dyn Source>,
        emit: &mut dyn FnMut(Response),
    ) {
        self.incoming = Some(source);
        self.handle(request, None, emit);
        self.incoming = None;
    }

    /// The stream a picked orders file named `name`, of `size` bytes, is
    /// fed into as the worker reads it (for [`Engine::handle_streamed`]),
    /// under the mapping the engine reads orders with.
    pub fn orders_stream(&self, name: &str, size: u64) -> OrdersStream {
        OrdersStream::new(name, size, self.overrides(FileKind::Orders))
    }

    /// The mapping the engine reads orders with (for a second worker
    /// that reads part of an orders file, `crate::halves`).
    pub fn orders_overrides(&self) -> &Overrides {
        self.overrides(FileKind::Orders)
    }

    /// Handles a [`Request::LoadFile`] of an orders file like
    /// [`Engine::handle_picked`], the file already fed into `fed` as the
    /// worker read it (`None` when it could not: the engine then reads it
    /// itself, or says why it cannot).
    pub fn handle_streamed(
        &mut self,
        request: Request,
        source: Rc<dyn Source>,
        fed: Option<OrdersStream>,
        emit: &mut dyn FnMut(Response),
    ) {
        self.fed = fed;
        self.handle_picked(request, source, emit);
        self.fed = None;
    }

    /// What takes the progress of reading the file `name` (the share read,
    /// 0..=1) and `emit`s it: at the first call, then at each whole
    /// percent reached, not at every call.
    pub fn reading<'a>(name: &str, emit: &'a mut dyn FnMut(Response)) -> impl FnMut(f64) + 'a {
        let stage = format!("Reading {name}");
        let mut shown = None;
        move |share: f64| {
            let percent = (share.clamp(0.0, 1.0) * 100.0) as u32;
            if shown.is_none_or(|shown| percent > shown) {
                shown = Some(percent);
                emit(progress(&stage, Some(share)));
            }
        }
    }

    /// Handles one request; `bytes` is the file content of a
    /// [`Request::LoadFile`]. Sends progress while it works and ends with
    /// one final answer: the explanation for [`Request::Explain`], the
    /// stress test for [`Request::Stress`], and the new [`WorkspaceView`]
    /// for every other request (preceded by the
    /// [`SegmentsView`](crate::worker_api::SegmentsView) when the
    /// analysis was recomputed).
    fn handle_request(
        &mut self,
        request: Request,
        bytes: Option<Vec<u8>>,
        emit: &mut dyn FnMut(Response),
    ) {
        match request {
            Request::LoadFile { kind, name } => {
                let raw = match (bytes, self.incoming.take()) {
                    (None, Some(source)) => RawFile::picked(name, source),
                    (bytes, _) => RawFile::new(name, bytes.unwrap_or_default()),
                };
                let overrides = self.overrides(kind).clone();
                self.load(kind, raw, overrides, emit);
            }
            Request::LoadDemo => {
                emit(progress("Generating the demo data", None));
                for (kind, name, bytes) in generated_files(&segscope_gen::Params::demo()) {
                    let raw = RawFile::new(name.into(), bytes);
                    self.load(kind, raw, Overrides::new(), emit);
                }
            }
            Request::SetMapping { kind, file, field, header } => {
                self.set_mapping(kind, &file, field, header, emit);
            }
            Request::RemoveFile { kind } => {
                if kind != FileKind::Orders {
                    if self.raw.remove(&kind).is_some() {
                        if let Some(keeper) = self.keeper.as_deref_mut() {
                            keeper.forget(kind);
                        }
                    }
                    self.rejected.remove(&kind);
                    self.store(None, kind);
                    self.overrides_mut(kind).clear();
                }
            }
            Request::Dismiss { kind } => {
                self.rejected.remove(&kind);
                emit(Response::Workspace(Box::new(self.view())));
                return;
            }
            Request::Analyze { settings, rules } => {
                self.reconfigure(&settings, &rules, emit);
                emit(Response::Workspace(Box::new(self.view())));
                return;
            }
            Request::Explain { sku } => {
                let view = match (&self.loaded, &self.analysis) {
                    (Some(l), Some(a)) => {
                        segments::explanation(&l.dataset, a, &sku, self.generation)
                    }
                    _ => ExplanationView {
                        sku,
                        segment: String::new(),
                        lines: Vec::new(),
                        generation: self.generation,
                    },
                };
                emit(Response::Explanation(view));
                return;
            }
            request @ (Request::SetPolicy { .. }
            | Request::WhatIf { .. }
            | Request::SkuDetail { .. }) => {
                self.handle_policy(request, emit);
                return;
            }
            request @ (Request::SetPools { .. }
            | Request::CustomerDetail { .. }
            | Request::CostWhatIf { .. }) => {
                self.handle_cost(request, emit);
                return;
            }
            request @ (Request::Runs
            | Request::SetRunNote { .. }
            | Request::CompareRuns { .. }
            | Request::OverrideSku { .. }
            | Request::RemoveOverride { .. }) => {
                self.handle_runs(request, emit);
                return;
            }
            request @ (Request::ImportWorkspace { .. } | Request::ClearWorkspace) => {
                self.handle_workspace(request, bytes, emit);
                return;
            }
            // Saving and exporting need the browser: the worker binary
            // answers them with a snapshot.
            Request::ExportWorkspace | Request::SaveWorkspace { .. } => return,
            request
            @ (Request::ExportView | Request::Export { .. } | Request::SetConfig { .. }) => {
                self.handle_export(request, emit);
                return;
            }
            Request::SetRole { role } => {
                self.role = role;
                self.send_segments(emit);
                emit(Response::Workspace(Box::new(self.view())));
                return;
            }
            Request::Stress => {
                emit(progress("Stress-testing the segmentation (5 scenarios)", None));
                let view = match (&self.loaded, &self.analysis) {
                    (Some(l), Some(a)) => segments::stress(&l.dataset, a, self.generation),
                    _ => StressView {
                        scenarios: Vec::new(),
                        summary: "Load data first.".into(),
                        generation: self.generation,
                    },
                };
                emit(Response::Stress(view));
                return;
            }
        }
        self.refresh(emit);
        emit(Response::Workspace(Box::new(self.view())));
    }

    /// Takes new settings: the page's fields and the rules from their JSON
    /// text, over the rest of the configuration; checked by core, then the
    /// analysis is run again on the dataset in memory. Refused settings
    /// change nothing.
    fn reconfigure(
        &mut self,
        settings: &SegmentSettings,
        rules: &str,
        emit: &mut dyn FnMut(Response),
    ) {
        let mut config = self.config.clone();
        settings.apply_to(&mut config);
        let checked = parse_rules(rules).and_then(|r| {
            config.rules = r;
            config.validate().map(|()| config)
        });
        // Loaded order cells fix the bucket (see `cells::check_bucket`).
        let checked = checked.and_then(|config| match &self.loaded {
            Some(l) => {
                let name = self.tables.orders.as_ref().map_or("", |p| p.layout.name.as_str());
                cells::check_bucket(&l.dataset.lines, &config, name).map(|()| config)
            }
            None => Ok(config),
        });
        match checked {
            Ok(config) => self.config = config,
            Err(message) => {
                emit(Response::SettingsRejected { message });
                return;
            }
        }
        if self.loaded.is_some() {
            emit(progress("Recomputing the segmentation", None));
            self.analyze(true, emit);
        }
    }

    /// Analyses the loaded dataset with the settings and overrides and sends
    /// the views: the Segments view as soon as the SKUs are classified, so
    /// that the Segments page shows them while the policy, forecast and
    /// cost stages run, then the others. With `reuse` (the dataset is the
    /// one of the analysis in memory) the new analysis takes over what the
    /// settings change leaves valid — demand series, clusters, unchanged
    /// SKUs' policies (`analysis::segment`); the results are the same.
    fn analyze(&mut self, reuse: bool, emit: &mut dyn FnMut(Response)) {
        let prior = self.analysis.take().filter(|_| reuse);
        let Some(loaded) = &self.loaded else { return };
        let data = &loaded.dataset;
        let config = self.governance.apply(&self.config);
        let segmented = analysis::segment(data, &config, None, prior, &mut |_| {});
        self.generation += 1;
        let view = segments::view(data, &segmented.segments(), self.generation);
        emit(Response::Segments(Box::new(view)));
        emit(progress("Computing policies, forecasts and cost to serve", None));
        // The slow movers' informational bootstrap, most of the policy
        // stage, is added afterwards a slice at a time (`add_policy_detail`).
        self.analysis = Some(segmented.complete(data, Detail::PolicyOnly, &mut |_| {}));
        self.send_policies(emit);
        self.send_cost(emit);
        self.run_due = true;
    }

    /// Counts a new analysis and sends its Segments view.
    fn send_segments(&mut self, emit: &mut dyn FnMut(Response)) {
        if let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) {
            self.generation += 1;
            let view = segments::view(&loaded.dataset, &analysis.segments(), self.generation);
            emit(Response::Segments(Box::new(view)));
            self.send_policies(emit);
            self.send_cost(emit);
            self.run_due = true;
        }
    }

    /// Parses `raw` as a file of `kind`. On success it replaces the loaded
    /// file of that kind; on failure it is kept aside as rejected and the
    /// loaded file stays.
    fn load(
        &mut self,
        kind: FileKind,
        raw: RawFile,
        overrides: Overrides,
        emit: &mut dyn FnMut(Response),
    ) {
        let fed = self.fed.take().filter(|_| kind == FileKind::Orders);
        let mut result = self.parse(kind, &raw, &overrides, fed, emit);
        let mut used = overrides;
        // A saved mapping may name headers this file does not have (a
        // different export); then the file is read with automatic mapping.
        if matches!(result, Err(IngestError::BadOverride { .. })) && !used.is_empty() {
            used.clear();
            result = self.parse(kind, &raw, &used, None, emit);
        }
        match result {
            Ok(parsed) => {
                self.store(Some(parsed), kind);
                self.file_loaded(kind, raw);
                self.rejected.remove(&kind);
                *self.overrides_mut(kind) = used;
            }
            Err(error) => {
                // Kept aside with its bytes, to be parsed again.
                let raw = raw.read_here();
                self.rejected.insert(kind, Rejected { raw, overrides: used, error });
            }
        }
    }

    /// Changes one field's mapping of the rejected or the loaded file named
    /// `file` and parses it again.
    fn set_mapping(
        &mut self,
        kind: FileKind,
        file: &str,
        field: String,
        header: Option<String>,
        emit: &mut dyn FnMut(Response),
    ) {
        let (raw, mut overrides) = match (self.rejected.get(&kind), self.raw.get(&kind)) {
            (Some(r), _) if r.raw.name == file => (&r.raw, r.overrides.clone()),
            (_, Some(raw)) if raw.name == file => (raw, self.overrides(kind).clone()),
            // The file was replaced meanwhile: nothing to remap.
            _ => return,
        };
        // A file the browser could not read stays refused as it was: no
        // mapping can help, only picking it again.
        if raw.is_unread() {
            return;
        }
        // Parsed again from its bytes, read back from the keeper if need be.
        let raw = match raw.fetched(kind, self.keeper.as_deref()) {
            Some(raw) => raw,
            None => {
                let error = IngestError::Unreadable {
                    file: file.to_owned(),
                    line: 1,
                    message: "the browser could not read this file again from where it keeps \
                              it; load the file again, then change its mapping"
                        .into(),
                };
                let raw = raw.clone();
                self.rejected.insert(kind, Rejected { raw, overrides, error });
                return;
            }
        };
        match header {
            Some(h) => overrides.insert(field, h),
            None => overrides.remove(&field),
        };
        let result = self.parse(kind, &raw, &overrides, None, emit);
        match result {
            Ok(parsed) => {
                self.store(Some(parsed), kind);
                self.file_loaded(kind, raw);
                self.rejected.remove(&kind);
                *self.overrides_mut(kind) = overrides;
            }
            Err(error) => {
                self.rejected.insert(kind, Rejected { raw, overrides, error });
            }
        }
    }

    fn parse(
        &self,
        kind: FileKind,
        raw: &RawFile,
        overrides: &Overrides,
        fed: Option<OrdersStream>,
        emit: &mut dyn FnMut(Response),
    ) -> Result<AnyParsed, IngestError> {
        let mut on_progress = Engine::reading(&raw.name, emit);
        // A file fed as it was read has shown its progress already.
        if fed.is_none() {
            on_progress(0.0);
        }
        // A picked orders file as it streams in, unless it is to be read whole.
        if let (Some(source), FileKind::Orders) = (raw.source(), kind) {
            if let Some(parsed) =
                parse_streamed(&raw.name, source, overrides, &self.options, fed, &mut on_progress)
            {
                let parsed = parsed?;
                on_progress(1.0);
                return Ok(AnyParsed::Orders(parsed));
            }
        }
        // `load` and `set_mapping` parse files whose bytes are here, or
        // were picked.
        let read;
        let bytes = match (raw.here(), raw.source()) {
            (Some(bytes), _) => bytes,
            (None, Some(source)) => {
                read = read_whole(source).map_err(|why| unread_error(&raw.name, &why))?;
                &read
            }
            (None, None) => &[],
        };
        let file = InputFile { name: &raw.name, bytes };
        let options = &self.options;
        let parsed = match kind {
            // Order cells (the SQL of `sql/`) come through the orders zone;
            // their header tells them apart. A saved orders mapping names
            // headers cells lack: `load` then reads them with the synonyms.
            FileKind::Orders | FileKind::Cells if ingest::looks_like_cells(file.bytes) => {
                let parsed = ingest::parse_cells(file, overrides, options)?;
                // Cells by week cannot be read by month: refused, with what to do.
                cells::check_bucket(&parsed.table.lines, &self.config, &raw.name).map_err(
                    |message| IngestError::Unreadable { file: raw.name.clone(), line: 1, message },
                )?;
                AnyParsed::Orders(parsed)
            }
            FileKind::Orders | FileKind::Cells => {
                AnyParsed::Orders(ingest::parse_orders(file, overrides, options, &mut on_progress)?)
            }
            FileKind::Products => {
                AnyParsed::Products(ingest::parse_products(file, overrides, options)?)
            }
            FileKind::Customers => {
                AnyParsed::Customers(ingest::parse_customers(file, overrides, options)?)
            }
            FileKind::CostPools => {
                AnyParsed::CostPools(ingest::parse_cost_pools(file, overrides, options)?)
            }
        };
        on_progress(1.0);
        Ok(parsed)
    }

    /// Files a parse (or clears the slot of `kind` with `None`).
    fn store(&mut self, parsed: Option<AnyParsed>, kind: FileKind) {
        // A new (or no) cost-pools file replaces pools edited on the page.
        if kind == FileKind::CostPools {
            self.edited_pools = None;
        }
        // The dataset holds the table or rows of the file replaced here.
        if let Some(lent) = &mut self.lent {
            match kind {
                FileKind::Orders | FileKind::Cells => lent.forget_orders(),
                FileKind::Products => lent.forget_products(),
                FileKind::Customers | FileKind::CostPools => {}
            }
        }
        let t = &mut self.tables;
        match (parsed, kind) {
            (Some(AnyParsed::Orders(p)), _) => t.orders = Some(p),
            (Some(AnyParsed::Products(p)), _) => t.products = Some(p),
            (Some(AnyParsed::Customers(p)), _) => t.customers = Some(p),
            (Some(AnyParsed::CostPools(p)), _) => t.cost_pools = Some(p),
            (None, FileKind::Orders | FileKind::Cells) => t.orders = None,
            (None, FileKind::Products) => t.products = None,
            (None, FileKind::Customers) => t.customers = None,
            (None, FileKind::CostPools) => t.cost_pools = None,
        }
    }

    fn overrides(&self, kind: FileKind) -> &Overrides {
        let m = &self.config.mapping;
        match kind {
            FileKind::Orders | FileKind::Cells => &m.orders,
            FileKind::Products => &m.products,
            FileKind::Customers => &m.customers,
            FileKind::CostPools => &m.cost_pools,
        }
    }

    fn overrides_mut(&mut self, kind: FileKind) -> &mut Overrides {
        let m = &mut self.config.mapping;
        match kind {
            FileKind::Orders | FileKind::Cells => &mut m.orders,
            FileKind::Products => &mut m.products,
            FileKind::Customers => &mut m.customers,
            FileKind::CostPools => &mut m.cost_pools,
        }
    }

    /// Joins the loaded tables and runs the analysis, when there are orders.
    fn refresh(&mut self, emit: &mut dyn FnMut(Response)) {
        // What the last join moved into its dataset comes back first, also
        // when there are no orders to join now.
        let previous = self.loaded.take();
        if let (Some(lent), Some(previous)) = (self.lent.take(), previous) {
            let t = &mut self.tables;
            ingest::give_back(t.orders.as_mut(), t.products.as_mut(), previous.dataset, lent);
        }
        let Some(orders) = self.tables.orders.take() else {
            self.analysis = None;
            return;
        };
        emit(progress("Joining the files", None));
        // The tables move into a `ParsedInputs` and back rather than being
        // copied; the orders table moves on into the dataset, from where
        // the next join takes it back.
        let mut inputs = ParsedInputs {
            orders,
            products: self.tables.products.take(),
            customers: self.tables.customers.take(),
            cost_pools: self.tables.cost_pools.take(),
        };
        let (mut loaded, lent) = ingest::assemble_moving(&mut inputs, &self.options);
        self.lent = Some(lent);
        self.apply_edited_pools(&mut loaded.dataset);
        self.tables = Tables {
            orders: Some(inputs.orders),
            products: inputs.products,
            customers: inputs.customers,
            cost_pools: inputs.cost_pools,
        };
        emit(progress("Computing demand series", None));
        self.loaded = Some(loaded);
        self.analyze(false, emit);
        // The findings the join left for later (`LoadOptions::later_findings`):
        // after the views, before the workspace view shows the report.
        if let Some(loaded) = &mut self.loaded {
            ingest::later_findings(loaded);
        }
    }

    /// The view of everything loaded, for the page.
    pub fn view(&self) -> WorkspaceView {
        let files = KINDS
            .iter()
            .filter_map(|&kind| {
                let layout = self.layout(kind)?;
                let size = self.raw.get(&kind).map_or(0, RawFile::size);
                Some(FileView { size, layout: layout.clone() })
            })
            .collect();
        let rejected = self
            .rejected
            .iter()
            .map(|(&kind, r)| RejectedView {
                kind,
                name: r.raw.name.clone(),
                error: r.error.clone(),
            })
            .collect();
        let mut view = WorkspaceView { files, rejected, ..WorkspaceView::default() };
        if let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) {
            let mut report = loaded.report.clone();
            report.merge(analysis.report.clone());
            view.summary = summary(loaded, analysis);
            view.top_skus = top_skus(loaded, analysis, TOP_SKUS);
            view.report = report;
        } else {
            // Without orders there is no join; show each file's own findings.
            let t = &self.tables;
            for r in [
                t.products.as_ref().map(|p| &p.report),
                t.customers.as_ref().map(|p| &p.report),
                t.cost_pools.as_ref().map(|p| &p.report),
            ]
            .into_iter()
            .flatten()
            {
                view.report.merge(r.clone());
            }
        }
        view
    }

    fn layout(&self, kind: FileKind) -> Option<&FileLayout> {
        let t = &self.tables;
        match kind {
            FileKind::Orders | FileKind::Cells => t.orders.as_ref().map(|p| &p.layout),
            FileKind::Products => t.products.as_ref().map(|p| &p.layout),
            FileKind::Customers => t.customers.as_ref().map(|p| &p.layout),
            FileKind::CostPools => t.cost_pools.as_ref().map(|p| &p.layout),
        }
    }
}

/// The rules of the settings form: a JSON array of core's rules, read by
/// core's own configuration parser (so unknown keys are named) with line
/// and column as in the text the user typed. Empty text means no rules.
fn parse_rules(text: &str) -> Result<Vec<segscope_core::classify::rules::Rule>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    // The text starts on the document's second line, so its line numbers
    // are the document's minus one and its columns are unchanged.
    let document = format!("{{\"rules\":\n{text}\n}}");
    match Config::from_json(&document, "rules") {
        Ok(config) => Ok(config.rules),
        Err(ConfigError::Syntax { message, line, column, .. }) => {
            // serde's message ends with its own position, in document lines.
            let message = match message.rfind(" at line ") {
                Some(at) => &message[..at],
                None => message.as_str(),
            };
            let line = line.saturating_sub(1).max(1);
            Err(format!("Rules, line {line}, column {column}: {message}"))
        }
        Err(ConfigError::Invalid { message, .. }) => Err(format!("Rules: {message}")),
    }
}

/// The four files of a generated data set, named `demo-*.csv`, orders first.
fn generated_files(params: &segscope_gen::Params) -> [(FileKind, &'static str, Vec<u8>); 4] {
    let files = segscope_gen::generate(params);
    [
        (FileKind::Orders, "demo-orders.csv", files.orders),
        (FileKind::Products, "demo-products.csv", files.products),
        (FileKind::Customers, "demo-customers.csv", files.customers),
        (FileKind::CostPools, "demo-cost-pools.csv", files.cost_pools),
    ]
}

/// The error for a file the user picked that the browser could not read
/// (`why`, in its words).
fn unread_error(name: &str, why: &str) -> IngestError {
    IngestError::Unreadable {
        file: name.to_owned(),
        line: 1,
        message: format!(
            "the browser could not read the file ({why}); if it changed on disk since you \
             picked it, pick or drop it again"
        ),
    }
}

/// Parses the orders file `name` as it streams in from `source`; `None`
/// when it is to be read whole (see [`OrdersStream`]) or could not be read.
fn parse_streamed(
    name: &str,
    source: &dyn Source,
    overrides: &Overrides,
    options: &LoadOptions,
    fed: Option<OrdersStream>,
    progress: &mut dyn FnMut(f64),
) -> Option<Result<Parsed<OrderTable>, IngestError>> {
    let stream = match fed {
        Some(stream) => stream,
        None => {
            let mut stream = OrdersStream::new(name, source.size(), overrides);
            source.read(&mut |chunk| stream.feed(chunk, progress)).ok()?;
            stream
        }
    };
    stream.finish(&mut |start, end| source.read_range(start, end), options, progress)
}

fn progress(stage: &str, fraction: Option<f64>) -> Response {
    Response::Progress(Progress { stage: stage.to_owned(), fraction })
}

/// Headline figures: counts from the dataset, money and units summed from
/// core's per-SKU figures. `None` when no line survived the load.
fn summary(loaded: &Loaded, analysis: &Analysis) -> Option<Summary> {
    let lines = &loaded.dataset.lines;
    let first_date = *lines.date.iter().min()?;
    let last_date = *lines.date.iter().max()?;
    let mut on_lines = vec![false; loaded.dataset.customers.len()];
    for &c in &lines.customer {
        on_lines[c as usize] = true;
    }
    let skus = &analysis.demand.skus;
    // Order cells count the lines and orders they stand for.
    let orders = match lines.has_cells() {
        true => (0..lines.len()).filter_map(|i| lines.cell_orders(i)).sum::<u64>() as usize,
        false => distinct(&lines.order),
    };
    Some(Summary {
        lines: (0..lines.len()).map(|i| lines.line_count(i)).sum::<u64>() as usize,
        skus: skus.len(),
        customers: on_lines.iter().filter(|&&b| b).count(),
        orders,
        first_date,
        last_date,
        weeks: ((last_date.week_start().0 - first_date.week_start().0) / 7 + 1) as usize,
        revenue: skus.iter().map(|s| s.revenue).sum(),
        margin: skus.iter().map(|s| s.margin).sum(),
        quantity: skus.iter().map(|s| s.quantity).sum(),
        return_lines: loaded.report.count(Rule::Return),
    })
}

fn distinct(ids: &[u32]) -> usize {
    let mut seen = vec![false; ids.iter().copied().max().map_or(0, |m| m as usize + 1)];
    ids.iter().for_each(|&i| seen[i as usize] = true);
    seen.iter().filter(|&&b| b).count()
}

/// The `n` SKUs with the highest net revenue (ties by code).
fn top_skus(loaded: &Loaded, analysis: &Analysis, n: usize) -> Vec<SkuRow> {
    let codes = &loaded.dataset.skus;
    let mut rows: Vec<SkuRow> = analysis
        .demand
        .skus
        .iter()
        .map(|s| SkuRow {
            sku: codes.name(s.sku).to_owned(),
            revenue: s.revenue,
            margin: s.margin,
            quantity: s.quantity,
            order_lines: s.order_lines,
        })
        .collect();
    rows.sort_by(|a, b| b.revenue.total_cmp(&a.revenue).then_with(|| a.sku.cmp(&b.sku)));
    rows.truncate(n);
    rows
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::worker_api::SegmentsView;

    const GOOD: &str = "Order ID,Date,SKU,Qty,Sales,Customer\n\
                        1,2024-03-04,A,2,20.00,C1\n\
                        1,2024-03-04,B,1,5.50,C1\n\
                        2,2024-03-12,A,-1,-10.00,C2\n";
    const NO_SKU: &str = "Order ID,Date,Qty,Sales\n1,2024-03-04,2,20.00\n";
    const ODD_SKU: &str = "Order ID,Date,Teil,Qty,Sales\n1,2024-03-04,X,3,9.00\n";

    /// Runs a request and returns everything the engine sent.
    fn run(engine: &mut Engine, request: Request, bytes: Option<&str>) -> Vec<Response> {
        let mut sent = Vec::new();
        engine.handle(request, bytes.map(|b| b.as_bytes().to_vec()), &mut |r| sent.push(r));
        sent
    }

    fn load(engine: &mut Engine, name: &str, text: &str) -> WorkspaceView {
        let request = Request::LoadFile { kind: FileKind::Orders, name: name.into() };
        last_view(run(engine, request, Some(text)))
    }

    fn last_view(sent: Vec<Response>) -> WorkspaceView {
        match sent.into_iter().last() {
            Some(Response::Workspace(view)) => *view,
            other => panic!("the last message is not a workspace view: {other:?}"),
        }
    }

    #[test]
    fn an_orders_file_gives_a_summary_from_core_figures() {
        let mut e = Engine::new(None);
        let view = load(&mut e, "o.csv", GOOD);
        let s = view.summary.expect("summary");
        assert_eq!((s.lines, s.orders, s.skus, s.customers), (3, 2, 2, 2));
        assert!((s.revenue - 15.5).abs() < 1e-9, "{}", s.revenue);
        assert_eq!(s.quantity, 3.0);
        assert_eq!(s.return_lines, 1);
        assert_eq!(s.first_date.to_string(), "2024-03-04");
        assert_eq!(s.weeks, 2);
        assert_eq!(view.files.len(), 1);
        assert_eq!(view.top_skus[0].sku, "A", "A nets 10.00 after its return, B 5.50");
    }

    #[test]
    fn the_report_holds_the_findings_left_for_after_the_views() {
        // Quantity outliers (SKU A's usual line of 2, then 90) and SKU codes
        // differing by case: the report of a load that adds them at once.
        let mut text = String::from("order_id,order_date,sku,quantity,unit_price,customer_id\n");
        for i in 1..=8 {
            text.push_str(&format!("O{i},2024-03-0{i},A,2,1.5,C1\n"));
        }
        text.push_str("O9,2024-03-09,A,90,1.5,C1\nO10,2024-03-09,a,1,1.5,C2\n");
        let mut e = Engine::new(None);
        let view = load(&mut e, "o.csv", &text);
        let file = segscope_core::ingest::InputFile { name: "o.csv", bytes: text.as_bytes() };
        let mapping = segscope_core::config::MappingConfig::default();
        let core = ingest::load(file, None, None, None, &mapping, &LoadOptions::default()).unwrap();
        // The analysis adds notes of its own.
        assert_eq!(view.report.findings, core.report.findings);
        assert_eq!(view.report.count(Rule::QuantityOutlier), 1);
        assert_eq!(view.report.count(Rule::CaseVariantCodes), 1);
    }

    #[test]
    fn every_request_ends_with_one_workspace_view() {
        let mut e = Engine::new(None);
        let sent = run(&mut e, Request::Dismiss { kind: FileKind::Orders }, None);
        assert_eq!(sent.iter().filter(|r| matches!(r, Response::Workspace(_))).count(), 1);
        let request = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        let sent = run(&mut e, request, Some(GOOD));
        assert_eq!(sent.iter().filter(|r| matches!(r, Response::Workspace(_))).count(), 1);
        assert!(sent.iter().any(|r| matches!(r, Response::Progress(_))));
    }

    #[test]
    fn a_refused_file_leaves_the_earlier_one_loaded() {
        let mut e = Engine::new(None);
        load(&mut e, "good.csv", GOOD);
        let view = load(&mut e, "bad.csv", NO_SKU);
        assert_eq!(view.summary.as_ref().map(|s| s.lines), Some(3));
        assert_eq!(view.file(FileKind::Orders).unwrap().layout.name, "good.csv");
        assert_eq!(view.rejected.len(), 1);
        match &view.rejected[0].error {
            IngestError::MissingField { field, file, .. } => {
                assert_eq!((field.as_str(), file.as_str()), ("sku", "bad.csv"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mapping_the_missing_field_rescues_a_refused_file() {
        let mut e = Engine::new(None);
        load(&mut e, "odd.csv", ODD_SKU);
        let request = Request::SetMapping {
            kind: FileKind::Orders,
            file: "odd.csv".into(),
            field: "sku".into(),
            header: Some("Teil".into()),
        };
        let view = last_view(run(&mut e, request, None));
        assert!(view.rejected.is_empty());
        assert_eq!(view.summary.map(|s| s.skus), Some(1));
        let sku = &view.files[0].layout.fields.iter().find(|f| f.field == "sku").unwrap();
        assert_eq!(sku.header.as_deref(), Some("Teil"));
        assert_eq!(e.config.mapping.orders.get("sku").map(String::as_str), Some("Teil"));
    }

    #[test]
    fn a_saved_mapping_the_next_file_cannot_use_falls_back_to_automatic() {
        let mut e = Engine::new(None);
        load(&mut e, "odd.csv", ODD_SKU);
        let request = Request::SetMapping {
            kind: FileKind::Orders,
            file: "odd.csv".into(),
            field: "sku".into(),
            header: Some("Teil".into()),
        };
        run(&mut e, request, None);
        let view = load(&mut e, "good.csv", GOOD);
        assert!(view.rejected.is_empty(), "{:?}", view.rejected);
        assert_eq!(view.summary.map(|s| s.lines), Some(3));
        assert!(e.config.mapping.orders.is_empty());
    }

    #[test]
    fn a_mapping_for_a_file_no_longer_loaded_is_ignored() {
        let mut e = Engine::new(None);
        load(&mut e, "good.csv", GOOD);
        let request = Request::SetMapping {
            kind: FileKind::Orders,
            file: "gone.csv".into(),
            field: "sku".into(),
            header: Some("Customer".into()),
        };
        let view = last_view(run(&mut e, request, None));
        assert_eq!(view.summary.map(|s| s.skus), Some(2));
    }

    #[test]
    fn removing_an_optional_file_forgets_it_but_orders_stay() {
        let mut e = Engine::new(None);
        load(&mut e, "good.csv", GOOD);
        let products = "SKU,Unit Cost\nA,4\nB,2\n";
        let request = Request::LoadFile { kind: FileKind::Products, name: "p.csv".into() };
        let view = last_view(run(&mut e, request, Some(products)));
        assert!(view.file(FileKind::Products).is_some());
        let view = last_view(run(&mut e, Request::RemoveFile { kind: FileKind::Products }, None));
        assert!(view.file(FileKind::Products).is_none());
        let view = last_view(run(&mut e, Request::RemoveFile { kind: FileKind::Orders }, None));
        assert!(view.file(FileKind::Orders).is_some(), "orders cannot be removed");
    }

    #[test]
    fn the_demo_loads_four_files_under_demo_names() {
        let mut e = Engine::new(None);
        let view = last_view(run(&mut e, Request::LoadDemo, None));
        let names: Vec<_> = view.files.iter().map(|f| f.layout.name.as_str()).collect();
        assert_eq!(
            names,
            ["demo-orders.csv", "demo-products.csv", "demo-customers.csv", "demo-cost-pools.csv"]
        );
        assert!(view.rejected.is_empty(), "{:?}", view.rejected);
        assert!(view.summary.unwrap().lines > 1000);
    }

    /// Ten SKUs with revenues 100, 90, …, 10 and steady weekly demand.
    pub(super) fn ten_skus() -> String {
        let mut text = String::from("Order ID,Date,SKU,Qty,Sales\n");
        for k in 0..10 {
            for week in 0..8 {
                let day = 1 + 7 * week;
                let (month, day) = if day > 31 { (2, day - 31) } else { (1, day) };
                text += &format!("{k}-{week},2024-{month:02}-{day:02},S{k},1,{}\n", 100 - 10 * k);
            }
        }
        text
    }

    fn segments(sent: &[Response]) -> Option<&SegmentsView> {
        sent.iter().rev().find_map(|r| match r {
            Response::Segments(v) => Some(v.as_ref()),
            _ => None,
        })
    }

    fn analyze_with(e: &mut Engine, a_cut: f64, rules: &str) -> Vec<Response> {
        let mut settings = SegmentSettings::of(&e.config);
        settings.a_cut = a_cut;
        run(e, Request::Analyze { settings, rules: rules.into() }, None)
    }

    #[test]
    fn the_matrix_counts_every_sku_once_and_shares_sum_to_one() {
        let mut e = Engine::new(None);
        let request = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        let sent = run(&mut e, request, Some(&ten_skus()));
        let view = segments(&sent).expect("a segments view");
        assert_eq!(view.matrix.iter().map(|c| c.skus).sum::<usize>(), 10);
        let shares: f64 = view.matrix.iter().map(|c| c.revenue_share).sum();
        assert!((shares - 1.0).abs() < 1e-9, "{shares}");
        // P = 0, .18, .35, .49, .62, .73, .82, … → 6 A, 3 B, 1 C; all X.
        let counts: Vec<usize> = ['A', 'B', 'C'].map(|a| view.cell(a, 'X').unwrap().skus).into();
        assert_eq!(counts, [6, 3, 1]);
        assert_eq!(&view.table.sku[0], "S0");
        assert_eq!(view.table.abc, "AAAAAABBBC");
        assert_eq!((view.pareto.a_skus, view.pareto.b_skus), (0.6, 0.9));
        assert_eq!(view.pareto.points.first(), Some(&(0.0, 0.0)));
        assert!((view.pareto.points.last().unwrap().1 - 1.0).abs() < 1e-12);
        assert_eq!(view.patterns.points.len(), 10);
        assert!(
            sent.iter().position(|r| matches!(r, Response::Segments(_)))
                < sent.iter().position(|r| matches!(r, Response::Workspace(_)))
        );
    }

    #[test]
    fn new_settings_recompute_from_memory_without_reading_the_file_again() {
        let mut e = Engine::new(None);
        load(&mut e, "o.csv", &ten_skus());
        let sent = analyze_with(&mut e, 0.6, "[]");
        let reread = sent
            .iter()
            .any(|r| matches!(r, Response::Progress(p) if p.stage.starts_with("Reading")));
        assert!(!reread, "{sent:?}");
        let view = segments(&sent).expect("a segments view");
        assert_eq!(view.table.abc, "AAAABBBBBC");
        assert_eq!(view.settings.a_cut, 0.6);
        assert!(matches!(sent.last(), Some(Response::Workspace(_))));
        // The settings stay for the next file.
        let sent = run(
            &mut e,
            Request::LoadFile { kind: FileKind::Orders, name: "p.csv".into() },
            Some(&ten_skus()),
        );
        assert_eq!(segments(&sent).unwrap().table.abc, "AAAABBBBBC");
    }

    #[test]
    fn the_products_moved_into_each_join_come_back_for_the_next() {
        // Each join moves the products file's rows into the dataset; a new
        // orders or customers file joins them again, a new products file
        // replaces them, a removed one takes them away.
        let p1 = "sku,description,unit_cost\nS1,First,2\nS4,Fourth,3\nGHOST,Never sold,1\n";
        let p2 = "sku,category,unit_cost\nS2,Mugs,9\nS3,Cups,4\n";
        let o2 = ten_skus().replace(",S9,", ",S1,");
        let customers = "customer_id,segment\nnobody,retail\n";
        let load = |e: &mut Engine, kind: FileKind, name: &str, text: &str| {
            run(e, Request::LoadFile { kind, name: name.into() }, Some(text));
        };
        let at_once = |files: &[(FileKind, &str, &str)]| {
            let mut e = Engine::new(None);
            for &(kind, name, text) in files {
                load(&mut e, kind, name, text);
            }
            e.loaded.expect("joined").dataset
        };
        let dataset = |e: &Engine| e.loaded.as_ref().expect("joined").dataset.clone();
        let mut e = Engine::new(None);
        load(&mut e, FileKind::Products, "p.csv", p1);
        load(&mut e, FileKind::Orders, "o.csv", &ten_skus());
        load(&mut e, FileKind::Orders, "o2.csv", &o2);
        let step = [(FileKind::Products, "p.csv", p1), (FileKind::Orders, "o2.csv", &o2)];
        assert_eq!(dataset(&e), at_once(&step), "other orders");
        assert_eq!(dataset(&e).products.len(), 3);
        load(&mut e, FileKind::Customers, "c.csv", customers);
        let mut files = step.to_vec();
        files.push((FileKind::Customers, "c.csv", customers));
        assert_eq!(dataset(&e), at_once(&files), "a customers file");
        load(&mut e, FileKind::Products, "p2.csv", p2);
        files[0] = (FileKind::Products, "p2.csv", p2);
        assert_eq!(dataset(&e), at_once(&files), "other products");
        run(&mut e, Request::RemoveFile { kind: FileKind::Products }, None);
        assert_eq!(dataset(&e), at_once(&files[1..]), "no products");
        load(&mut e, FileKind::Products, "p.csv", p1);
        load(&mut e, FileKind::Orders, "o.csv", &ten_skus());
        let last =
            [(FileKind::Products, "p.csv", p1), (FileKind::Orders, "o.csv", &ten_skus()), files[2]];
        assert_eq!(dataset(&e), at_once(&last), "the first products again");
    }

    #[test]
    fn joining_again_after_each_master_file_gives_what_one_join_gives() {
        // The orders table moves into the dataset and back at every join.
        let products = "sku,unit_cost\nS1,2\nS4,3\nGHOST,1\n";
        let customers = "customer_id,segment\nnobody,retail\n";
        let load = |e: &mut Engine, kind: FileKind, name: &str, text: &str| {
            let request = Request::LoadFile { kind, name: name.into() };
            run(e, request, Some(text))
        };
        let mut stepwise = Engine::new(None);
        load(&mut stepwise, FileKind::Orders, "o.csv", &ten_skus());
        load(&mut stepwise, FileKind::Products, "p.csv", "sku,unit_cost\nS2,9\n");
        load(&mut stepwise, FileKind::Customers, "c.csv", customers);
        let last = load(&mut stepwise, FileKind::Products, "p.csv", products);
        let mut at_once = Engine::new(None);
        load(&mut at_once, FileKind::Products, "p.csv", products);
        load(&mut at_once, FileKind::Customers, "c.csv", customers);
        let first = load(&mut at_once, FileKind::Orders, "o.csv", &ten_skus());
        let unnumbered = |v: &SegmentsView| SegmentsView { generation: 0, ..v.clone() };
        assert_eq!(unnumbered(segments(&last).unwrap()), unnumbered(segments(&first).unwrap()));
        assert_eq!(
            stepwise.loaded.as_ref().unwrap().dataset,
            at_once.loaded.as_ref().unwrap().dataset
        );
        assert_eq!(last_view(last).summary, last_view(first).summary);
    }

    #[test]
    fn the_segments_come_first_and_the_run_record_last() {
        // The segments before the policy and cost stages run; the run is
        // recorded (its inputs hashed) after every view, dashboard included.
        let mut e = Engine::new(None);
        let request = Request::LoadFile { kind: FileKind::Orders, name: "o.csv".into() };
        let on_load = run(&mut e, request, Some(&ten_skus()));
        let on_change = analyze_with(&mut e, 0.6, "[]");
        for (sent, runs) in [(on_load, 1), (on_change, 2)] {
            let at = |wanted: fn(&Response) -> bool| sent.iter().position(wanted);
            let segments = at(|r| matches!(r, Response::Segments(_))).expect("segments");
            let later = at(
                |r| matches!(r, Response::Progress(p) if p.stage.starts_with("Computing policies")),
            )
            .expect("progress of the later stages");
            let policies = at(|r| matches!(r, Response::Policies(_))).expect("policies");
            let cost = at(|r| matches!(r, Response::Cost(_))).expect("cost");
            let dashboard = at(|r| matches!(r, Response::Dashboard(_))).expect("dashboard");
            let history = at(|r| matches!(r, Response::Runs(_))).expect("runs");
            let workspace = at(|r| matches!(r, Response::Workspace(_))).expect("workspace");
            let order = [segments, later, policies, cost, dashboard, history, workspace];
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{sent:?}");
            let Some(Response::Runs(view)) = sent.get(history) else { unreachable!() };
            assert_eq!(view.runs.len(), runs);
        }
        // Asking for the history records nothing more.
        let sent = run(&mut e, Request::Runs, None);
        let views: Vec<_> = sent.iter().filter(|r| matches!(r, Response::Runs(_))).collect();
        assert!(matches!(views.as_slice(), [Response::Runs(v)] if v.runs.len() == 2), "{sent:?}");
    }

    #[test]
    fn refused_settings_say_why_and_keep_the_analysis() {
        let mut e = Engine::new(None);
        load(&mut e, "o.csv", &ten_skus());
        let rules = "[\n  {\"name\": \"x\", \"abc_at_lest\": \"A\"}\n]";
        let sent = analyze_with(&mut e, 0.6, rules);
        match &sent[0] {
            Response::SettingsRejected { message } => {
                assert!(message.starts_with("Rules, line 2"), "{message}");
                assert!(message.contains("abc_at_lest"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(segments(&sent).is_none());
        assert_eq!(e.config.abc.a_cut, 0.8);
        let sent = analyze_with(&mut e, 0.0, "");
        assert!(
            matches!(&sent[0], Response::SettingsRejected { message } if message.contains("a_cut"))
        );
        assert_eq!(e.analysis.as_ref().unwrap().config.abc.a_cut, 0.8);
    }

    #[test]
    fn rules_from_the_editor_change_classes_and_are_sent_back() {
        let mut e = Engine::new(None);
        load(&mut e, "o.csv", &ten_skus());
        let rules = r#"[{"name": "small", "when": {"max_revenue": 150}, "abc_at_least": "A"}]"#;
        let sent = analyze_with(&mut e, 0.8, rules);
        let view = segments(&sent).expect("a segments view");
        // Only S9 (8 lines × 10) has revenue ≤ 150.
        assert_eq!(view.table.abc, "AAAAAABBBA");
        assert!(view.rules_json.contains("\"small\""), "{}", view.rules_json);
    }

    #[test]
    fn an_explanation_names_the_cumulative_share_and_the_cut() {
        let mut e = Engine::new(None);
        load(&mut e, "o.csv", &ten_skus());
        let sent = run(&mut e, Request::Explain { sku: "S4".into() }, None);
        match sent.as_slice() {
            [Response::Explanation(x)] => {
                assert_eq!((x.sku.as_str(), x.segment.as_str()), ("S4", "AX"));
                assert_eq!(x.lines[0], "A: cumulative revenue share before it 61.8 % < 80.0 %");
            }
            other => panic!("{other:?}"),
        }
        let sent = run(&mut e, Request::Explain { sku: "nope".into() }, None);
        assert!(matches!(sent.as_slice(), [Response::Explanation(x)] if x.lines.is_empty()));
    }

    #[test]
    fn the_stress_test_runs_five_scenarios_with_a_summary() {
        let mut e = Engine::new(None);
        load(&mut e, "o.csv", &ten_skus());
        let sent = run(&mut e, Request::Stress, None);
        match sent.last() {
            Some(Response::Stress(s)) => {
                assert_eq!(s.scenarios.len(), 5);
                assert!(s.summary.starts_with("Across the 5 scenarios"), "{}", s.summary);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn order_cells_on_the_orders_zone_give_the_order_lines_summary() {
        let orders = "Order ID,Date,SKU,Qty,Sales,Customer\n1,2024-03-04,A,2,20.00,C1\n\
                      1,2024-03-04,B,1,5.50,C1\n2,2024-03-12,A,-1,-10.00,C2\n\
                      2,2024-03-12,B,3,16.50,C2\n";
        // The same lines as weekly cells, as sql/duckdb/order_cells.sql groups them.
        let cells = "bucket,bucket_start,sku,customer_id,lines,orders,order_share,quantity,\
                     revenue,value\nweek,2024-03-04,A,C1,1,1,0.5,2,20.00,20.00\n\
                     week,2024-03-04,B,C1,1,0,0.5,1,5.50,5.50\n\
                     week,2024-03-11,A,C2,1,0,0,-1,-10.00,0\n\
                     week,2024-03-11,B,C2,1,1,1,3,16.50,16.50\n";
        let direct = load(&mut Engine::new(None), "o.csv", orders).summary.expect("summary");
        let view = load(&mut Engine::new(None), "cells.csv", cells);
        assert_eq!(view.files[0].layout.kind, FileKind::Cells);
        let s = view.summary.expect("summary");
        let counts = |s: &Summary| (s.lines, s.orders, s.skus, s.customers, s.return_lines);
        assert_eq!(counts(&s), counts(&direct));
        assert_eq!((s.revenue, s.quantity), (direct.revenue, direct.quantity));
    }
}
