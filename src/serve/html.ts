// The one HTML page the app serves. Everything interpolated goes through
// `html`, which escapes it; article text never reaches this file at all —
// the page script renders it with textContent.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A raw piece of markup, trusted because it was built by `html`. */
class Markup {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** Tagged template: every value is escaped unless it is itself the result of `html`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x instanceof Markup ? x.value : escapeHtml(x))).join('') : v instanceof Markup ? v.value : escapeHtml(v);
    out += part + strings[i + 1];
  });
  return new Markup(out);
}

export interface PageOptions {
  token: string;
  readOnly: boolean;
  dbName: string;
  reviewer: string | null;
  assetVersion: string;
}

export function page(o: PageOptions): string {
  return html`<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="cnfacts-token" content="${o.token}">
<meta name="cnfacts-read-only" content="${o.readOnly ? 'true' : 'false'}">
<meta name="cnfacts-reviewer" content="${o.reviewer ?? ''}">
<link rel="icon" href="data:,">
<title>cnfacts review · ${o.dbName}</title>
<link rel="stylesheet" href="/assets/app.css?v=${o.assetVersion}">
<script src="/assets/chart.umd.js?v=${o.assetVersion}" defer></script>
<script src="/assets/app.js?v=${o.assetVersion}" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="#/facts">cnfacts <span>review</span></a>
  <nav>
    <a href="#/facts" data-nav="facts">Facts</a>
    <a href="#/documents" data-nav="documents">Documents</a>
    <a href="#/consistency" data-nav="consistency">Consistency</a>
    <a href="#/stats" data-nav="stats">Stats &amp; orphans</a>
  </nav>
  <div class="progress" id="progress" aria-live="polite">
    <span id="progress-text">…</span>
    <span class="bar"><span id="progress-bar"></span></span>
  </div>
  ${o.readOnly ? html`<span class="badge readonly" title="started with --read-only: verdicts cannot be changed">read-only</span>` : ''}
  <span class="db" title="database">${o.dbName}</span>
  <button type="button" class="help-button" id="help-button" title="Keyboard shortcuts (?)">?</button>
</header>
<main id="main"><p class="loading">Loading…</p></main>
<div id="toast" role="status" aria-live="polite"></div>
<dialog id="help">
  <h2>Keyboard</h2>
  <table class="keys">
    <tr><td><kbd>j</kbd> / <kbd>k</kbd></td><td>next / previous fact</td></tr>
    <tr><td><kbd>a</kbd></td><td>accept the fact as extracted</td></tr>
    <tr><td><kbd>r</kbd></td><td>reject it (not a fact, or wrong)</td></tr>
    <tr><td><kbd>e</kbd></td><td>edit: correct any field, then <kbd>Enter</kbd> to save, <kbd>Esc</kbd> to cancel</td></tr>
    <tr><td><kbd>u</kbd></td><td>undo the last verdict</td></tr>
    <tr><td><kbd>n</kbd></td><td>write a note (saved with the next verdict)</td></tr>
    <tr><td><kbd>p</kbd></td><td>show the paragraph around the figure</td></tr>
    <tr><td><kbd>d</kbd></td><td>open the document, at this figure</td></tr>
    <tr><td><kbd>]</kbd> / <kbd>[</kbd></td><td>next / previous page</td></tr>
    <tr><td><kbd>/</kbd></td><td>search metrics</td></tr>
    <tr><td><kbd>?</kbd></td><td>this help</td></tr>
  </table>
  <form method="dialog"><button>Close</button></form>
</dialog>
</body>
</html>
`.value;
}
