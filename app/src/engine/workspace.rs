//! The engine's whole state as a workspace file (`segscope_core::workspace`)
//! and back: [`Engine::snapshot`] for saving and exporting,
//! [`Engine::restore`] for a reload, a restarted worker and an import.
//!
//! Only what the user gave and chose is saved — the loaded files with
//! their mapping, the configuration, edited pools, the role, the runs,
//! overrides and audit trail — never
//! derived results: a restore parses and analyses the files again exactly
//! as if the user had loaded them, so the figures are the same.
//!
//! Files that were refused are not saved: they are an error shown once,
//! not work.

use super::{Engine, RawFile};
use crate::worker_api::{Request, Response};
use segscope_core::workspace::{self, Workspace, WorkspaceFile};
use segscope_core::{FileKind, InputRecord};

/// A piece of the workspace file ([`Engine::snapshot_pieces`]).
#[derive(Debug, PartialEq)]
pub enum Piece<'a> {
    /// Bytes in the engine's memory.
    Bytes(&'a [u8]),
    /// The file of this kind, as the engine's keeper holds it.
    Kept(FileKind),
}

impl Engine {
    /// The workspace as it stands: every loaded file with its mapping, the
    /// configuration, edited pools, role and governance record. `saved` is the time (RFC 3339)
    /// to record in it. `None` when a file's bytes cannot be read back from
    /// the keeper.
    pub fn snapshot(&self, saved: &str) -> Option<Workspace> {
        let mut workspace = self.snapshot_without_bytes(saved);
        for (file, (&kind, raw)) in workspace.files.iter_mut().zip(&self.raw) {
            let fetched = raw.fetched(kind, self.keeper.as_deref())?;
            file.bytes = fetched.here().unwrap_or_default().to_vec();
        }
        Some(workspace)
    }

    /// The workspace file in pieces: its header (magic, version, manifest)
    /// and each loaded file's bytes — borrowed, or the kind of a file the
    /// keeper holds — written one after the other they are
    /// [`workspace::encode`] of [`Engine::snapshot`], without a copy of a
    /// million order lines in the worker's memory (whose WebAssembly memory
    /// never shrinks). `None` when a kept file cannot be read to hash it.
    pub fn snapshot_pieces(&self, saved: &str) -> Option<(Vec<u8>, Vec<Piece<'_>>)> {
        let keeper = self.keeper.as_deref();
        let records: Option<Vec<InputRecord>> =
            self.raw.iter().map(|(&kind, raw)| raw.record(kind, keeper)).collect();
        let header = workspace::encode_header_of(&self.snapshot_without_bytes(saved), &records?);
        let pieces = self
            .raw
            .iter()
            .map(|(&kind, raw)| raw.here().map_or(Piece::Kept(kind), Piece::Bytes))
            .collect();
        Some((header, pieces))
    }

    /// [`Engine::snapshot`] with every file's bytes left empty.
    fn snapshot_without_bytes(&self, saved: &str) -> Workspace {
        let files = self
            .raw
            .iter()
            .map(|(&kind, raw)| WorkspaceFile {
                kind,
                name: raw.name.clone(),
                overrides: self.overrides(kind).clone(),
                bytes: Vec::new(),
            })
            .collect();
        Workspace {
            saved: saved.to_owned(),
            files,
            config: self.config.clone(),
            edited_pools: self.edited_pools.clone(),
            governance: self.governance.clone(),
            role: self.role,
        }
    }

    /// Whether nothing is loaded (a snapshot would hold no file).
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Replaces everything with `workspace`: the files are parsed with
    /// their saved mapping and analysed with the saved configuration, the
    /// edited pools go back over the file's, and the views are sent as
    /// after a load, ending with the workspace view. A saved file that no
    /// longer parses (a newer format rule) is shown as refused, like a file
    /// the user dropped.
    pub fn restore(&mut self, workspace: Workspace, emit: &mut dyn FnMut(Response)) {
        self.reset();
        self.config = workspace.config;
        self.role = workspace.role;
        // Runs and overrides come back before the analysis, which applies
        // the overrides and is not a new run when nothing changed.
        self.governance = workspace.governance;
        emit(Response::Restored { role: self.role });
        for file in workspace.files {
            let raw = RawFile::new(file.name, file.bytes);
            self.load(file.kind, raw, file.overrides, emit);
        }
        // Loading a cost-pools file drops edited pools, so they go back last.
        self.edited_pools = workspace.edited_pools;
        self.refresh(emit);
        emit(Response::Workspace(Box::new(self.view())));
    }

    /// Handles [`Request::ImportWorkspace`] (with the file's `bytes`) and
    /// [`Request::ClearWorkspace`]. An import that cannot be read is
    /// refused with core's message and changes nothing. Saving and
    /// exporting need the browser and are the worker binary's.
    pub(super) fn handle_workspace(
        &mut self,
        request: Request,
        bytes: Option<Vec<u8>>,
        emit: &mut dyn FnMut(Response),
    ) {
        match request {
            Request::ImportWorkspace { name } => {
                emit(super::progress(&format!("Opening {name}"), None));
                match workspace::decode(&bytes.unwrap_or_default()) {
                    Ok(w) => self.restore(w, emit),
                    Err(e) => {
                        emit(Response::WorkspaceRejected { message: format!("{name}: {e}") });
                        emit(Response::Workspace(Box::new(self.view())));
                    }
                }
            }
            Request::ClearWorkspace => {
                self.reset();
                emit(Response::Restored { role: self.role });
                emit(Response::Workspace(Box::new(self.view())));
            }
            _ => {}
        }
    }
}

/// Whether a request may change what a workspace holds, so the worker
/// saves after it. Questions about the current results do not; anything
/// not listed here is saved after, so a new kind of request is never lost.
pub fn changes_workspace(request: &Request) -> bool {
    !matches!(
        request,
        Request::Explain { .. }
            | Request::Stress
            | Request::WhatIf { .. }
            | Request::SkuDetail { .. }
            | Request::CustomerDetail { .. }
            | Request::CostWhatIf { .. }
            | Request::Dismiss { .. }
            | Request::ExportWorkspace
            | Request::ExportView
            | Request::Export { .. }
            | Request::SaveWorkspace { .. }
            | Request::ClearWorkspace
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::{SegmentSettings, SegmentsView, WorkspaceView};
    use segscope_core::roles::Role;
    use segscope_core::workspace::{decode, encode};
    use segscope_core::FileKind;

    const ODD_SKU: &str = "Order ID,Date,Teil,Qty,Sales\n\
                           1,2024-03-04,X,3,9.00\n\
                           2,2024-03-11,Y,1,2.00\n\
                           3,2024-03-18,X,2,6.00\n";

    fn run(e: &mut Engine, request: Request, bytes: Option<Vec<u8>>) -> Vec<Response> {
        let mut sent = Vec::new();
        e.handle(request, bytes, &mut |r| sent.push(r));
        sent
    }

    fn last_view(sent: &[Response]) -> &WorkspaceView {
        match sent.last() {
            Some(Response::Workspace(v)) => v,
            other => panic!("the last message is not a workspace view: {other:?}"),
        }
    }

    fn segments(sent: &[Response]) -> &SegmentsView {
        sent.iter()
            .rev()
            .find_map(|r| match r {
                Response::Segments(v) => Some(v.as_ref()),
                _ => None,
            })
            .expect("a segments view")
    }

    /// Orders needing a mapping override, a changed cut and the finance role.
    fn worked_on() -> (Engine, Vec<Response>) {
        let mut e = Engine::new(None);
        let load = Request::LoadFile { kind: FileKind::Orders, name: "odd.csv".into() };
        run(&mut e, load, Some(ODD_SKU.into()));
        let map = Request::SetMapping {
            kind: FileKind::Orders,
            file: "odd.csv".into(),
            field: "sku".into(),
            header: Some("Teil".into()),
        };
        run(&mut e, map, None);
        run(&mut e, Request::SetRole { role: Role::Finance }, None);
        let mut settings = SegmentSettings::of(&e.config);
        settings.a_cut = 0.6;
        let sent = run(&mut e, Request::Analyze { settings, rules: String::new() }, None);
        (e, sent)
    }

    #[test]
    fn the_pieces_written_one_after_another_are_the_snapshot_file() {
        let (mut e, _) = worked_on();
        let load = Request::LoadFile { kind: FileKind::Products, name: "p.csv".into() };
        run(&mut e, load, Some(b"sku,unit_cost\nX,2\n".to_vec()));
        let (header, contents) = e.snapshot_pieces("2026-11-22T01:00:00Z").expect("pieces");
        assert_eq!(contents.len(), 2);
        let bytes = |p: &Piece<'_>| match p {
            Piece::Bytes(b) => b.to_vec(),
            Piece::Kept(_) => panic!("no keeper"),
        };
        let joined = [vec![header], contents.iter().map(bytes).collect()].concat();
        assert_eq!(joined.concat(), encode(&e.snapshot("2026-11-22T01:00:00Z").expect("snapshot")));
    }

    #[test]
    fn a_restored_snapshot_gives_the_same_views() {
        let (e, sent) = worked_on();
        let bytes = encode(&e.snapshot("2026-11-22T01:00:00Z").expect("snapshot"));
        let mut fresh = Engine::new(None);
        let mut restored = Vec::new();
        fresh.restore(decode(&bytes).expect("decodes"), &mut |r| restored.push(r));
        // The restored engine counts its analyses from one again.
        let unnumbered = |v: &SegmentsView| SegmentsView { generation: 0, ..v.clone() };
        assert_eq!(unnumbered(segments(&restored)), unnumbered(segments(&sent)));
        assert_eq!(last_view(&restored), last_view(&sent));
        assert_eq!(fresh.config, e.config);
        assert_eq!(fresh.config.mapping.orders.get("sku").map(String::as_str), Some("Teil"));
        assert_eq!(fresh.role, Role::Finance);
        assert!(matches!(restored.first(), Some(Response::Restored { role: Role::Finance })));
    }

    #[test]
    fn edited_pools_survive_a_restore_over_the_files_pools() {
        let mut e = Engine::new(None);
        run(&mut e, Request::LoadDemo, None);
        let mut pools = e.loaded.as_ref().unwrap().dataset.cost_pools.clone();
        pools[0].annual_cost *= 2.0;
        run(&mut e, Request::SetPools { pools: pools.clone() }, None);
        let mut fresh = Engine::new(None);
        fresh.restore(e.snapshot("").expect("snapshot"), &mut |_| {});
        assert_eq!(fresh.edited_pools.as_ref(), Some(&pools));
        assert_eq!(fresh.loaded.as_ref().unwrap().dataset.cost_pools, pools);
        assert_eq!(fresh.raw.len(), 4);
    }

    #[test]
    fn a_foreign_import_is_refused_and_changes_nothing() {
        let (mut e, _) = worked_on();
        let before = e.snapshot("").expect("snapshot");
        let import = Request::ImportWorkspace { name: "book.xlsx".into() };
        let sent = run(&mut e, import, Some(b"PK\x03\x04rest".to_vec()));
        match &sent[1] {
            Response::WorkspaceRejected { message } => assert!(
                message.starts_with(
                    "book.xlsx: This is not a segscope workspace: it looks like a ZIP"
                ),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
        assert!(last_view(&sent).has_data());
        assert_eq!(e.snapshot("").expect("snapshot"), before);
    }

    #[test]
    fn an_import_replaces_everything() {
        let (e, _) = worked_on();
        let file = encode(&e.snapshot("").expect("snapshot"));
        let mut other = Engine::new(None);
        run(&mut other, Request::LoadDemo, None);
        let sent =
            run(&mut other, Request::ImportWorkspace { name: "w.segscope".into() }, Some(file));
        assert_eq!(last_view(&sent).files.len(), 1);
        assert_eq!(other.snapshot("").expect("snapshot"), e.snapshot("").expect("snapshot"));
    }

    #[test]
    fn clearing_forgets_everything() {
        let (mut e, _) = worked_on();
        let sent = run(&mut e, Request::ClearWorkspace, None);
        assert!(!last_view(&sent).has_data());
        assert!(e.is_empty());
        assert_eq!(e.config, segscope_core::Config::default());
        assert_eq!(e.role, Role::Consultant);
    }

    #[test]
    fn questions_are_not_saved_but_changes_are() {
        assert!(!changes_workspace(&Request::Explain { sku: "A".into() }));
        assert!(!changes_workspace(&Request::ExportWorkspace));
        assert!(changes_workspace(&Request::LoadDemo));
        assert!(changes_workspace(&Request::SetRole { role: Role::Sales }));
        assert!(changes_workspace(&Request::ImportWorkspace { name: "w".into() }));
    }
}
