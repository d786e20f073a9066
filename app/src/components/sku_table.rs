//! The SKU table: every SKU's classes and figures, sortable by any column,
//! filtered by text or by a matrix cell, and virtualised — only the rows in
//! view (plus a few) are in the DOM, so 50,000 SKUs scroll smoothly.
//!
//! Rows are focusable; Enter (or a click) opens the SKU's explanation, the
//! arrow keys move between rows.

use crate::format;
use crate::state::AppState;
use crate::worker_api::{SkuColumns, PATTERNS};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use std::cmp::Ordering;
use wasm_bindgen::JsCast;

/// Row height in pixels (the stylesheet's `.sku-row` height).
pub const ROW_HEIGHT: f64 = 30.0;
/// Height of the scrolling viewport in pixels.
const VIEWPORT: f64 = 420.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 8;

/// A column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// Position in the ABC ranking.
    Rank,
    /// SKU code.
    Sku,
    /// Net revenue.
    Revenue,
    /// Share of the criterion.
    Share,
    /// Cumulative share before the SKU.
    Cumulative,
    /// ABC class.
    Abc,
    /// Coefficient of variation.
    Cv,
    /// XYZ class.
    Xyz,
    /// Average demand interval.
    Adi,
    /// CV² of demand sizes.
    Cv2,
    /// Demand pattern.
    Pattern,
    /// Segment label.
    Segment,
    /// Cluster.
    Cluster,
    /// Rule that changed the class.
    Rule,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 14] = [
        Column::Rank,
        Column::Sku,
        Column::Revenue,
        Column::Share,
        Column::Cumulative,
        Column::Abc,
        Column::Cv,
        Column::Xyz,
        Column::Adi,
        Column::Cv2,
        Column::Pattern,
        Column::Segment,
        Column::Cluster,
        Column::Rule,
    ];

    /// The header text.
    pub fn title(self) -> &'static str {
        match self {
            Column::Rank => "Rank",
            Column::Sku => "SKU",
            Column::Revenue => "Net revenue",
            Column::Share => "Share",
            Column::Cumulative => "Cum. before",
            Column::Abc => "ABC",
            Column::Cv => "cv",
            Column::Xyz => "XYZ",
            Column::Adi => "ADI",
            Column::Cv2 => "CV²",
            Column::Pattern => "Pattern",
            Column::Segment => "Segment",
            Column::Cluster => "Cluster",
            Column::Rule => "Rule",
        }
    }

    /// Whether the column holds numbers (right-aligned).
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Column::Rank
                | Column::Revenue
                | Column::Share
                | Column::Cumulative
                | Column::Cv
                | Column::Adi
                | Column::Cv2
        )
    }
}

/// Sort order: a column and whether it runs descending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// Largest first.
    pub descending: bool,
}

/// Compares optional numbers with missing values last.
fn cmp_opt(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The rows to show, as indices into the columns (which are in rank
/// order): those in the `cell` (if any) whose code, segment, pattern or
/// rule contains `text` (case-insensitive), sorted by `sort`, ties in
/// rank order.
pub fn visible_rows(
    t: &SkuColumns,
    cell: Option<(char, char)>,
    text: &str,
    sort: Sort,
) -> Vec<u32> {
    let needle = text.trim().to_lowercase();
    let abc = t.abc.as_bytes();
    let xyz = t.xyz.as_bytes();
    let mut rows: Vec<u32> = (0..t.sku.len())
        .filter(|&i| match cell {
            Some((a, x)) => abc.get(i) == Some(&(a as u8)) && xyz.get(i) == Some(&(x as u8)),
            None => true,
        })
        .filter(|&i| {
            needle.is_empty()
                || t.sku[i].to_lowercase().contains(&needle)
                || t.segment[i].to_lowercase() == needle
                || PATTERNS.get(t.pattern[i] as usize).is_some_and(|p| *p == needle)
                || t.rule[i].as_deref().is_some_and(|r| r.to_lowercase().contains(&needle))
        })
        .map(|i| i as u32)
        .collect();
    let key = |i: u32, j: u32| -> Ordering {
        let (i, j) = (i as usize, j as usize);
        match sort.column {
            Column::Rank => Ordering::Equal,
            Column::Sku => t.sku[i].cmp(&t.sku[j]),
            Column::Revenue => t.revenue[i].total_cmp(&t.revenue[j]),
            Column::Share => t.share[i].total_cmp(&t.share[j]),
            Column::Cumulative => cmp_opt(t.cumulative[i], t.cumulative[j]),
            Column::Abc => abc[i].cmp(&abc[j]),
            Column::Cv => cmp_opt(t.cv[i], t.cv[j]),
            Column::Xyz => xyz[i].cmp(&xyz[j]),
            Column::Adi => cmp_opt(t.adi[i], t.adi[j]),
            Column::Cv2 => cmp_opt(t.cv2[i], t.cv2[j]),
            Column::Pattern => PATTERNS[t.pattern[i] as usize % PATTERNS.len()]
                .cmp(PATTERNS[t.pattern[j] as usize % PATTERNS.len()]),
            Column::Segment => t.segment[i].cmp(&t.segment[j]),
            Column::Cluster => t.cluster[i].cmp(&t.cluster[j]),
            Column::Rule => t.rule[i].cmp(&t.rule[j]),
        }
    };
    // Ties are broken by rank, so the order is total and an unstable sort
    // gives the same result with less code.
    rows.sort_unstable_by(|&i, &j| {
        let order = key(i, j);
        let order = if sort.descending { order.reverse() } else { order };
        order.then(i.cmp(&j))
    });
    if sort.column == Column::Rank && sort.descending {
        rows.reverse();
    }
    rows
}

/// Keyboard handling shared by every virtualised table's rows: Enter or
/// Space opens the row, the arrow keys move focus to the row above or below.
pub fn row_keydown(ev: &KeyboardEvent, open: impl FnOnce()) {
    let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let sibling = match ev.key().as_str() {
        "Enter" | " " => {
            ev.prevent_default();
            open();
            None
        }
        "ArrowDown" => target.and_then(|t| t.next_element_sibling()),
        "ArrowUp" => target.and_then(|t| t.previous_element_sibling()),
        _ => None,
    };
    if let Some(next) = sibling.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = next.focus();
    }
}

/// The rows `[first, last)` of `total` to render for a scroll offset.
pub fn window(scroll_top: f64, total: usize) -> (usize, usize) {
    let first = ((scroll_top / ROW_HEIGHT).floor().max(0.0) as usize).saturating_sub(OVERSCAN);
    let shown = (VIEWPORT / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
    (first.min(total), (first + shown).min(total))
}

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".into(), |v| format::fixed(v, decimals))
}

/// The text of one cell.
fn cell_text(t: &SkuColumns, i: usize, column: Column, cluster_labels: &[String]) -> String {
    match column {
        Column::Rank => format::count(i + 1),
        Column::Sku => t.sku[i].to_owned(),
        Column::Revenue => format::money(t.revenue[i]),
        Column::Share => format!("{} %", format::fixed(t.share[i] * 100.0, 2)),
        Column::Cumulative => t.cumulative[i]
            .map_or_else(|| "–".into(), |p| format!("{} %", format::fixed(p * 100.0, 1))),
        Column::Abc => t.abc.get(i..i + 1).unwrap_or("?").to_owned(),
        Column::Cv => opt(t.cv[i], 3),
        Column::Xyz => t.xyz.get(i..i + 1).unwrap_or("?").to_owned(),
        Column::Adi => opt(t.adi[i], 2),
        Column::Cv2 => opt(t.cv2[i], 2),
        Column::Pattern => PATTERNS.get(t.pattern[i] as usize).copied().unwrap_or("").to_owned(),
        Column::Segment => t.segment[i].to_owned(),
        Column::Cluster => t.cluster[i]
            .map(|k| {
                cluster_labels
                    .get(k as usize)
                    .map_or_else(|| (k + 1).to_string(), |l| format!("{} {l}", k + 1))
            })
            .unwrap_or_default(),
        Column::Rule => t.rule[i].clone().unwrap_or_default(),
    }
}

/// The table. `cell` filters to a matrix cell; `selected` is the SKU whose
/// explanation is open; `open` is called with a SKU code to explain.
#[component]
pub fn SkuTable<F>(
    /// The matrix cell the table is filtered to.
    cell: RwSignal<Option<(char, char)>>,
    /// The SKU whose explanation is shown.
    selected: RwSignal<Option<String>>,
    /// Opens a SKU's explanation.
    open: F,
) -> impl IntoView
where
    F: Fn(String) + Copy + Send + Sync + 'static,
{
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { column: Column::Rank, descending: false });
    let scroll_top = RwSignal::new(0.0);
    let scroller = NodeRef::<leptos::html::Div>::new();
    // The cluster and rule columns only appear when they say something.
    let optional = Memo::new(move |_| {
        state.segments.with(|s| {
            s.as_ref().map_or((false, false), |s| {
                (s.clusters.is_some(), s.table.rule.iter().any(Option::is_some))
            })
        })
    });
    let columns = move || {
        let (clusters, rules) = optional.get();
        Column::ALL
            .into_iter()
            .filter(|&c| match c {
                Column::Cluster => clusters,
                Column::Rule => rules,
                _ => true,
            })
            .collect::<Vec<_>>()
    };
    let rows = Memo::new(move |_| {
        let (cell, sort) = (cell.get(), sort.get());
        text.with(|text| {
            state.segments.with(|s| {
                s.as_ref().map(|s| visible_rows(&s.table, cell, text, sort)).unwrap_or_default()
            })
        })
    });
    super::scroll::top_on_change(rows, scroller, scroll_top);
    let total = move || state.segments.with(|s| s.as_ref().map_or(0, |s| s.skus()));
    let to_come = move || state.segments.with(|s| s.as_ref().map_or(0, |s| s.rows_to_come()));
    let count = move || {
        let shown = rows.with(Vec::len);
        let all = total();
        let to_come = to_come();
        if to_come > 0 {
            format!("{} SKUs; the other {} are coming", format::count(all), format::count(to_come))
        } else if shown == all {
            format!("{} SKUs", format::count(all))
        } else {
            format!("Showing {} of {} SKUs", format::count(shown), format::count(all))
        }
    };
    let grid_columns = move || {
        let widths: Vec<&str> = columns()
            .iter()
            .map(|c| match c {
                Column::Rank => "4.2rem",
                Column::Sku => "minmax(8rem, 1.3fr)",
                Column::Revenue => "7rem",
                Column::Share => "4.6rem",
                Column::Cumulative => "6.6rem",
                Column::Abc | Column::Xyz => "2.8rem",
                Column::Cv | Column::Adi => "4rem",
                Column::Cv2 => "3.8rem",
                Column::Pattern => "5.8rem",
                Column::Segment => "4.8rem",
                Column::Cluster => "minmax(4rem, 1fr)",
                Column::Rule => "minmax(4rem, 1fr)",
            })
            .collect();
        format!("--columns: {}", widths.join(" "))
    };
    let header = move || {
        columns()
            .into_iter()
            .map(|c| {
                let aria_sort = move || {
                    let s = sort.get();
                    match (s.column == c, s.descending) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    }
                };
                let arrow = move || {
                    let s = sort.get();
                    match (s.column == c, s.descending) {
                        (false, _) => "",
                        (true, false) => " ▲",
                        (true, true) => " ▼",
                    }
                };
                let on_click = move |_| {
                    sort.update(|s| {
                        // Numbers read best largest first; text and ranks A → Z.
                        let first_descending = c.numeric() && c != Column::Rank;
                        *s = if s.column == c {
                            Sort { column: c, descending: !s.descending }
                        } else {
                            Sort { column: c, descending: first_descending }
                        };
                    })
                };
                view! {
                    <div role="columnheader" aria-sort=aria_sort class:num=c.numeric()>
                        <button class="sort" data-testid=format!("sort-{}", c.title()) on:click=on_click>
                            {c.title()}
                            <span aria-hidden="true">{arrow}</span>
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    // Rows are keyed by the analysis too: a new analysis redraws every row.
    let generation = move || state.segments.with(|s| s.as_ref().map_or(0, |s| s.generation));
    let visible = move || {
        let (first, last) = rows.with(|r| window(scroll_top.get(), r.len()));
        let generation = generation();
        rows.with(|r| {
            r[first..last]
                .iter()
                .enumerate()
                .map(|(k, &i)| (generation, first + k, i))
                .collect::<Vec<_>>()
        })
    };
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
        }
    };
    let row = move |(_, position, index): (u64, usize, u32)| {
        let i = index as usize;
        let cols = columns();
        let (code, cells) = state
            .segments
            .with_untracked(|s| {
                s.as_ref().map(|s| {
                    let labels: Vec<String> = s
                        .clusters
                        .as_ref()
                        .map(|c| c.clusters.iter().map(|k| k.label.clone()).collect())
                        .unwrap_or_default();
                    let cells: Vec<(Column, String)> =
                        cols.iter().map(|&c| (c, cell_text(&s.table, i, c, &labels))).collect();
                    (s.table.sku[i].to_owned(), cells)
                })
            })
            .unwrap_or_default();
        let is_selected = {
            let code = code.clone();
            move || selected.with(|s| s.as_deref() == Some(code.as_str()))
        };
        let on_click = {
            let code = code.clone();
            move |_| open(code.clone())
        };
        let on_key = {
            let code = code.clone();
            move |ev: KeyboardEvent| row_keydown(&ev, || open(code.clone()))
        };
        let top = format!("top: {}px", position as f64 * ROW_HEIGHT);
        view! {
            <div
                role="row"
                class="sku-row"
                class:selected=is_selected.clone()
                aria-selected=move || is_selected().to_string()
                aria-rowindex=position + 2
                tabindex="0"
                style=top
                data-testid=format!("sku-row-{code}")
                data-sku=code.clone()
                on:click=on_click
                on:keydown=on_key
            >
                {cells
                    .into_iter()
                    .map(|(c, text)| {
                        let title = text.clone();
                        view! { <div role="gridcell" class:num=c.numeric() data-col=c.title() title=title>{text}</div> }
                    })
                    .collect_view()}
            </div>
        }
    };
    let clear_cell = move |_| cell.set(None);
    view! {
        <div class="table-tools">
            <label class="filter">
                <span>"Filter SKUs"</span>
                <input
                    type="search"
                    placeholder="code, segment, pattern or rule"
                    data-testid="sku-filter"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </label>
            {move || cell.get().map(|(a, x)| view! {
                <span class="chip" data-testid="cell-filter">
                    {format!("Cell {a}{x} only")}
                    <button class="link" aria-label="Show all cells" on:click=clear_cell>"✕ show all"</button>
                </span>
            })}
            <span class="spacer"></span>
            <span class="help" data-testid="sku-count" aria-live="polite">{count}</span>
        </div>
        <div
            class="sku-grid"
            role="grid"
            aria-label="SKUs with their classes"
            aria-rowcount=move || rows.with(Vec::len) + 1
            data-testid="sku-table"
            style=grid_columns
        >
            <div role="row" class="sku-head" aria-rowindex="1">{header}</div>
            <div class="sku-scroll" node_ref=scroller on:scroll=on_scroll>
                <div class="sku-body" role="rowgroup" style=move || format!("height: {}px", rows.with(Vec::len) as f64 * ROW_HEIGHT)>
                    <For each=visible key=|key| *key children=row />
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> SkuColumns {
        SkuColumns {
            sku: ["B-2", "A-1", "C-3", "a-4"].into_iter().collect(),
            revenue: vec![90.0, 50.0, 10.0, -5.0],
            share: vec![0.6, 0.33, 0.07, 0.0],
            cumulative: vec![Some(0.0), Some(0.6), Some(0.93), None],
            abc: "AABC".into(),
            cv: vec![Some(0.2), None, Some(1.5), Some(0.7)],
            xyz: "XZZY".into(),
            adi: vec![Some(1.0), None, Some(3.0), Some(2.0)],
            cv2: vec![Some(0.1), None, Some(0.9), Some(0.2)],
            pattern: vec![0, 4, 3, 2],
            segment: ["AX", "AZ", "BZ", "CY"].into_iter().collect(),
            cluster: vec![None; 4],
            rule: vec![None, Some("strategic".into()), None, None],
        }
    }

    fn by(column: Column, descending: bool) -> Sort {
        Sort { column, descending }
    }

    #[test]
    fn filters_by_cell_and_text() {
        let t = table();
        let rank = by(Column::Rank, false);
        assert_eq!(visible_rows(&t, None, "", rank), [0, 1, 2, 3]);
        assert_eq!(visible_rows(&t, Some(('A', 'Z')), "", rank), [1]);
        assert_eq!(visible_rows(&t, Some(('C', 'X')), "", rank), Vec::<u32>::new());
        assert_eq!(visible_rows(&t, None, "a-", rank), [1, 3], "case-insensitive code");
        assert_eq!(visible_rows(&t, None, "bz", rank), [2], "segment");
        assert_eq!(visible_rows(&t, None, "lumpy", rank), [2], "pattern");
        assert_eq!(visible_rows(&t, None, "strat", rank), [1], "rule");
    }

    #[test]
    fn sorts_by_any_column_with_missing_values_last() {
        let t = table();
        assert_eq!(visible_rows(&t, None, "", by(Column::Rank, true)), [3, 2, 1, 0]);
        assert_eq!(visible_rows(&t, None, "", by(Column::Sku, false)), [1, 0, 2, 3]);
        assert_eq!(visible_rows(&t, None, "", by(Column::Revenue, false)), [3, 2, 1, 0]);
        assert_eq!(visible_rows(&t, None, "", by(Column::Cv, false)), [0, 3, 2, 1]);
        assert_eq!(visible_rows(&t, None, "", by(Column::Pattern, false)), [3, 2, 1, 0]);
        // Ties keep rank order: A, A, B, C.
        assert_eq!(visible_rows(&t, None, "", by(Column::Abc, false)), [0, 1, 2, 3]);
    }

    #[test]
    fn the_window_covers_the_viewport_with_overscan() {
        assert_eq!(window(0.0, 5), (0, 5));
        assert_eq!(window(0.0, 50_000), (0, 30));
        assert_eq!(window(30_000.0, 50_000), (992, 1022));
        assert_eq!(window(1e9, 50_000), (50_000, 50_000));
    }

    #[test]
    fn cells_format_missing_values_as_dashes() {
        let t = table();
        assert_eq!(cell_text(&t, 1, Column::Cv, &[]), "–");
        assert_eq!(cell_text(&t, 1, Column::Cumulative, &[]), "60.0 %");
        assert_eq!(cell_text(&t, 2, Column::Share, &[]), "7.00 %");
        assert_eq!(cell_text(&t, 0, Column::Rank, &[]), "1");
    }
}
