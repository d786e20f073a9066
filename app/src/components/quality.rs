//! The data-quality report (SPEC §6).

use crate::format;
use leptos::prelude::*;
use segscope_core::quality::{Finding, Note};
use segscope_core::DqReport;

/// The rule's identifier as in the configuration and exports.
fn rule_id(f: &Finding) -> String {
    serde_json::to_value(f.rule)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Rule, action and row count per finding, with the examples (file, line,
/// column, detail) behind a disclosure; then the notes on defaults applied.
#[component]
pub fn QualityReport(
    /// The report from the engine.
    report: DqReport,
) -> impl IntoView {
    let DqReport { findings, notes } = report;
    let table = if findings.is_empty() {
        view! { <p data-testid="dq-clean">"No rule found anything: every row was read as it is."</p> }
            .into_any()
    } else {
        let rows = findings.into_iter().map(|f| view! { <FindingRow finding=f /> }).collect_view();
        view! {
            <table class="findings">
                <thead>
                    <tr>
                        <th scope="col">"Rule"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col" class="num">"Rows"</th>
                        <th scope="col">"Examples"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let notes = (!notes.is_empty()).then(|| {
        view! {
            <h3>"Choices made for you"</h3>
            <ul class="notes" data-testid="dq-notes">
                {notes
                    .into_iter()
                    .map(|Note { file, message }| {
                        view! {
                            <li>
                                {file.map(|f| view! { <strong>{f}": "</strong> })}
                                {message}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section class="card quality" data-testid="quality">
            <h2>"Data quality"</h2>
            {table}
            {notes}
        </section>
    }
}

#[component]
fn FindingRow(finding: Finding) -> impl IntoView {
    let id = rule_id(&finding);
    let shown = finding.examples.len();
    let summary = if finding.count as usize > shown {
        format!("first {shown} of {}", format::count(finding.count as usize))
    } else {
        format!("{shown} example{}", if shown == 1 { "" } else { "s" })
    };
    let examples = finding
        .examples
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{e.file}</td>
                    <td class="num">{if e.line == 0 { String::new() } else { e.line.to_string() }}</td>
                    <td>{e.column.unwrap_or_default()}</td>
                    <td>{e.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <tr data-rule=id.clone()>
            <td>{finding.rule.describe()}</td>
            <td>{finding.action}</td>
            <td class="num" data-testid=format!("dq-count-{id}")>
                {format::count(finding.count as usize)}
            </td>
            <td>
                <details>
                    <summary>{summary}</summary>
                    <table class="examples">
                        <thead>
                            <tr>
                                <th scope="col">"File"</th>
                                <th scope="col" class="num">"Line"</th>
                                <th scope="col">"Column"</th>
                                <th scope="col">"Detail"</th>
                            </tr>
                        </thead>
                        <tbody>{examples}</tbody>
                    </table>
                </details>
            </td>
        </tr>
    }
}
