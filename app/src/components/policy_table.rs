//! The per-SKU policy table: every SKU's model, service level, safety stock
//! under both models, reorder point, order quantity, max, values, days of
//! supply, fill rate and stockouts; sortable by any column, filtered by
//! segment or text, and virtualised like the Segments page's SKU table
//! (the same row height, window and grid styles), so 50,000 SKUs scroll
//! smoothly.
//!
//! Rows are focusable; Enter (or a click) opens the SKU's view, the arrow
//! keys move between rows.

use super::policy_units::{pct, pct_opt, units, value_opt};
use super::sku_table::{row_keydown, window, ROW_HEIGHT};
use crate::format;
use crate::state::AppState;
use crate::worker_api::{model_label, PolicyColumns, MODELS, PATTERNS};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use std::cmp::Ordering;

/// A column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// SKU code.
    Sku,
    /// Segment label.
    Segment,
    /// The model in use.
    Model,
    /// Target cycle service level.
    ServiceLevel,
    /// Safety stock under the normal model.
    NormalSs,
    /// Safety stock under the empirical model.
    EmpiricalSs,
    /// Reorder point (the min).
    ReorderPoint,
    /// Order quantity.
    OrderQty,
    /// Max.
    Max,
    /// Safety stock value.
    SsValue,
    /// Average inventory value.
    InventoryValue,
    /// Days of supply.
    Days,
    /// Fill rate.
    FillRate,
    /// Stockouts per year.
    Stockouts,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 14] = [
        Column::Sku,
        Column::Segment,
        Column::Model,
        Column::ServiceLevel,
        Column::NormalSs,
        Column::EmpiricalSs,
        Column::ReorderPoint,
        Column::OrderQty,
        Column::Max,
        Column::SsValue,
        Column::InventoryValue,
        Column::Days,
        Column::FillRate,
        Column::Stockouts,
    ];

    /// The header: a short title and its unit.
    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Column::Sku => ("SKU", ""),
            Column::Segment => ("Seg.", ""),
            Column::Model => ("Model", ""),
            Column::ServiceLevel => ("CSL", "%"),
            Column::NormalSs => ("SS normal", "units"),
            Column::EmpiricalSs => ("SS empir.", "units"),
            Column::ReorderPoint => ("Min (ROP)", "units"),
            Column::OrderQty => ("Order qty", "units"),
            Column::Max => ("Max", "units"),
            Column::SsValue => ("SS value", "currency"),
            Column::InventoryValue => ("Inv. value", "avg, currency"),
            Column::Days => ("Supply", "days"),
            Column::FillRate => ("Fill rate", "%"),
            Column::Stockouts => ("Stockouts", "per year"),
        }
    }

    /// The columns `role` sees, in display order: stock values only for a
    /// role that sees them (`segscope_core::roles`).
    pub fn for_role(role: segscope_core::roles::Role) -> Vec<Column> {
        let values = segscope_core::roles::sees_stock_values(role);
        Column::ALL
            .into_iter()
            .filter(|c| values || !matches!(c, Column::SsValue | Column::InventoryValue))
            .collect()
    }

    /// The name tests and cells use (`data-col`).
    pub fn id(self) -> &'static str {
        match self {
            Column::Sku => "sku",
            Column::Segment => "segment",
            Column::Model => "model",
            Column::ServiceLevel => "service-level",
            Column::NormalSs => "normal-ss",
            Column::EmpiricalSs => "empirical-ss",
            Column::ReorderPoint => "reorder-point",
            Column::OrderQty => "order-qty",
            Column::Max => "max",
            Column::SsValue => "ss-value",
            Column::InventoryValue => "inventory-value",
            Column::Days => "days",
            Column::FillRate => "fill-rate",
            Column::Stockouts => "stockouts",
        }
    }

    /// Whether the column holds numbers (right-aligned, largest first).
    pub fn numeric(self) -> bool {
        !matches!(self, Column::Sku | Column::Segment | Column::Model)
    }

    /// The grid track width.
    fn width(self) -> &'static str {
        match self {
            Column::Sku => "minmax(5.4rem, 1fr)",
            Column::Segment => "2.8rem",
            Column::Model => "4.9rem",
            Column::ServiceLevel => "3.6rem",
            Column::NormalSs | Column::EmpiricalSs => "5rem",
            Column::ReorderPoint => "4.9rem",
            Column::OrderQty => "4.6rem",
            Column::Max => "4.2rem",
            Column::SsValue | Column::InventoryValue => "5.3rem",
            Column::Days => "3.5rem",
            Column::FillRate => "4.3rem",
            Column::Stockouts => "4.9rem",
        }
    }
}

/// Sort order: a column and whether it runs descending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The column; `None` keeps the ABC rank order.
    pub column: Option<Column>,
    /// Largest first.
    pub descending: bool,
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The rows to show, as indices into the columns (in rank order): those of
/// `segment` (all when empty) whose code contains `text` (case-insensitive)
/// or whose model or pattern is `text`, sorted by `sort`, ties in rank
/// order, missing values last.
pub fn visible_rows(t: &PolicyColumns, segment: &str, text: &str, sort: Sort) -> Vec<u32> {
    let needle = text.trim().to_lowercase();
    let model = |i: usize| MODELS.get(t.model[i] as usize).map_or("", |m| model_label(*m));
    let mut rows: Vec<u32> = (0..t.sku.len())
        .filter(|&i| segment.is_empty() || &t.segment[i] == segment)
        .filter(|&i| {
            needle.is_empty()
                || t.sku[i].to_lowercase().contains(&needle)
                || model(i) == needle
                || PATTERNS.get(t.pattern[i] as usize).is_some_and(|p| *p == needle)
        })
        .map(|i| i as u32)
        .collect();
    let Some(column) = sort.column else {
        if sort.descending {
            rows.reverse();
        }
        return rows;
    };
    let key = |i: usize, j: usize| -> Ordering {
        match column {
            Column::Sku => t.sku[i].cmp(&t.sku[j]),
            Column::Segment => t.segment[i].cmp(&t.segment[j]),
            Column::Model => model(i).cmp(model(j)),
            Column::ServiceLevel => t.service_level[i].total_cmp(&t.service_level[j]),
            Column::NormalSs => t.normal_safety_stock[i].total_cmp(&t.normal_safety_stock[j]),
            Column::EmpiricalSs => {
                cmp_opt(t.empirical_safety_stock[i], t.empirical_safety_stock[j])
            }
            Column::ReorderPoint => t.reorder_point[i].total_cmp(&t.reorder_point[j]),
            Column::OrderQty => cmp_opt(t.order_qty[i], t.order_qty[j]),
            Column::Max => cmp_opt(t.max[i], t.max[j]),
            Column::SsValue => cmp_opt(t.safety_stock_value[i], t.safety_stock_value[j]),
            Column::InventoryValue => cmp_opt(t.avg_inventory_value[i], t.avg_inventory_value[j]),
            Column::Days => cmp_opt(t.days_of_supply[i], t.days_of_supply[j]),
            Column::FillRate => cmp_opt(t.fill_rate[i], t.fill_rate[j]),
            Column::Stockouts => cmp_opt(t.stockouts_per_year[i], t.stockouts_per_year[j]),
        }
    };
    rows.sort_by(|&i, &j| {
        let (i, j) = (i as usize, j as usize);
        let order = key(i, j);
        // Missing values stay last either way.
        let missing = |k: usize| match column {
            Column::EmpiricalSs => t.empirical_safety_stock[k].is_none(),
            Column::OrderQty => t.order_qty[k].is_none(),
            Column::Max => t.max[k].is_none(),
            Column::SsValue => t.safety_stock_value[k].is_none(),
            Column::InventoryValue => t.avg_inventory_value[k].is_none(),
            Column::Days => t.days_of_supply[k].is_none(),
            Column::FillRate => t.fill_rate[k].is_none(),
            Column::Stockouts => t.stockouts_per_year[k].is_none(),
            _ => false,
        };
        let order = match (missing(i), missing(j)) {
            (false, false) if sort.descending => order.reverse(),
            _ => order,
        };
        order.then(i.cmp(&j))
    });
    rows
}

/// The text of one cell.
pub fn cell_text(t: &PolicyColumns, i: usize, column: Column) -> String {
    match column {
        Column::Sku => t.sku[i].to_owned(),
        Column::Segment => t.segment[i].to_owned(),
        Column::Model => {
            let m = MODELS.get(t.model[i] as usize).map_or("", |m| model_label(*m));
            if t.low_confidence[i] {
                format!("{m}*")
            } else {
                m.to_owned()
            }
        }
        Column::ServiceLevel => pct(t.service_level[i], 1),
        Column::NormalSs => units(Some(t.normal_safety_stock[i])),
        Column::EmpiricalSs => units(t.empirical_safety_stock[i]),
        Column::ReorderPoint => units(Some(t.reorder_point[i])),
        Column::OrderQty => units(t.order_qty[i]),
        Column::Max => units(t.max[i]),
        Column::SsValue => value_opt(t.safety_stock_value[i]),
        Column::InventoryValue => value_opt(t.avg_inventory_value[i]),
        Column::Days => t.days_of_supply[i].map_or_else(|| "–".into(), |d| format::fixed(d, 0)),
        Column::FillRate => pct_opt(t.fill_rate[i], 1),
        Column::Stockouts => {
            t.stockouts_per_year[i].map_or_else(|| "–".into(), |s| format::fixed(s, 2))
        }
    }
}

/// Whether a cell shows the figure of the model in use (the safety stock
/// column of the SKU's model).
fn in_use(t: &PolicyColumns, i: usize, column: Column) -> bool {
    let model = MODELS.get(t.model[i] as usize).copied().unwrap_or_default();
    match column {
        Column::NormalSs => model != segscope_core::policy::PolicyModel::Empirical,
        Column::EmpiricalSs => model == segscope_core::policy::PolicyModel::Empirical,
        _ => false,
    }
}

/// The table. `selected` is the SKU whose view is open; `open` is called
/// with a SKU code to open.
#[component]
pub fn PolicyTable<F>(
    /// The SKU whose view is shown.
    selected: RwSignal<Option<String>>,
    /// Opens a SKU's view.
    open: F,
) -> impl IntoView
where
    F: Fn(String) + Copy + Send + Sync + 'static,
{
    let state = expect_context::<AppState>();
    let segment = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { column: None, descending: false });
    let scroll_top = RwSignal::new(0.0);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let rows = Memo::new(move |_| {
        let sort = sort.get();
        segment.with(|segment| {
            text.with(|text| {
                state.policies.with(|p| {
                    p.as_ref()
                        .map(|p| visible_rows(&p.table, segment, text, sort))
                        .unwrap_or_default()
                })
            })
        })
    });
    super::scroll::top_on_change(rows, scroller, scroll_top);
    let total = move || state.policies.with(|p| p.as_ref().map_or(0, |p| p.skus()));
    let count = move || {
        let shown = rows.with(Vec::len);
        let all = total();
        if shown == all {
            format!("{} SKUs", format::count(all))
        } else {
            format!("Showing {} of {} SKUs", format::count(shown), format::count(all))
        }
    };
    // The role's columns; the page draws the table again for another role.
    let columns = Column::for_role(state.role.get_untracked());
    let shows_values = columns.contains(&Column::InventoryValue);
    let grid_columns = {
        let widths: Vec<&str> = columns.iter().map(|c| c.width()).collect();
        format!("--columns: {}", widths.join(" "))
    };
    let header = columns
        .iter()
        .copied()
        .map(|c| {
            let (title, unit) = c.title();
            let aria_sort = move || match sort.get() {
                Sort { column: Some(x), descending } if x == c => {
                    if descending {
                        "descending"
                    } else {
                        "ascending"
                    }
                }
                _ => "none",
            };
            let arrow = move || match sort.get() {
                Sort { column: Some(x), descending } if x == c => {
                    if descending {
                        " ▼"
                    } else {
                        " ▲"
                    }
                }
                _ => "",
            };
            let on_click = move |_| {
                sort.update(|s| {
                    *s = if s.column == Some(c) {
                        Sort { column: Some(c), descending: !s.descending }
                    } else {
                        Sort { column: Some(c), descending: c.numeric() }
                    };
                })
            };
            view! {
                <div role="columnheader" aria-sort=aria_sort class:num=c.numeric()>
                    <button class="sort two-line" data-testid=format!("policy-sort-{}", c.id()) on:click=on_click>
                        <span class="title">{title}<span aria-hidden="true">{arrow}</span></span>
                        <span class="unit">{unit}</span>
                    </button>
                </div>
            }
        })
        .collect_view();
    let visible = move || {
        let (first, last) = rows.with(|r| window(scroll_top.get(), r.len()));
        rows.with(|r| {
            r[first..last].iter().enumerate().map(|(k, &i)| (first + k, i)).collect::<Vec<_>>()
        })
    };
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
        }
    };
    let row = move |(position, index): (usize, u32)| {
        let i = index as usize;
        let (code, cells) = state
            .policies
            .with_untracked(|p| {
                p.as_ref().map(|p| {
                    let t = &p.table;
                    let cells: Vec<(Column, String, bool)> =
                        columns.iter().map(|&c| (c, cell_text(t, i, c), in_use(t, i, c))).collect();
                    (t.sku[i].to_owned(), cells)
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
                data-testid=format!("policy-row-{code}")
                data-sku=code.clone()
                on:click=on_click
                on:keydown=on_key
            >
                {cells
                    .into_iter()
                    .map(|(c, text, used)| view! {
                        <div role="gridcell" class:num=c.numeric() class:in-use=used data-col=c.id()>{text}</div>
                    })
                    .collect_view()}
            </div>
        }
    };
    let segment_options = move || {
        state.policies.with(|p| {
            p.as_ref().map(|p| {
                p.segments
                    .iter()
                    .map(|s| {
                        let label = s.summary.segment.clone();
                        let text = format!("{label} ({})", format::count(s.summary.skus));
                        // Options are rebuilt with every view: keep the chosen one.
                        let chosen = {
                            let label = label.clone();
                            move || segment.with(|x| *x == label)
                        };
                        view! { <option value=label prop:selected=chosen>{text}</option> }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="table-tools">
            <label class="filter">
                <span>"Segment"</span>
                <select data-testid="policy-segment-filter" on:change=move |ev| segment.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || segment.with(String::is_empty)>"all"</option>
                    {segment_options}
                </select>
            </label>
            <label class="filter">
                <span>"Filter SKUs"</span>
                <input
                    type="search"
                    placeholder="code, model or pattern"
                    data-testid="policy-filter"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </label>
            <span class="spacer"></span>
            <span class="help" data-testid="policy-count" aria-live="polite">{count}</span>
        </div>
        <div
            class="sku-grid policy-grid"
            role="grid"
            aria-label="Inventory policy per SKU"
            aria-rowcount=move || rows.with(Vec::len) + 1
            data-testid="policy-table"
            style=grid_columns
        >
            <div role="row" class="sku-head" aria-rowindex="1">{header}</div>
            <div class="sku-scroll" node_ref=scroller on:scroll=on_scroll>
                <div class="sku-body" role="rowgroup" style=move || format!("height: {}px", rows.with(Vec::len) as f64 * ROW_HEIGHT)>
                    <For each=visible key=|&(position, index)| (position, index) children=row />
                </div>
            </div>
        </div>
        <p class="help">
            "Safety stock (SS), reorder point (the min), order quantity (EOQ after MOQ and order \
             multiple) and max in units; "
            {shows_values.then_some("values in the currency of the unit costs; ")}
            "supply = days the average inventory lasts. The SS of the model in use is bold; * \
             marks SKUs with too little history, which borrow their category's variability."
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> PolicyColumns {
        PolicyColumns {
            sku: ["B-2", "A-1", "C-3"].into_iter().collect(),
            segment: ["AX", "AX", "CZ"].into_iter().collect(),
            pattern: vec![0, 0, 3],
            model: vec![0, 0, 1],
            service_level: vec![0.98, 0.98, 0.85],
            normal_safety_stock: vec![10.0, 5.0, 3.0],
            empirical_safety_stock: vec![None, None, Some(1.5)],
            reorder_point: vec![40.0, 20.0, 6.0],
            order_qty: vec![Some(100.0), None, Some(12.0)],
            max: vec![Some(140.0), None, Some(18.0)],
            safety_stock_value: vec![Some(50.0), Some(20.0), Some(4.5)],
            avg_inventory_value: vec![Some(300.0), None, Some(22.5)],
            days_of_supply: vec![Some(30.0), None, Some(60.0)],
            fill_rate: vec![Some(0.995), None, Some(0.9)],
            stockouts_per_year: vec![Some(0.1), None, Some(0.8)],
            low_confidence: vec![false, true, false],
        }
    }

    fn by(column: Column, descending: bool) -> Sort {
        Sort { column: Some(column), descending }
    }

    #[test]
    fn filters_by_segment_code_model_and_pattern() {
        let t = table();
        let rank = Sort { column: None, descending: false };
        assert_eq!(visible_rows(&t, "", "", rank), [0, 1, 2]);
        assert_eq!(visible_rows(&t, "CZ", "", rank), [2]);
        assert_eq!(visible_rows(&t, "", "a-", rank), [1]);
        assert_eq!(visible_rows(&t, "", "empirical", rank), [2]);
        assert_eq!(visible_rows(&t, "", "lumpy", rank), [2]);
    }

    #[test]
    fn sorts_keep_missing_values_last_both_ways() {
        let t = table();
        assert_eq!(visible_rows(&t, "", "", by(Column::OrderQty, true)), [0, 2, 1]);
        assert_eq!(visible_rows(&t, "", "", by(Column::OrderQty, false)), [2, 0, 1]);
        assert_eq!(visible_rows(&t, "", "", by(Column::Sku, false)), [1, 0, 2]);
        assert_eq!(visible_rows(&t, "", "", by(Column::NormalSs, true)), [0, 1, 2]);
    }

    #[test]
    fn cells_carry_units_and_mark_the_model_in_use() {
        let t = table();
        assert_eq!(cell_text(&t, 1, Column::Model), "normal*");
        assert_eq!(cell_text(&t, 2, Column::Model), "empirical");
        assert_eq!(cell_text(&t, 0, Column::ServiceLevel), "98.0 %");
        assert_eq!(cell_text(&t, 1, Column::OrderQty), "–");
        assert_eq!(cell_text(&t, 2, Column::EmpiricalSs), "1.5");
        assert_eq!(cell_text(&t, 0, Column::InventoryValue), "300.00");
        assert!(in_use(&t, 2, Column::EmpiricalSs) && !in_use(&t, 2, Column::NormalSs));
        assert!(in_use(&t, 0, Column::NormalSs));
    }
}
