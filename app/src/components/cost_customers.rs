//! The customer table of the Cost to serve page — every customer's revenue,
//! cost of goods, cost to serve and profit, sortable, filtered by text or
//! tier, and virtualised like the SKU table (its `window` and row height)
//! so that 10,000 customers scroll smoothly — and a customer's drill-down
//! to its orders.

use super::sku_table::{row_keydown, window, ROW_HEIGHT};
use crate::format;
use crate::state::AppState;
use crate::worker_api::CustomerColumns;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use segscope_core::roles::{can_see, Role, TableKind};
use std::cmp::Ordering;

/// A column of the customer table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// Position by profit.
    Rank,
    /// Customer code (and name).
    Customer,
    /// Profitability tier.
    Tier,
    /// Net revenue.
    Revenue,
    /// Cost of goods sold.
    Cogs,
    /// Cost to serve.
    CostToServe,
    /// Profit after cost to serve.
    Profit,
    /// Profit / revenue.
    Margin,
    /// Orders.
    Orders,
    /// Cost to serve per order.
    CostPerOrder,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 10] = [
        Column::Rank,
        Column::Customer,
        Column::Tier,
        Column::Revenue,
        Column::Cogs,
        Column::CostToServe,
        Column::Profit,
        Column::Margin,
        Column::Orders,
        Column::CostPerOrder,
    ];

    /// The header text (also the cells' `data-col`).
    pub fn title(self) -> &'static str {
        match self {
            Column::Rank => "Rank",
            Column::Customer => "Customer",
            Column::Tier => "Tier",
            Column::Revenue => "Revenue",
            Column::Cogs => "COGS",
            Column::CostToServe => "Cost to serve",
            Column::Profit => "Profit",
            Column::Margin => "Margin",
            Column::Orders => "Orders",
            Column::CostPerOrder => "CTS / order",
        }
    }

    /// The column's name in the customer table of `segscope_core::tables`,
    /// by which `segscope_core::roles` decides who sees it (the rank is by
    /// profit, so it goes with the profit).
    pub fn key(self) -> &'static str {
        match self {
            Column::Rank | Column::Profit => "profit",
            Column::Customer => "customer_id",
            Column::Tier => "tier",
            Column::Revenue => "revenue",
            Column::Cogs => "cogs",
            Column::CostToServe => "cost_to_serve",
            Column::Margin => "margin_pct",
            Column::Orders => "orders",
            Column::CostPerOrder => "cost_per_order",
        }
    }

    /// The columns `role` sees, in display order.
    pub fn for_role(role: Role) -> Vec<Column> {
        Column::ALL.into_iter().filter(|c| can_see(role, TableKind::Customers, c.key())).collect()
    }

    /// Whether the column holds numbers (right-aligned).
    pub fn numeric(self) -> bool {
        !matches!(self, Column::Customer | Column::Tier)
    }

    /// Widths that fit the page at 1280 pixels: the headers stay whole.
    fn width(self) -> &'static str {
        match self {
            Column::Rank => "4.3rem",
            Column::Customer => "minmax(7.8rem, 2fr)",
            Column::Tier => "5.9rem",
            Column::CostToServe => "minmax(7.2rem, 1fr)",
            Column::Margin => "4.5rem",
            Column::Orders => "4.1rem",
            Column::CostPerOrder => "6.2rem",
            _ => "minmax(6.3rem, 1fr)",
        }
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

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The rows to show, as indices into the columns (most profitable first):
/// those of `tier` (if any) whose code or name contains `text`
/// (case-insensitive), sorted by `sort`, ties in profit order.
pub fn visible_rows(t: &CustomerColumns, tier: Option<u8>, text: &str, sort: Sort) -> Vec<u32> {
    let needle = text.trim().to_lowercase();
    let mut rows: Vec<u32> = (0..t.len())
        .filter(|&i| tier.is_none_or(|k| t.tier[i] == k))
        .filter(|&i| {
            needle.is_empty()
                || t.customer[i].to_lowercase().contains(&needle)
                || t.name[i].to_lowercase().contains(&needle)
        })
        .map(|i| i as u32)
        .collect();
    let key = |i: u32, j: u32| -> Ordering {
        let (i, j) = (i as usize, j as usize);
        match sort.column {
            Column::Rank => Ordering::Equal,
            Column::Customer => t.customer[i].cmp(&t.customer[j]),
            Column::Tier => t.tier[i].cmp(&t.tier[j]),
            Column::Revenue => t.revenue[i].total_cmp(&t.revenue[j]),
            Column::Cogs => t.cogs[i].total_cmp(&t.cogs[j]),
            Column::CostToServe => t.cost_to_serve[i].total_cmp(&t.cost_to_serve[j]),
            Column::Profit => t.profit[i].total_cmp(&t.profit[j]),
            Column::Margin => cmp_opt(t.margin_pct[i], t.margin_pct[j]),
            Column::Orders => t.orders[i].cmp(&t.orders[j]),
            Column::CostPerOrder => cmp_opt(t.cost_per_order[i], t.cost_per_order[j]),
        }
    };
    rows.sort_by(|&i, &j| {
        let order = key(i, j);
        let order = if sort.descending { order.reverse() } else { order };
        order.then(i.cmp(&j))
    });
    if sort.column == Column::Rank && sort.descending {
        rows.reverse();
    }
    rows
}

/// The text of one cell.
fn cell_text(t: &CustomerColumns, i: usize, column: Column, tiers: &[String]) -> String {
    match column {
        Column::Rank => format::count(i + 1),
        Column::Customer if t.name[i].is_empty() => t.customer[i].to_owned(),
        Column::Customer => format!("{} · {}", &t.customer[i], &t.name[i]),
        Column::Tier => tiers.get(t.tier[i] as usize).cloned().unwrap_or_default(),
        Column::Revenue => format::money(t.revenue[i]),
        Column::Cogs => format::money(t.cogs[i]),
        Column::CostToServe => format::money(t.cost_to_serve[i]),
        Column::Profit => format::money(t.profit[i]),
        Column::Margin => {
            t.margin_pct[i].map_or_else(|| "–".into(), |m| format!("{} %", format::fixed(m, 1)))
        }
        Column::Orders => format::count(t.orders[i] as usize),
        Column::CostPerOrder => t.cost_per_order[i].map_or_else(|| "–".into(), format::money),
    }
}

/// The customer table. `selected` is the customer whose orders are shown;
/// `open` asks for a customer's orders.
#[component]
pub fn CustomerTable<F>(
    /// The customer whose drill-down is open.
    selected: RwSignal<Option<String>>,
    /// Opens a customer's drill-down.
    open: F,
) -> impl IntoView
where
    F: Fn(String) + Copy + Send + Sync + 'static,
{
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let tier = RwSignal::new(None::<u8>);
    let sort = RwSignal::new(Sort { column: Column::Rank, descending: false });
    let scroll_top = RwSignal::new(0.0);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let tiers = move || {
        state
            .cost
            .with(|c| {
                c.as_ref().map(|c| c.tiers.iter().map(|t| t.name.clone()).collect::<Vec<_>>())
            })
            .unwrap_or_default()
    };
    let rows = Memo::new(move |_| {
        let (tier, sort) = (tier.get(), sort.get());
        text.with(|text| {
            state.cost.with(|c| {
                c.as_ref().map(|c| visible_rows(&c.customers, tier, text, sort)).unwrap_or_default()
            })
        })
    });
    super::scroll::top_on_change(rows, scroller, scroll_top);
    let total = move || state.cost.with(|c| c.as_ref().map_or(0, |c| c.customers.len()));
    let count = move || {
        let (shown, all) = (rows.with(Vec::len), total());
        if shown == all {
            format!("{} customers", format::count(all))
        } else {
            format!("Showing {} of {} customers", format::count(shown), format::count(all))
        }
    };
    // The role's columns; the page draws the table again for another role.
    let role = state.role.get_untracked();
    let columns = Column::for_role(role);
    let sees_tiers = columns.contains(&Column::Tier);
    let sees_profit = columns.contains(&Column::Profit);
    let grid_columns = {
        let widths: Vec<&str> = columns.iter().map(|c| c.width()).collect();
        format!("--columns: {}", widths.join(" "))
    };
    let header = columns
        .iter()
        .copied()
        .map(|c| {
            let aria_sort = move || match (sort.get().column == c, sort.get().descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            let arrow = move || match (sort.get().column == c, sort.get().descending) {
                (false, _) => "",
                (true, false) => " ▲",
                (true, true) => " ▼",
            };
            let on_click = move |_| {
                sort.update(|s| {
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
                    <button class="sort" on:click=on_click>
                        {c.title()}
                        <span aria-hidden="true">{arrow}</span>
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
        let names = tiers();
        let (code, tier_index, loss, cells) = state
            .cost
            .with_untracked(|c| {
                c.as_ref().map(|c| {
                    let t = &c.customers;
                    let cells: Vec<(Column, String)> =
                        columns.iter().map(|&col| (col, cell_text(t, i, col, &names))).collect();
                    let loss = sees_profit && t.profit.get(i).is_some_and(|p| *p < 0.0);
                    (t.customer[i].to_owned(), t.tier[i], loss, cells)
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
        view! {
            <div
                role="row"
                class="sku-row"
                class:selected=is_selected.clone()
                class:loss=loss
                aria-selected=move || is_selected().to_string()
                aria-rowindex=position + 2
                tabindex="0"
                style=format!("top: {}px", position as f64 * ROW_HEIGHT)
                data-testid=format!("customer-row-{code}")
                data-customer=code.clone()
                data-tier=tier_index
                on:click=on_click
                on:keydown=on_key
            >
                {cells
                    .into_iter()
                    .map(|(c, text)| view! { <div role="gridcell" class:num=c.numeric() data-col=c.title()>{text}</div> })
                    .collect_view()}
            </div>
        }
    };
    let on_tier = move |ev| {
        let v = event_target_value(&ev);
        tier.set(v.parse::<u8>().ok());
    };
    view! {
        <div class="table-tools">
            <label class="filter">
                <span>"Filter customers"</span>
                <input
                    type="search"
                    placeholder="code or name"
                    data-testid="customer-filter"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </label>
            {sees_tiers.then(|| view! {
                <label class="filter">
                    <span>"Tier"</span>
                    <select data-testid="customer-tier" on:change=on_tier>
                        <option value="">"All tiers"</option>
                        {move || tiers()
                            .into_iter()
                            .enumerate()
                            .map(|(k, name)| view! { <option value=k.to_string()>{name}</option> })
                            .collect_view()}
                    </select>
                </label>
            })}
            <span class="spacer"></span>
            <span class="help" data-testid="customer-count" aria-live="polite">{count}</span>
        </div>
        <div
            class="sku-grid customer-grid"
            role="grid"
            aria-label=if sees_profit { "Customers with their profit after cost to serve" } else { "Customers with their revenue and orders" }
            aria-rowcount=move || rows.with(Vec::len) + 1
            data-testid="customer-table"
            style=grid_columns
        >
            <div role="row" class="sku-head" aria-rowindex="1">{header}</div>
            <div class="sku-scroll" node_ref=scroller on:scroll=on_scroll>
                <div class="sku-body" role="rowgroup" style=move || format!("height: {}px", rows.with(Vec::len) as f64 * ROW_HEIGHT)>
                    <For each=visible key=|&(position, index)| (position, index) children=row />
                </div>
            </div>
        </div>
    }
}

/// The most orders the drill-down lists; its totals cover them all.
const MAX_ORDERS_SHOWN: usize = 500;

/// A customer's orders with their cost to serve, from the engine's
/// `CustomerDetail` answer.
#[component]
pub fn CustomerDetail(
    /// The customer chosen in the table.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        let chosen = selected.get()?;
        let detail = state.customer_detail.get().filter(|d| d.customer == chosen);
        let Some(d) = detail else {
            return Some(
                view! { <p class="help">{format!("Loading the orders of {chosen}…")}</p> }
                    .into_any(),
            );
        };
        if !d.found {
            return Some(
                view! { <p>{format!("{chosen} is not in the current analysis.")}</p> }.into_any(),
            );
        }
        let who = if d.name.is_empty() {
            d.customer.clone()
        } else {
            format!("{} ({})", d.customer, d.name)
        };
        // The worker left out what the role does not see (no tier: none
        // named); the role's columns decide which figures are shown.
        let heading = if d.tier.is_empty() {
            format!("Orders of {who}")
        } else {
            format!("Orders of {who} · {}", d.tier)
        };
        let role = state.role.get_untracked();
        let sees = |column: &str| can_see(role, TableKind::Customers, column);
        let sees_cts = sees("cost_to_serve");
        let figures: Vec<_> = [
            ("revenue", "Revenue", d.revenue, "revenue"),
            ("cogs", "COGS", d.cogs, "cogs"),
            ("cts", "Cost to serve", d.cost_to_serve, "cost_to_serve"),
            ("profit", "Profit", d.profit, "profit"),
        ]
        .into_iter()
        .filter(|f| sees(f.3))
        .map(|(id, label, v, _)| (id, label, v))
        .collect();
        let shown = d.orders.len().min(MAX_ORDERS_SHOWN);
        let more = (d.orders.len() > shown).then(|| {
            format!(
                "The first {shown} of {} orders are listed; the total covers them all.",
                format::count(d.orders.len())
            )
        });
        let rows = d
            .orders
            .iter()
            .take(shown)
            .map(|o| {
                view! {
                    <tr data-order=o.order.clone()>
                        <th scope="row">{o.order.clone()}</th>
                        <td>{o.date.to_string()}</td>
                        <td class="num">{o.lines}</td>
                        <td class="num">{o.returns}</td>
                        <td class="num">{format::quantity(o.units)}</td>
                        <td class="num">{format::money(o.revenue)}</td>
                        {sees_cts.then(|| view! { <td class="num" data-col="cts">{format::money(o.cost_to_serve)}</td> })}
                    </tr>
                }
            })
            .collect_view();
        let orders_label = match d.return_only {
            0 => format!("{} orders", format::count(d.orders.len())),
            n => format!(
                "{} orders ({} with returns only)",
                format::count(d.orders.len()),
                format::count(n)
            ),
        };
        let close = move |_| selected.set(None);
        Some(view! {
            <div class="detail-head">
                <h3>{heading}</h3>
                <button class="link" on:click=close>"✕ close"</button>
            </div>
            <dl class="mini-figures">
                {figures.into_iter().map(|(id, label, v)| view! {
                    <div><dt>{label}</dt><dd class="num" data-testid=format!("detail-{id}")>{format::money(v)}</dd></div>
                }).collect_view()}
            </dl>
            <div class="orders-scroll">
                <table class="orders">
                    <thead>
                        <tr>
                            <th scope="col">"Order"</th>
                            <th scope="col">"Date"</th>
                            <th scope="col" class="num">"Lines"</th>
                            <th scope="col" class="num">"Returns"</th>
                            <th scope="col" class="num">"Units"</th>
                            <th scope="col" class="num">"Revenue"</th>
                            {sees_cts.then(|| view! { <th scope="col" class="num">"Cost to serve"</th> })}
                        </tr>
                    </thead>
                    <tbody data-testid="detail-orders">{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="5">{orders_label}</th>
                            <td class="num">{format::money(d.orders_revenue)}</td>
                            {sees_cts.then(|| view! { <td class="num" data-testid="detail-orders-cts">{format::money(d.orders_cost_to_serve)}</td> })}
                        </tr>
                    </tfoot>
                </table>
            </div>
            {more.map(|m| view! { <p class="help">{m}</p> })}
        }
        .into_any())
    };
    view! {
        <div class="customer-detail" data-testid="customer-detail" aria-live="polite" hidden=move || selected.with(Option::is_none)>
            {body}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> CustomerColumns {
        CustomerColumns {
            customer: ["C2", "C10", "C1"].into_iter().collect(),
            name: ["Acme", "", "Bolt"].into_iter().collect(),
            tier: vec![0, 1, 3],
            revenue: vec![900.0, 300.0, 50.0],
            cogs: vec![400.0, 150.0, 30.0],
            cost_to_serve: vec![100.0, 100.0, 70.0],
            profit: vec![400.0, 50.0, -50.0],
            margin_pct: vec![Some(44.4), Some(16.7), None],
            orders: vec![10, 4, 6],
            lines: vec![30, 8, 6],
            cost_per_order: vec![Some(10.0), Some(25.0), None],
        }
    }

    fn by(column: Column, descending: bool) -> Sort {
        Sort { column, descending }
    }

    #[test]
    fn filters_by_tier_and_text() {
        let t = table();
        let rank = by(Column::Rank, false);
        assert_eq!(visible_rows(&t, None, "", rank), [0, 1, 2]);
        assert_eq!(visible_rows(&t, Some(3), "", rank), [2]);
        assert_eq!(visible_rows(&t, None, "c1", rank), [1, 2], "code, case-insensitive");
        assert_eq!(visible_rows(&t, None, "acme", rank), [0], "name");
    }

    #[test]
    fn sorts_with_missing_values_last() {
        let t = table();
        assert_eq!(visible_rows(&t, None, "", by(Column::Rank, true)), [2, 1, 0]);
        assert_eq!(visible_rows(&t, None, "", by(Column::CostToServe, true)), [0, 1, 2]);
        assert_eq!(visible_rows(&t, None, "", by(Column::CostPerOrder, false)), [0, 1, 2]);
        assert_eq!(visible_rows(&t, None, "", by(Column::Customer, false)), [2, 1, 0]);
    }

    #[test]
    fn cells_read_as_figures() {
        let t = table();
        let tiers: Vec<String> =
            ["Platinum", "Gold", "Silver", "Loss-making"].map(String::from).into();
        assert_eq!(cell_text(&t, 0, Column::Customer, &tiers), "C2 · Acme");
        assert_eq!(cell_text(&t, 1, Column::Customer, &tiers), "C10");
        assert_eq!(cell_text(&t, 2, Column::Tier, &tiers), "Loss-making");
        assert_eq!(cell_text(&t, 2, Column::Margin, &tiers), "–");
        assert_eq!(cell_text(&t, 0, Column::Margin, &tiers), "44.4 %");
        assert_eq!(cell_text(&t, 2, Column::Profit, &tiers), "-50.00");
    }
}
