//! Exports and shared settings in the worker: the tables the role may take
//! away (core's one list, `segscope_core::export`), their CSV or XLSX
//! bytes, and a configuration applied from a settings file or a link.
//!
//! Every table is cut to the engine's role before it is written, so a file
//! made under a role holds exactly the columns that role sees.

use super::{progress, Engine};
use crate::worker_api::{
    ExportFileView, ExportFormat, ExportTableView, ExportView, Request, Response, SettingsSource,
};
use segscope_core::export::{self, ExportFile};
use segscope_core::roles::TableKind;
use segscope_core::tables::{CsvOptions, Table};
use segscope_core::{Config, ENGINE_VERSION};

/// The workbook's file name.
pub const WORKBOOK_NAME: &str = "segscope-results.xlsx";

impl Engine {
    /// Handles [`Request::ExportView`], [`Request::Export`] and
    /// [`Request::SetConfig`], each with its final answer; any other
    /// request is left alone.
    pub(super) fn handle_export(&mut self, request: Request, emit: &mut dyn FnMut(Response)) {
        match request {
            Request::ExportView => emit(Response::Export(Box::new(self.export_view()))),
            Request::Export { tables, format } => {
                emit(progress("Writing the files", None));
                emit(match self.export(&tables, format) {
                    Ok(file) => Response::ExportFile(ExportFileView {
                        name: file.name,
                        mime: file.mime.to_owned(),
                        bytes: file.bytes,
                    }),
                    Err(message) => Response::ExportFailed { message },
                });
            }
            Request::SetConfig { json, source } => {
                self.set_config(&json, source, emit);
                emit(Response::Workspace(Box::new(self.view())));
            }
            _ => {}
        }
    }

    /// The settings as shared: the configuration without the column
    /// mapping, which belongs to one export's headers (it stays with the
    /// workspace), never the data.
    pub fn shared_config(&self) -> Config {
        Config { mapping: Default::default(), ..self.config.clone() }
    }

    /// Every table the role may export, cut to its columns: core's one
    /// list of result tables (`segscope_core::export::EXPORTED`), then the
    /// governance tables (audit trail, run history). A new result table
    /// goes in core's list; a table kept outside the analysis joins here.
    /// `only` keeps just those kinds. Empty before data is loaded.
    fn role_tables(&self, only: Option<&[TableKind]>) -> Vec<(TableKind, Table)> {
        let (Some(loaded), Some(analysis)) = (&self.loaded, &self.analysis) else {
            return Vec::new();
        };
        let mut tables = export::tables_for_role(&loaded.dataset, analysis, self.role, only);
        let governance = self.governance.tables_for_role(self.role);
        tables.extend(governance.into_iter().filter(|(k, _)| only.is_none_or(|o| o.contains(k))));
        tables
    }

    fn export_view(&self) -> ExportView {
        let tables = self
            .role_tables(None)
            .into_iter()
            .map(|(kind, table)| ExportTableView {
                kind,
                title: kind.title().to_owned(),
                file: format!("{}.csv", kind.file_stem()),
                rows: table.rows.len(),
                columns: table.columns,
            })
            .collect();
        let inputs = self.input_records();
        ExportView {
            role: self.role,
            tables,
            config_json: self.shared_config().to_json(),
            inputs,
            engine_version: ENGINE_VERSION.to_owned(),
            generation: self.generation,
        }
    }

    /// The chosen tables as one file: a CSV of the first, or a workbook of
    /// all of them.
    fn export(&self, kinds: &[TableKind], format: ExportFormat) -> Result<ExportFile, String> {
        if self.analysis.is_none() {
            return Err("Load data first: there are no results to export.".into());
        }
        let tables = self.role_tables(Some(kinds));
        if tables.is_empty() {
            return Err(format!(
                "Choose at least one table the {} role may see.",
                self.role.label().to_lowercase()
            ));
        }
        match format {
            ExportFormat::Csv { delimiter, bom } => {
                let delimiter = match delimiter {
                    ';' => b';',
                    _ => b',',
                };
                let options = CsvOptions { delimiter, bom, neutralize_formulas: true };
                let (kind, table) = &tables[0];
                Ok(export::csv_file(*kind, table, &options))
            }
            ExportFormat::Xlsx => export::xlsx_file(WORKBOOK_NAME, &tables),
        }
    }

    /// Takes a shared configuration: parsed and checked by core (an unknown
    /// key or a value out of range is refused with core's message, which
    /// names it), the current column mapping kept, then the analysis runs
    /// again on the dataset in memory. Refused settings change nothing.
    fn set_config(&mut self, json: &str, source: SettingsSource, emit: &mut dyn FnMut(Response)) {
        let mut config = match Config::from_json(json, source.label()) {
            Ok(c) => c,
            Err(e) => {
                emit(Response::ConfigRejected { message: e.to_string(), source });
                return;
            }
        };
        config.mapping = self.config.mapping.clone();
        self.config = config;
        emit(Response::ConfigApplied { source });
        if self.loaded.is_some() {
            emit(progress("Recomputing with the shared settings", None));
            self.analyze(true, emit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_api::Request;
    use segscope_core::roles::Role;

    fn demo_engine() -> Engine {
        let mut engine = Engine::new(None);
        engine.handle(Request::LoadDemo, None, &mut |_| {});
        engine
    }

    fn answers(engine: &mut Engine, request: Request) -> Vec<Response> {
        let mut out = Vec::new();
        engine.handle(request, None, &mut |r| out.push(r));
        out
    }

    fn view(engine: &mut Engine) -> ExportView {
        answers(engine, Request::ExportView)
            .into_iter()
            .find_map(|r| match r {
                Response::Export(v) => Some(*v),
                _ => None,
            })
            .expect("an export view")
    }

    fn file(engine: &mut Engine, tables: Vec<TableKind>, format: ExportFormat) -> ExportFileView {
        answers(engine, Request::Export { tables, format })
            .into_iter()
            .find_map(|r| match r {
                Response::ExportFile(f) => Some(f),
                _ => None,
            })
            .expect("a file")
    }

    #[test]
    fn a_role_exports_exactly_the_columns_it_sees() {
        let mut engine = demo_engine();
        let all = view(&mut engine);
        assert_eq!(
            all.tables.len(),
            export::EXPORTED.len() + 2,
            "with the audit trail and run history"
        );
        assert_eq!(all.inputs.len(), 4);
        assert!(all.inputs.iter().all(|i| i.sha256.len() == 64));
        answers(&mut engine, Request::SetRole { role: Role::Sales });
        let sales = view(&mut engine);
        assert_eq!(sales.role, Role::Sales);
        assert!(sales.tables.iter().all(|t| t.kind != TableKind::Pools));
        let skus = sales.tables.iter().find(|t| t.kind == TableKind::Skus).unwrap();
        assert!(!skus.columns.iter().any(|c| c == "margin" || c == "unit_cost"));
        let csv = file(
            &mut engine,
            vec![TableKind::Skus],
            ExportFormat::Csv { delimiter: ';', bom: true },
        );
        assert_eq!(csv.name, "skus.csv");
        let text = String::from_utf8(csv.bytes[3..].to_vec()).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(';').collect();
        assert_eq!(header, skus.columns);
    }

    #[test]
    fn a_workbook_holds_the_chosen_tables() {
        let mut engine = demo_engine();
        let book = file(&mut engine, vec![TableKind::Tiers, TableKind::Skus], ExportFormat::Xlsx);
        assert_eq!(book.name, WORKBOOK_NAME);
        assert!(book.bytes.starts_with(b"PK\x03\x04"));
        // Sales may not see the pools: a workbook of only them is refused.
        answers(&mut engine, Request::SetRole { role: Role::Sales });
        let refused = answers(
            &mut engine,
            Request::Export { tables: vec![TableKind::Pools], format: ExportFormat::Xlsx },
        );
        assert!(refused.iter().any(|r| matches!(r, Response::ExportFailed { .. })));
    }

    #[test]
    fn shared_settings_apply_or_are_refused_by_field() {
        let mut engine = demo_engine();
        let mut config = engine.shared_config();
        config.abc.a_cut = 0.7;
        let applied = answers(
            &mut engine,
            Request::SetConfig { json: config.to_json(), source: SettingsSource::Link },
        );
        assert!(applied.iter().any(|r| matches!(r, Response::ConfigApplied { .. })));
        assert!(applied.iter().any(|r| matches!(r, Response::Segments(_))));
        assert_eq!(engine.shared_config().abc.a_cut, 0.7);
        let bad = r#"{"abc": {"a_cutt": 0.6}}"#;
        let refused = answers(
            &mut engine,
            Request::SetConfig { json: bad.into(), source: SettingsSource::File },
        );
        let message = refused
            .iter()
            .find_map(|r| match r {
                Response::ConfigRejected { message, .. } => Some(message.clone()),
                _ => None,
            })
            .expect("refused");
        assert!(message.contains("a_cutt") && message.contains("from the file"), "{message}");
        assert_eq!(engine.shared_config().abc.a_cut, 0.7);
        assert!(matches!(refused.last(), Some(Response::Workspace(_))));
    }
}
