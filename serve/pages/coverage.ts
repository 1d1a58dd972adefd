// The coverage matrix (v_coverage): the country by province and year, then a province's counties × years, each cell
// coloured by its state and linking to the reports of that county and year.
import type pg from 'pg';
import { COVERAGE_STATES } from '../../db/queries/coverage.ts';
import { html, layout, query, type Raw } from '../html.ts';
import { coverageByProvince, coverageCells, coverageWithData } from '../queries.ts';

type Cell = Awaited<ReturnType<typeof coverageWithData>>[number];

/** The home page's matrix stays readable once the crawl covers the country; the province pages have the rest. */
const HOME_COUNTIES = 300;

const stateClass = (state: string) => `s-${state.replace(/ /g, '-')}`;

function legend(): Raw {
  return html`<p class="small">
    ${COVERAGE_STATES.map((state) => html`<span class="state ${stateClass(state)}"></span>${state} &nbsp; `)}
  </p>`;
}

/** Counties as rows, years as columns. */
function matrix(cells: Cell[]): Raw {
  const years = [...new Set(cells.map((c) => c.year))].sort((a, b) => a - b);
  const counties = new Map<string, Cell[]>();
  for (const cell of cells) counties.set(cell.region_code, [...(counties.get(cell.region_code) ?? []), cell]);
  return html`<table class="matrix">
    <tr>
      <th>code</th>
      <th>county</th>
      <th>prefecture</th>
      ${years.map((y) => html`<th>${y}</th>`)}
    </tr>
    ${[...counties].map(([code, row]) => {
      const byYear = new Map(row.map((c) => [c.year, c]));
      return html`<tr>
        <td>${code}</td>
        <td>${row[0].county}</td>
        <td class="small">${row[0].prefecture ?? ''}</td>
        ${years.map((year) => {
          const cell = byYear.get(year);
          if (!cell) return html`<td></td>`;
          const title = `${cell.county} ${year}: ${cell.state}; ${cell.bodies} bodies loaded, ${cell.listed} listed`;
          return html`<td
            class="cell ${stateClass(cell.state)}"
            data-region="${code}"
            data-year="${year}"
            data-state="${cell.state}"
            title="${title}"
          >
            <a href="/reports${query({ region: code, year })}"
              >${cell.bodies || (cell.listed ? `(${cell.listed})` : '·')}</a
            >
          </td>`;
        })}
      </tr>`;
    })}
  </table>`;
}

export async function coverageHome(pool: pg.Pool): Promise<string> {
  const [totals, withData] = await Promise.all([coverageByProvince(pool), coverageWithData(pool)]);
  const counties = [...new Set(withData.map((cell) => cell.region_code))];
  const first = new Set(counties.slice(0, HOME_COUNTIES));
  const shown = withData.filter((cell) => first.has(cell.region_code));
  const years = [...new Set(totals.map((t) => t.year))].sort((a, b) => a - b);
  // per province and year: counties by state, and how many have a report loaded (stale ones may or may not)
  const provinces = new Map<string, Map<number, { states: Map<string, number>; withReports: number }>>();
  for (const row of totals) {
    const byYear = provinces.get(row.province) ?? new Map();
    const cell = byYear.get(row.year) ?? { states: new Map<string, number>(), withReports: 0 };
    cell.states.set(row.state, row.counties);
    cell.withReports += row.with_reports;
    byYear.set(row.year, cell);
    provinces.set(row.province, byYear);
  }
  const body = html`<h1>Coverage: every county of the national registry × report year</h1>
    ${legend()}
    <h2>counties with reports listed or loaded (${counties.length})</h2>
    ${withData.length ? matrix(shown) : html`<p class="muted">no county has a report listed or loaded yet</p>`}
    ${
      counties.length > HOME_COUNTIES
        ? html`<p class="muted">the first ${HOME_COUNTIES} by code; every county is on its province's page below</p>`
        : ''
    }
    <h2>by province: counties with reports loaded / counties</h2>
    <table class="provinces">
      <tr>
        <th>province</th>
        ${years.map((y) => html`<th>${y}</th>`)}
      </tr>
      ${[...provinces].map(
        ([province, byYear]) =>
          html`<tr>
            <td><a href="/coverage${query({ province })}">${province}</a></td>
            ${years.map((year) => {
              const { states, withReports } = byYear.get(year) ?? { states: new Map<string, number>(), withReports: 0 };
              const all = [...states.values()].reduce((a, b) => a + b, 0);
              const title = [...states].map(([state, n]) => `${state} ${n}`).join(', ');
              return html`<td class="num" data-province="${province}" data-year="${year}" title="${title}">
                ${withReports}/${all}
              </td>`;
            })}
          </tr>`,
      )}
    </table>
    <p class="small muted">
      A cell's states: see <code>nianbao coverage --help</code>; the view is <code>v_coverage</code>; as JSON:
      <a href="/api/coverage">/api/coverage</a>.
    </p>`;
  return layout('coverage', body);
}

export async function coverageProvince(pool: pg.Pool, province: string): Promise<string | null> {
  const { items } = await coverageCells(pool, { province, region: null, year: null, state: null });
  if (!items.length) return null;
  const body = html`<h1>Coverage of ${province}</h1>
    ${legend()}${matrix(items)}
    <p class="small">
      <a href="/">all provinces</a> · <a href="/api/coverage${query({ province, limit: 500 })}">JSON</a>
    </p>`;
  return layout(`coverage ${province}`, body);
}
