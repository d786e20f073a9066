// The workspace saved in the browser, read the way anything outside the
// app could read it: IndexedDB database "segscope", object store
// "workspace", records "meta" ({ revision, saved, size, format, parts })
// and "file", "file.1", … (the workspace file's bytes in parts: Blobs, or
// ArrayBuffers in saves of earlier versions). See app/src/storage.rs.

/** The magic bytes every workspace file starts with. */
export const MAGIC = "SEGSCOPE WORKSPACE\r\n\x1a\n";

/**
 * The saved meta record, the file's size and SHA-256 (and its bytes as
 * base64 when `withFile`), or nulls when nothing is saved.
 * @param {import("playwright-core").Page} page
 */
export async function savedWorkspace(page, { withFile = false } = {}) {
  return page.evaluate(async (withFile) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("segscope", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("workspace");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const get = (store, key) =>
      new Promise((resolve, reject) => {
        const request = store.get(key);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const store = db.transaction("workspace").objectStore("workspace");
    // The file is stored in parts ("file", "file.1", …) when large; the
    // meta record says how many (absent: one).
    const meta = await get(store, "meta");
    const count = Math.max(1, meta?.parts ?? 1);
    const records = await Promise.all(
      Array.from({ length: count }, (_, i) => get(store, i === 0 ? "file" : `file.${i}`)),
    );
    db.close();
    const parts = await Promise.all(records.map((p) => (p instanceof Blob ? p.arrayBuffer() : p)));
    let file = null;
    if (parts.every(Boolean)) {
      const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let at = 0;
      for (const p of parts) {
        joined.set(new Uint8Array(p), at);
        at += p.byteLength;
      }
      file = joined.buffer;
    }
    const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
    let base64 = null;
    if (withFile && file) {
      const bytes = new Uint8Array(file);
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      base64 = btoa(text);
    }
    return {
      meta: meta ?? null,
      size: file ? file.byteLength : null,
      sha256: file ? hex(await crypto.subtle.digest("SHA-256", file)) : null,
      base64,
    };
  }, withFile).then((saved) => ({
    ...saved,
    bytes: saved.base64 === null ? null : Buffer.from(saved.base64, "base64"),
  }));
}

/** The saved revision (0 when nothing was ever saved). */
export async function savedRevision(page) {
  return (await savedWorkspace(page)).meta?.revision ?? 0;
}

/**
 * Waits until a save newer than `revision` is in IndexedDB and the header
 * says "Saved"; returns the new revision.
 */
export async function waitForSave(page, revision) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await savedRevision(page);
    const state = await page.getByTestId("save-status").getAttribute("data-state");
    if (now > revision && state === "saved") return now;
    if (Date.now() > deadline) throw new Error(`no save after revision ${revision} (now ${now}, ${state})`);
    await page.waitForTimeout(100);
  }
}

/** Opens the header's Workspace menu. */
export async function openMenu(page) {
  const body = page.locator(".workspace-menu-body");
  if (!(await body.isVisible())) await page.getByTestId("workspace-menu").click();
  await body.waitFor();
}
