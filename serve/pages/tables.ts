// The operator and quality pages: portal health, flags by code with the worst reports, and the report listing.
import type pg from 'pg';
import { html, layout, query, type Raw } from '../html.ts';
import type { Paging } from '../params.ts';
import { flagCounts, listReports, portalHealthPage, STALE_DAYS, worstReports, type ReportFilter } from '../queries.ts';

const when = (time: unknown) => (time instanceof Date ? time.toISOString().slice(0, 16).replace('T', ' ') : '');

function pager(base: string, params: Record<string, string | number | null>, page: Paging, total: number | null): Raw {
  const prev = page.offset > 0 ? Math.max(0, page.offset - page.limit) : null;
  const next = total === null || page.offset + page.limit < total ? page.offset + page.limit : null;
  return html`<nav class="pager">
    ${
      prev !== null
        ? html`<a href="${base}${query({ ...params, limit: page.limit, offset: prev })}">← previous</a>`
        : ''
    }${total !== null ? html`<span class="muted">${page.offset + 1}–${Math.min(total, page.offset + page.limit)} of ${total}</span> ` : ''}${
      next !== null && (total === null || next < total)
        ? html`<a href="${base}${query({ ...params, limit: page.limit, offset: next })}">next →</a>`
        : ''
    }
  </nav>`;
}

export async function portalsPage(pool: pg.Pool, page: Paging): Promise<string> {
  const health = await portalHealthPage(pool, page);
  const body = html`<h1>Portal health</h1>
    <p>
      ${health.crawled} portals crawled, ${health.never_crawled} never crawled. Broken (last crawl failed) first, then
      stale (no successful crawl for ${STALE_DAYS} days), then the rest. View <code>v_portal_health</code>.
    </p>
    <table>
      <tr>
        <th>health</th>
        <th>region</th>
        <th>name</th>
        <th>portal</th>
        <th>verdict</th>
        <th>last run</th>
        <th>outcome</th>
        <th>last success</th>
        <th>failures in a row</th>
        <th>last error</th>
      </tr>
      ${health.items.map(
        (portal) =>
          html`<tr class="health-${portal.health}">
            <td>
              <span
                class="flag ${portal.health === 'broken' ? 'sev-error' : portal.health === 'stale' ? 'sev-warning' : 'sev-info'}"
                >${portal.health}</span
              >
            </td>
            <td>${portal.region_code ?? ''}</td>
            <td>${portal.name ?? ''}</td>
            <td class="small">
              ${portal.base_url}${portal.moved_to ? ` → ${portal.moved_to}` : ''}${portal.enabled ? '' : ' (disabled)'}
            </td>
            <td>${portal.verdict ?? ''}</td>
            <td>${when(portal.last_run_at)}</td>
            <td>${portal.last_outcome ?? ''}</td>
            <td>${when(portal.last_success_at)}</td>
            <td class="num">${portal.consecutive_failures}</td>
            <td class="small">${portal.last_error ?? ''}</td>
          </tr>`,
      )}
    </table>
    ${pager('/portals', {}, page, health.crawled)}`;
  return layout('portal health', body);
}

export async function qualityPage(pool: pg.Pool, page: Paging, code: string | null): Promise<string> {
  const [counts, worst] = await Promise.all([
    flagCounts(pool, { severity: null, code: null }),
    worstReports(pool, page, code),
  ]);
  const body = html`<h1>Quality</h1>
    <h2>flags of current reports by code</h2>
    <table>
      <tr>
        <th>code</th>
        <th>severity</th>
        <th>flags</th>
        <th>reports</th>
      </tr>
      ${counts.map(
        (row) =>
          html`<tr>
            <td><a href="/quality${query({ code: row.code })}">${row.code}</a></td>
            <td><span class="flag sev-${row.severity}">${row.severity}</span></td>
            <td class="num">${row.flags}</td>
            <td class="num">${row.reports}</td>
          </tr>`,
      )}
    </table>
    <h2>worst reports${code ? html` with ${code}` : ''} (most errors, then warnings, then blank cells)</h2>
    <table>
      <tr>
        <th>report</th>
        <th>region</th>
        <th>year</th>
        <th>agency</th>
        <th>template</th>
        <th>errors</th>
        <th>warnings</th>
        <th>infos</th>
        <th>cells</th>
        <th>null</th>
        <th>codes</th>
      </tr>
      ${worst.map(
        (report) =>
          html`<tr>
            <td><a href="/reports/${report.key}">${report.key}</a></td>
            <td>${report.region_code ?? ''}</td>
            <td>${report.year ?? ''}</td>
            <td>${report.agency ?? ''}</td>
            <td>${report.template}</td>
            <td class="num">${report.errors}</td>
            <td class="num">${report.warnings}</td>
            <td class="num">${report.infos}</td>
            <td class="num">${report.cells}</td>
            <td class="num">${report.cells_null}</td>
            <td class="small">${(report.flag_codes as string[]).join(' ')}</td>
          </tr>`,
      )}
    </table>
    ${pager('/quality', { code }, page, null)}`;
  return layout('quality', body);
}

export async function reportsPage(pool: pg.Pool, filter: ReportFilter, page: Paging): Promise<string> {
  const { total, items } = await listReports(pool, filter, page);
  const params = { region: filter.region, year: filter.year, agency: filter.agency, template: filter.template };
  const body = html`<h1>
      Reports${filter.region ? ` of ${filter.region}` : ''}${filter.year ? ` for ${filter.year}` : ''}
    </h1>
    <form method="get" action="/reports">
      region <input name="region" size="6" value="${filter.region ?? ''}" /> year
      <input name="year" size="4" value="${filter.year ?? ''}" /> agency
      <input name="agency" value="${filter.agency ?? ''}" /> template
      <input name="template" size="6" value="${filter.template ?? ''}" /> <button>filter</button>
    </form>
    <p>${total} current report(s) · <a href="/api/reports${query(params)}">JSON</a></p>
    <table>
      <tr>
        <th>key</th>
        <th>region</th>
        <th>county</th>
        <th>year</th>
        <th>agency</th>
        <th>kind</th>
        <th>template</th>
        <th>errors</th>
        <th>warnings</th>
        <th>cells</th>
      </tr>
      ${items.map(
        (report) =>
          html`<tr>
            <td><a href="/reports/${report.key}">${report.key}</a></td>
            <td>${report.region_code ?? ''}</td>
            <td>${report.county ?? ''}</td>
            <td>${report.year ?? ''}</td>
            <td>${report.agency ?? ''}</td>
            <td>${report.agency_kind ?? ''}</td>
            <td>${report.template}</td>
            <td class="num">${report.errors}</td>
            <td class="num">${report.warnings}</td>
            <td class="num">${report.cells}</td>
          </tr>`,
      )}
    </table>
    ${pager('/reports', params, page, total)}`;
  return layout('reports', body);
}
