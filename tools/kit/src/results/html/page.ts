/** The page template: one self-contained HTML file holding the data as JSON, the chart library and the page script. */
import { pageAssets } from './assets.js';
import type { HistoryView, ReportView } from './view.js';

const escHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Text inside <script> ends at the first `</script`: JSON escapes `<`, code gets `<\/` (same meaning in JS strings). */
const jsonInScript = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const codeInScript = (js: string): string => js.replace(/<\/(script)/gi, '<\\/$1');
const cssInStyle = (css: string): string => css.replace(/<\/(style)/gi, '<\\/$1');

export function renderPage(view: ReportView | HistoryView): string {
  const a = pageAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="wirebench">
<title>${escHtml(view.title)}</title>
<style>${cssInStyle(a.libCss)}</style>
<style>${cssInStyle(a.css)}</style>
</head>
<body>
<main id="app"><p class="loading">Drawing…</p></main>
<script id="wb-data" type="application/json">${jsonInScript(view)}</script>
<script>${codeInScript(a.libJs)}</script>
<script>${codeInScript(a.script(view.kind))}</script>
</body>
</html>
`;
}
