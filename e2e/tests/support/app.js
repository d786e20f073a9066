// The page object: what a person does with segscope, in their words.
// Elements are found by role and label; figures by data-testid.

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.resolve(here, "../../artifacts");
export const FIXTURES = path.resolve(here, "../../fixtures");

/** How long the engine may take for one request (demo data, big files). */
const WORK_TIMEOUT = 60_000;

export class SegscopeApp {
  /**
   * @param {import("playwright-core").Page} page
   * @param {string} origin e.g. http://127.0.0.1:41234
   */
  constructor(page, origin) {
    this.page = page;
    this.origin = origin;
  }

  /** Opens the app at a page (`data`, `segments`, …) and waits for the engine. */
  async open(route = "data") {
    await this.page.goto(`${this.origin}/#/${route}`);
    await this.engineReady();
  }

  async engineReady() {
    await this.page
      .locator('[data-testid="engine-status"][data-state="ready"]')
      .waitFor({ timeout: WORK_TIMEOUT });
  }

  /** Goes to a workflow page through the navigation, as a person would. */
  async goTo(title) {
    await this.page.getByRole("navigation", { name: "Workflow" }).getByRole("link", { name: title }).click();
    await this.page.getByRole("heading", { level: 1, name: title }).waitFor();
  }

  /** The number of engine answers so far. */
  async answered() {
    return Number(await this.page.locator("main").getAttribute("data-answered"));
  }

  /** Runs `action` and waits until the engine has answered it. */
  async andWait(action) {
    const before = await this.answered();
    await action();
    // The answer, and the slow movers' informational figures that the
    // engine adds after it (so that every figure on any page is final).
    await this.page.waitForFunction(
      (n) => {
        const main = document.querySelector("main");
        return Number(main?.dataset.answered) > n && main?.dataset.detailPending !== "true";
      },
      before,
      { timeout: WORK_TIMEOUT },
    );
  }

  async loadDemo() {
    await this.andWait(() => this.page.getByRole("button", { name: "Load demo data" }).click());
  }

  /**
   * Picks a file for an input kind (`orders`, `products`, `customers`,
   * `cost pools`) through its labelled file chooser.
   * @param {string} kind
   * @param {string | {name: string, mimeType: string, buffer: Buffer}} file a path or a file payload
   */
  async upload(kind, file) {
    const input = this.page.getByLabel(`Choose ${kind} file…`);
    await this.andWait(() => input.setInputFiles(file));
  }

  /** Changes the column mapped to a field and waits for the re-read. */
  async mapField(kind, field, header) {
    const select = this.page.getByTestId(`map-${kind}-${field}`);
    await this.andWait(() => select.selectOption({ label: header }));
  }

  /** The text of a summary figure (`lines`, `revenue`, `horizon`, …). */
  async summary(id) {
    return (await this.page.getByTestId(`summary-${id}`).textContent()).trim();
  }

  /** The header currently shown as mapped to a field. */
  async mappedHeader(kind, field) {
    const select = this.page.getByTestId(`map-${kind}-${field}`);
    return select.evaluate((s) => s.options[s.selectedIndex]?.textContent ?? "");
  }

  async matchedBy(kind, field) {
    return (await this.page.getByTestId(`map-${kind}-${field}-by`).textContent()).trim();
  }

  /** The row count of a data-quality rule (0 when the rule found nothing). */
  async qualityCount(rule) {
    const cell = this.page.getByTestId(`dq-count-${rule}`);
    if ((await cell.count()) === 0) return 0;
    return Number((await cell.textContent()).replace(/,/g, ""));
  }

  /** The alert region. */
  alerts() {
    return this.page.getByRole("alert");
  }

  /** Saves a screenshot of one element (by test id) as e2e/artifacts/NAME.png. */
  async screenshotOf(testid, name) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.getByTestId(testid).screenshot({ path: file });
    return file;
  }

  /** Saves a full-page screenshot as e2e/artifacts/NAME.png. */
  async screenshot(name) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  // ---- Segments ---------------------------------------------------------

  /** The SKU counts of the nine ABC × XYZ cells, e.g. `{ AX: 12, … }`. */
  async matrixCounts() {
    const counts = {};
    for (const a of "ABC") {
      for (const x of "XYZ") {
        const text = await this.page.getByTestId(`matrix-${a}${x}-count`).textContent();
        counts[a + x] = Number(text.replace(/,/g, ""));
      }
    }
    return counts;
  }

  /** Types into a settings field (`a-cut`, `b-cut`, `half-life`). */
  async setSetting(name, value) {
    await this.page.getByTestId(`setting-${name}`).fill(value);
  }

  /** Presses "Apply settings" and waits for the recomputed segmentation. */
  async applySettings() {
    await this.andWait(() => this.page.getByRole("button", { name: "Apply settings" }).click());
  }

  /**
   * How many pixels of a chart's canvas are not white: 0 for a blank
   * canvas. Waits until the chart says it has drawn.
   */
  async chartInk(testid) {
    const canvas = this.page.locator(`canvas[data-testid="${testid}"][data-drawn="true"]`);
    await canvas.waitFor({ timeout: WORK_TIMEOUT });
    return canvas.evaluate((c) => {
      const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245)) ink++;
      }
      return ink;
    });
  }

  /** The SKU codes of the rows the table has rendered, top to bottom. */
  async renderedSkus() {
    return this.page
      .getByTestId("sku-table")
      .locator('[role="row"][data-sku]')
      .evaluateAll((rows) =>
        rows
          .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
          .map((r) => r.dataset.sku),
      );
  }

  /** The text of one rendered row's cell, by column title (`ABC`, `XYZ`, …). */
  async rowCell(sku, column) {
    return (
      await this.page.getByTestId(`sku-row-${sku}`).locator(`[data-col="${column}"]`).textContent()
    ).trim();
  }
}
