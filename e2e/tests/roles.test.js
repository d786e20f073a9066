// Roles: each of the four roles switches in the header and sees exactly its
// figures on the dashboard and the workflow pages — Sales never a cost or a
// margin, the Planner never a customer's profit — in the page's text, its
// hidden elements, and its tooltips. Each role's dashboard is saved as a
// screenshot at 1280 × 720.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start } from "./support/session.js";
import { ARTIFACTS } from "./support/app.js";

/** The KPI columns of each role's dashboard (core's roles.rs). */
const KPIS = {
  consultant: [
    "skus",
    "revenue",
    "margin",
    "margin_pct",
    "cost_per_order",
    "avg_inventory_value",
    "inventory_turns",
    "service_level",
    "fill_rate",
    "stockouts_per_year",
    "on_time_rate",
  ],
  planner: ["skus", "revenue", "inventory_turns", "service_level", "fill_rate", "stockouts_per_year", "on_time_rate"],
  finance: ["skus", "revenue", "margin", "margin_pct", "cost_per_order", "avg_inventory_value", "inventory_turns"],
  sales: ["skus", "revenue", "service_level", "fill_rate", "stockouts_per_year", "on_time_rate"],
};

/** The customer table's columns per role. */
const ALL_CUSTOMER_COLUMNS = [
  "Rank",
  "Customer",
  "Tier",
  "Revenue",
  "COGS",
  "Cost to serve",
  "Profit",
  "Margin",
  "Orders",
  "CTS / order",
];
const CUSTOMER_COLUMNS = {
  consultant: ALL_CUSTOMER_COLUMNS,
  finance: ALL_CUSTOMER_COLUMNS,
  planner: ["Customer", "Revenue", "Orders"],
  sales: ["Customer", "Tier", "Revenue", "Orders"],
};

/** The policy table's value columns (shown only to roles that see stock values). */
const POLICY_VALUE_COLUMNS = ["SS value", "Inv. value"];

/** The page name of the cost page in the navigation, per role. */
const COST_PAGE = { consultant: "Cost to serve", finance: "Cost to serve", planner: "Customers", sales: "Customers" };

/** Words a role must never read, anywhere on its pages. */
const FORBIDDEN = {
  consultant: null,
  finance: null,
  planner: /profit/i,
  sales: /cost|margin|cogs/i,
};

let s;

before(async () => {
  s = await start();
  await s.app.open();
  await s.app.loadDemo();
});

after(async () => {
  await s?.end();
});

/** Picks a role in the header and waits for the engine's views for it. */
async function switchRole(role) {
  await s.app.andWait(() => s.page.getByTestId("role-switch").selectOption(role));
}

/** Everything a person could read on the page or hover: the main area's
 * text (hidden parts included), and every title and aria-label. */
async function readable() {
  return s.page.evaluate(() => {
    const main = document.querySelector("main")?.textContent ?? "";
    const nav = document.querySelector("nav")?.textContent ?? "";
    const attributes = [...document.querySelectorAll("main [title], main [aria-label], nav [title]")].map(
      (e) => `${e.getAttribute("title") ?? ""} ${e.getAttribute("aria-label") ?? ""}`,
    );
    return [main, nav, ...attributes].join("\n");
  });
}

/** Fails with the offending passage when `pattern` occurs in `text`. */
function assertNever(text, pattern, where) {
  if (!pattern) return;
  const m = pattern.exec(text);
  const around = m ? text.slice(Math.max(0, m.index - 60), m.index + 60).replace(/\s+/g, " ") : "";
  assert.equal(m, null, `${where}: "${m?.[0]}" in …${around}…`);
}

async function dashboard(role) {
  await s.app.goTo("Dashboards");
  await s.page.locator(`[data-testid="dashboard"][data-role="${role}"]`).waitFor();
  await s.page.getByTestId("kpi-chart").and(s.page.locator('[data-drawn="true"]')).waitFor();
  const headers = await s.page
    .locator('[data-testid="kpi-table"] th[data-kpi]')
    .evaluateAll((ths) => ths.map((th) => th.dataset.kpi));
  assert.deepEqual(headers, KPIS[role], `${role}: dashboard KPI columns`);
  const cards = await s.page.locator(".kpi-card").evaluateAll((cs) => cs.map((c) => c.dataset.kpi));
  assert.deepEqual(cards, KPIS[role].filter((k) => k !== "skus"), `${role}: KPI cards`);
  // The tier mix is for the roles that see tiers.
  const tierMix = await s.page.getByTestId("tier-mix-chart").count();
  assert.equal(tierMix, role === "planner" ? 0 : 1, `${role}: tier mix chart`);
  // Each KPI's formula opens from the keyboard.
  const help = s.page.getByTestId("kpi-help-revenue").first().locator("summary");
  await help.focus();
  await s.page.keyboard.press("Enter");
  const formula = s.page.getByTestId("kpi-help-revenue").first().locator(".kpi-formula");
  assert.match(await formula.textContent(), /line revenue/);
  assert.ok(await formula.isVisible(), "the formula shows after Enter");
  await s.page.keyboard.press("Enter");
  await s.page.setViewportSize({ width: 1280, height: 720 });
  await s.page.evaluate(() => window.scrollTo(0, 0));
  await s.page.screenshot({ path: path.join(ARTIFACTS, `roles-dashboard-${role}.png`) });
  await s.page.setViewportSize({ width: 1280, height: 900 });
  assertNever(await readable(), FORBIDDEN[role], `${role} on Dashboards`);
}

async function segments(role) {
  await s.app.goTo("Segments");
  await s.page.getByTestId("sku-table").waitFor();
  assertNever(await readable(), FORBIDDEN[role], `${role} on Segments`);
}

async function policies(role) {
  await s.app.goTo("Policies");
  await s.page.getByTestId("wc-table").waitFor();
  const headers = await s.page
    .getByTestId("policy-table")
    .locator('[role="columnheader"]')
    .evaluateAll((hs) => hs.map((h) => h.textContent.trim()));
  for (const column of POLICY_VALUE_COLUMNS) {
    const shown = headers.some((h) => h.startsWith(column));
    assert.equal(shown, role !== "sales", `${role}: policy column ${column}`);
  }
  assert.ok(headers.some((h) => h.startsWith("Fill rate")), `${role}: fill rate column`);
  const note = await s.page.getByTestId("role-note").count();
  assert.equal(note, role === "sales" ? 1 : 0, `${role}: role note on Policies`);
  assertNever(await readable(), FORBIDDEN[role], `${role} on Policies`);
}

async function customers(role) {
  await s.app.goTo(COST_PAGE[role]);
  await s.page.getByTestId("customer-table").waitFor();
  const headers = await s.page
    .getByTestId("customer-table")
    .locator('[role="columnheader"]')
    .evaluateAll((hs) => hs.map((h) => h.textContent.replace(/[▲▼]/g, "").trim()));
  assert.deepEqual(headers, CUSTOMER_COLUMNS[role], `${role}: customer columns`);
  assert.equal(await s.page.getByTestId("tier-table").count(), role === "planner" ? 0 : 1, `${role}: tiers`);
  const costly = role === "consultant" || role === "finance";
  assert.equal(await s.page.getByTestId("whale-chart").count(), costly ? 1 : 0, `${role}: whale curve`);
  assert.equal(await s.page.getByTestId("role-note").count(), costly ? 0 : 1, `${role}: role note`);
  // A customer's drill-down shows only the role's figures.
  const first = s.page.getByTestId("customer-table").locator('[role="row"][data-customer]').first();
  await s.app.andWait(() => first.click());
  await s.page.getByTestId("detail-revenue").waitFor();
  assert.equal(await s.page.getByTestId("detail-profit").count(), costly ? 1 : 0, `${role}: detail profit`);
  assert.equal(await s.page.getByTestId("detail-cts").count(), costly ? 1 : 0, `${role}: detail cost`);
  assertNever(await readable(), FORBIDDEN[role], `${role} on ${COST_PAGE[role]}`);
}

for (const role of ["sales", "planner", "finance", "consultant"]) {
  test(`the ${role} sees exactly the ${role}'s figures`, async () => {
    await switchRole(role);
    await dashboard(role);
    await segments(role);
    await policies(role);
    await customers(role);
  });
}

test("the sales dashboard's revenue is the consultant's, segment by segment", async () => {
  const revenue = async () =>
    s.page
      .locator('[data-testid="kpi-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.dataset.segment, r.querySelectorAll("td")[1]?.textContent]));
  await switchRole("consultant");
  await s.app.goTo("Dashboards");
  await s.page.locator('[data-testid="dashboard"][data-role="consultant"]').waitFor();
  const consultant = await revenue();
  await switchRole("sales");
  await s.page.locator('[data-testid="dashboard"][data-role="sales"]').waitFor();
  assert.deepEqual(await revenue(), consultant);
  assert.ok(consultant.length > 2, "segments and the total");
});
