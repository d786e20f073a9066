// The rescue panel (see app/src/rescue.rs). Plain JavaScript on purpose: it
// appears after a panic, when the page's WebAssembly may no longer run.
// The page's panic hook calls `segscopeRescue(detail)`; a WebAssembly trap
// that bypasses the hook (exhausted memory) shows it too. "Download saved
// workspace" reads the workspace file the engine worker autosaves in
// IndexedDB (database "segscope", store "workspace", keys "file", "file.1",
// … as the "meta" record's parts say; see
// app/src/storage.rs) and downloads it byte for byte; "Reload the page"
// reloads, and the engine opens the saved work.

"use strict";

(function () {
  const DB = "segscope";
  const STORE = "workspace";
  const FILE_KEY = "file";
  const PANEL_ID = "segscope-rescue";

  function element(tag, text, attributes = {}) {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
    return e;
  }

  function show(detail) {
    if (document.getElementById(PANEL_ID) || !document.body) return;
    const panel = element("div", "", {
      id: PANEL_ID,
      class: "rescue",
      role: "alertdialog",
      "aria-labelledby": "segscope-rescue-title",
      "aria-describedby": "segscope-rescue-text",
      "data-testid": "rescue",
    });
    const download = element("button", "Download saved workspace", { type: "button", "data-rescue": "download" });
    const details = element("details");
    details.append(element("summary", "Details for a bug report"), element("pre", String(detail)));
    panel.append(
      element("h2", "segscope stopped working", { id: "segscope-rescue-title" }),
      element(
        "p",
        "A bug stopped this page. Your work is saved in this browser after every change: " +
          "download it as a workspace file to keep it safe, then reload the page — it opens the saved work again.",
        { id: "segscope-rescue-text" },
      ),
      download,
      element("button", "Reload the page", { type: "button", "data-rescue": "reload" }),
      element("p", "", { "data-rescue": "status", role: "status" }),
      details,
    );
    document.body.append(panel);
    download.focus();
  }

  function say(text) {
    const status = document.querySelector(`#${PANEL_ID} [data-rescue="status"]`);
    if (status) status.textContent = text;
  }

  // The saved file's bytes, or null when nothing was saved.
  function readSaved() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(DB);
      open.onupgradeneeded = () => {
        // No database yet: nothing was ever saved. Do not create one.
        open.transaction.abort();
        resolve(null);
      };
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains(STORE)) {
          db.close();
          resolve(null);
          return;
        }
        // The file is stored in parts ("file", "file.1", …) when large; the
        // meta record says how many (absent: one).
        const store = db.transaction(STORE, "readonly").objectStore(STORE);
        const meta = store.get("meta");
        meta.onerror = () => reject(meta.error);
        meta.onsuccess = () => {
          const count = Math.max(1, Number(meta.result?.parts ?? 1) || 1);
          const parts = [];
          for (let i = 0; i < count; i++) {
            const get = store.get(i === 0 ? FILE_KEY : `${FILE_KEY}.${i}`);
            get.onerror = () => reject(get.error);
            get.onsuccess = () => {
              parts[i] = get.result;
              if (parts.filter((p) => p !== undefined).length < count) return;
              db.close();
              resolve(parts.every(Boolean) ? new Blob(parts) : null);
            };
          }
        };
      };
    });
  }

  async function downloadSaved() {
    say("Reading the saved workspace…");
    try {
      const bytes = await readSaved();
      if (!bytes || bytes.size === 0) {
        say("Nothing was saved in this browser yet, so there is nothing to download.");
        return;
      }
      const day = new Date().toISOString().slice(0, 10);
      const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
      const a = element("a", "", { href: url, download: `segscope-workspace-${day}.segscope` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      say(`Downloaded ${a.download} (${bytes.size.toLocaleString()} bytes). Import it from the Workspace menu.`);
    } catch (e) {
      say(`The saved workspace could not be read: ${e}. Reloading the page may still open it.`);
    }
  }

  window.segscopeRescue = show;

  const isTrap = (e) => typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError;
  window.addEventListener("error", (event) => {
    if (isTrap(event.error)) show(String(event.error));
  });
  window.addEventListener("unhandledrejection", (event) => {
    if (isTrap(event.reason)) show(String(event.reason));
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(`#${PANEL_ID} [data-rescue]`);
    if (!button) return;
    if (button.dataset.rescue === "download") downloadSaved();
    if (button.dataset.rescue === "reload") location.reload();
  });
})();
