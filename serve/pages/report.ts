// /reports/:key — one report: its values as the template prints them with each cell's flags, the source next to it
// with the selected cell marked, the fetch history of the document and every extractor version under the key.
import type pg from 'pg';
import type { SourceAt } from '../../extractors/report.ts';
import { html, layout, query, Raw } from '../html.ts';
import { NotFound } from '../params.ts';
import { fetchHistory, reportCells, reportDetail, reportFlags, reportVersions, type CellRow } from '../queries.ts';
import { flagBadges, flagsOf, templateValues } from '../report-layout.ts';
import type { DocumentSource } from '../source/documents.ts';
import { renderModel } from '../source/model-view.ts';
import { pdfFigure } from '../source/pdf-view.ts';
import { HTML_MARK_ID } from '../source/html-mark.ts';

export interface ReportPageDeps {
  pool: pg.Pool;
  sources: DocumentSource;
  /** The review panel (serve/review-ui.ts) for this report, when that module is there. */
  reviewPanel?: (input: {
    key: string;
    reportId: number;
    cells: CellRow[];
    selected: string | null;
  }) => Promise<string> | string;
}

/** The version shown: ?version=<extractor version>, else the current one, else the newest. */
export async function chooseVersion(pool: pg.Pool, key: string, version: string | null) {
  const versions = await reportVersions(pool, key);
  if (!versions.length) throw new NotFound(`no report with key ${key}`);
  const chosen = version ? versions.find((ver) => ver.extractor_version === version) : versions[0];
  if (!chosen) throw new NotFound(`report ${key} has no version ${version}`);
  return { versions, chosen };
}

const when = (time: unknown) =>
  time instanceof Date ? time.toISOString().replace('T', ' ').slice(0, 19) : String(time ?? '');

export async function reportPage(
  deps: ReportPageDeps,
  key: string,
  opts: { cell: string | null; version: string | null },
): Promise<string> {
  const { versions, chosen } = await chooseVersion(deps.pool, key, opts.version);
  const [detail, cells, flags] = await Promise.all([
    reportDetail(deps.pool, chosen.report_id),
    reportCells(deps.pool, chosen.report_id),
    reportFlags(deps.pool, chosen.report_id),
  ]);
  if (!detail) throw new NotFound(`no report with key ${key}`);

  const byPath = new Map(cells.items.map((cell) => [cell.path, cell]));
  const version = opts.version;
  const link = (path: string) => `/reports/${key}${query({ cell: path, version })}`;
  const selected = opts.cell && byPath.has(opts.cell) ? opts.cell : null;
  const cell = selected ? byPath.get(selected)! : null;
  const [history, panel] = await Promise.all([
    fetchHistory(deps.pool, detail.document_sha256),
    deps.reviewPanel ? deps.reviewPanel({ key, reportId: chosen.report_id, cells: cells.items, selected }) : '',
  ]);

  const source = await sourcePanel(deps, detail, key, cell, version);
  const values = templateValues({ cells: byPath, flags, selected, link }, detail.template);
  const cellFlags = cell ? flagsOf(flags, cell.path) : [];
  const label = cell ? (detail.data?.cells ?? []).find((c: { path: string }) => c.path === cell.path)?.label : null;

  const body = html`<h1>${detail.title ?? detail.agency ?? key}</h1>
    <p>
      ${detail.agency} · ${detail.province ?? ''} ${detail.prefecture ?? ''} ${detail.county ?? ''}
      (${detail.region_code ?? 'no region'}) · ${detail.year ?? 'year unknown'} · template ${detail.template} · key
      <code>${key}</code> · ${detail.extractor}
      ${detail.status === 'current' ? '' : html`<strong>(superseded version)</strong>`} ·
      <a href="/api/reports/${key}">JSON</a> · <a href="/api/reports/${key}/cells?limit=500">cells JSON</a>
    </p>
    ${opts.cell && !selected ? html`<p class="flag sev-warning">this report has no cell ${opts.cell}</p>` : ''}
    <div class="report">
      <section class="values">
        ${
          cell
            ? html`<div class="selected-cell">
                <strong>selected:</strong> <code>${cell.path}</code>${label ? html` (${label})` : ''} =
                <strong>${cell.value ?? 'null'}</strong>, printed <code>${cell.raw ?? ''}</code>, at
                <code>${JSON.stringify(cell.at)}</code> ${flagBadges(cellFlags)}
              </div>`
            : html`<p class="muted">Click a value to see it in the source.</p>`
        }
        ${values}
      </section>
      <section class="source" id="source">${source}</section>
    </div>
    ${new Raw(panel)}
    <h2>flags (${flags.length})</h2>
    <table>
      <tr>
        <th>severity</th>
        <th>code</th>
        <th>path</th>
        <th>message</th>
        <th>origin</th>
      </tr>
      ${flags.map(
        (flag) =>
          html`<tr data-flag-code="${flag.code}" data-path="${flag.path ?? ''}">
            <td><span class="flag sev-${flag.severity}">${flag.severity}</span></td>
            <td>${flag.code}</td>
            <td>
              ${flag.path && byPath.has(flag.path) ? html`<a href="${link(flag.path)}">${flag.path}</a>` : flag.path}
            </td>
            <td>${flag.message}</td>
            <td>${flag.origin}</td>
          </tr>`,
      )}
    </table>
    <h2>versions under this key (${versions.length})</h2>
    <table>
      <tr>
        <th>extractor version</th>
        <th>status</th>
        <th>loaded</th>
        <th>template</th>
        <th>errors</th>
        <th>warnings</th>
        <th>infos</th>
        <th>cells</th>
      </tr>
      ${versions.map(
        (ver) =>
          html`<tr${ver.report_id === chosen.report_id ? new Raw(' class="selected"') : ''}><td><a href="/reports/${key}${query(
            {
              version: ver.extractor_version,
              cell: selected,
            },
          )}">${ver.extractor_version}</a></td><td>${ver.status}</td><td>${when(ver.loaded_at)}</td><td>${ver.template}</td><td>${ver.errors}</td><td>${ver.warnings}</td><td>${ver.infos}</td><td>${ver.cells}</td></tr>`,
      )}
    </table>
    <h2>fetch history of the document (${history.length})</h2>
    <p class="small">
      document <code>${detail.document_sha256}</code>, ${detail.document_size} bytes,
      ${detail.content_type ?? 'no content type'}, first archived from
      <a href="${detail.first_url}" rel="noreferrer">${detail.first_url}</a>
    </p>
    <table>
      <tr>
        <th>fetched</th>
        <th>URL</th>
        <th>status</th>
        <th>sha256</th>
        <th>size</th>
        <th>note</th>
      </tr>
      ${history.map(
        (flag) =>
          html`<tr>
            <td>${when(flag.fetched_at)}</td>
            <td>${flag.url}${flag.final_url && flag.final_url !== flag.url ? html` → ${flag.final_url}` : ''}</td>
            <td>${flag.status ?? ''}</td>
            <td>
              <code>${flag.sha256 ? String(flag.sha256).slice(0, 12) : ''}</code>${
                flag.sha256 === detail.document_sha256 ? ' (this document)' : ''
              }
            </td>
            <td>${flag.size ?? ''}</td>
            <td>${flag.not_modified ? '304 not modified' : ''}${flag.error ?? ''}</td>
          </tr>`,
      )}
    </table>`;
  return layout(
    `${detail.agency ?? key} ${detail.year ?? ''}`,
    body,
    new Raw('<link rel="stylesheet" href="/static/pdfjs/web/pdf_viewer.css">'),
  );
}

async function sourcePanel(
  deps: ReportPageDeps,
  detail: NonNullable<Awaited<ReturnType<typeof reportDetail>>>,
  key: string,
  cell: CellRow | null,
  version: string | null,
): Promise<Raw> {
  const at = (cell?.at ?? null) as SourceAt | null;
  let doc;
  try {
    doc = await deps.sources.load(detail.document_sha256, { contentType: detail.content_type, url: detail.first_url });
  } catch (err) {
    return html`<p class="flag sev-error">the archived document cannot be read: ${(err as Error).message}</p>`;
  }
  const head = html`<h2>source (${doc.format.toUpperCase()})</h2>
    <p class="small">
      <a href="/reports/${key}/document">archived bytes</a> ·
      <a href="${detail.source_url}" rel="noreferrer">${detail.source_url}</a>
    </p>`;
  if (doc.format === 'pdf') return html`${head}${pdfFigure(`/reports/${key}/document`, at, null)}`;
  if (doc.format === 'html') {
    const src = `/reports/${key}/source${query({ cell: cell?.path, version })}#${HTML_MARK_ID}`;
    // sandbox without allow-scripts: nothing of the archived page runs; the route also sends a CSP forbidding scripts
    return html`${head}<iframe id="source-frame" sandbox="" src="${src}" title="archived page"></iframe>`;
  }
  try {
    const model = await deps.sources.model(doc);
    const rendered = renderModel(model, at, cell?.raw ?? null);
    const note =
      at && !rendered.found
        ? html`<p class="flag sev-warning">the cell's position ${JSON.stringify(at)} is not in the document model</p>`
        : '';
    return html`${head}
      <p class="small muted">the document's tables as the ${doc.format.toUpperCase()} reader sees them</p>
      ${note}${rendered.html}
      <script src="/static/centre.js"></script>`;
  } catch (err) {
    return html`${head}
      <p class="flag sev-error">the reader cannot read the document: ${(err as Error).message}</p>`;
  }
}
