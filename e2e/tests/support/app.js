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
    await this.page.waitForFunction(
      (n) => Number(document.querySelector("main")?.dataset.answered) > n,
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

  /** Saves a full-page screenshot as e2e/artifacts/NAME.png. */
  async screenshot(name) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
