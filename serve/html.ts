// Server-rendered HTML without a template engine: a tagged template that escapes every interpolated value, so a
// printed agency name or an archived page's text can never become markup. Trusted fragments are wrapped in Raw.

export class Raw {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function render(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** html`<td>${text}</td>`: values escaped, Raw and arrays of Raw kept as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Raw(out);
}

/** A query string from the given parameters (undefined/null/'' left out). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const CSS = `
:root { --loaded:#2e7d32; --stale:#f9a825; --unreadable:#c62828; --none:#eceff1; --failing:#6a1b9a; --unverified:#90a4ae; --noportal:#cfd8dc; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0; color: #1c2329; background: #fafafa; }
header { background: #263238; color: #fff; padding: 8px 16px; display: flex; gap: 18px; align-items: baseline; }
header a { color: #cfd8dc; text-decoration: none; } header a:hover { color: #fff; }
header strong { font-size: 16px; margin-right: 12px; }
main { padding: 12px 16px; }
h1 { font-size: 20px; margin: 6px 0 12px; } h2 { font-size: 16px; margin: 18px 0 8px; } h3 { font-size: 14px; margin: 12px 0 6px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #cfd8dc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eceff1; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #607d8b; } .small { font-size: 12px; }
.flag { display: inline-block; font-size: 11px; padding: 0 4px; border-radius: 3px; margin: 1px; }
.sev-error { background: #ffcdd2; color: #b71c1c; } .sev-warning { background: #fff3cd; color: #7a5b00; } .sev-info { background: #e3f2fd; color: #0d47a1; }
.state { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: middle; margin-right: 4px; }
.s-loaded { background: var(--loaded); color: #fff; } .s-stale { background: var(--stale); } .s-unreadable { background: var(--unreadable); color: #fff; }
.s-no-report-listed { background: var(--none); } .s-crawl-failing { background: var(--failing); color: #fff; }
.s-unverified { background: var(--unverified); } .s-no-portal { background: var(--noportal); }
table.matrix td.cell { width: 64px; text-align: center; font-size: 12px; }
table.matrix td.cell a { color: inherit; text-decoration: none; display: block; }
.report { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.values table { font-size: 12px; } .values td.num a { color: inherit; text-decoration: none; display: block; }
.values td.selected { outline: 3px solid #ff6f00; background: #fff3e0; }
.values td.flagged { background: #fff8e1; }
.values table.requests th { min-width: 3em; } .values table.requests tr > th:first-child { min-width: 15em; font-weight: 500; }
.values td .flag { font-size: 9px; padding: 0 2px; }
.source { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; background: #fff; border: 1px solid #cfd8dc; padding: 8px; }
.source iframe { width: 100%; height: 80vh; border: 0; }
.pdf-page { position: relative; display: inline-block; }
.pdf-page canvas { display: block; }
.pdf-box { position: absolute; border: 2px solid #ff6f00; background: rgba(255,111,0,.18); pointer-events: none; z-index: 3; }
.model-table td.marked, .model-doc p.marked { outline: 3px solid #ff6f00; background: #fff3e0; }
nav.pager { margin: 8px 0; } nav.pager a { margin-right: 12px; }
code { font-size: 12px; background: #eceff1; padding: 0 3px; border-radius: 2px; }
`;

export function layout(title: string, body: Raw, extraHead: Raw = new Raw('')): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <title>${title} · nianbao</title>
        <style>
          ${new Raw(CSS)}
        </style>
        ${extraHead}
      </head>
      <body>
        <header>
          <strong>nianbao 年报</strong><a href="/">coverage</a><a href="/portals">portal health</a
          ><a href="/quality">quality</a><a href="/reports">reports</a><a href="/codebook">codebook</a
          ><a href="/api/reports">API</a>
        </header>
        <main>${body}</main>
      </body>
    </html>`.text;
}
