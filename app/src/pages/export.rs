//! Export: results as files, made in the browser.

use super::planned::Planned;
use crate::state::Route;
use leptos::prelude::*;

/// The Export page.
#[component]
pub fn ExportPage() -> impl IntoView {
    view! {
        <Planned
            route=Route::Export
            purpose="Take the results away as files. They are written by this browser tab; \
                     nothing is uploaded."
            shows=&[
                "Per-SKU results (segment, policy, cost to serve) as CSV.",
                "Per-customer cost to serve and profitability as CSV.",
                "Everything in one XLSX workbook, one sheet per table.",
                "The configuration as JSON and a run record with the input files' \
                 hashes and the engine version, to repeat the run on the command line.",
            ]
        />
    }
}
