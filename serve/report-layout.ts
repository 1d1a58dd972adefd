// The values of a report laid out as the State Council template prints them (spec/SCHEMA.md, labels from
// extractors/template/keys.ts): section 二 as the template's sub-tables, section 三 as rows × applicant columns,
// section 四 as one row of 15 values under its three-level header. Each value links to ?cell=<path>.
import {
  ACTIVE_LAYOUT,
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
} from '../extractors/template/keys.ts';
import { html, type Raw } from './html.ts';
import type { CellRow, FlagRow } from './queries.ts';

export interface LayoutContext {
  cells: Map<string, CellRow>;
  flags: FlagRow[];
  selected: string | null;
  /** URL of the page for a cell path. */
  link(path: string): string;
}

/** Flags whose path names a column of section 三 (`requests.<column>`, checks.ts), not a row. */
const COLUMN_FLAGS = new Set(['BALANCE_MISMATCH']);

/**
 * Flags about a cell: on its path, on its row (`requests.new`, `appeals.review`), or, for the column checks, on its
 * column of section 三 (`requests.total` of BALANCE_MISMATCH is the 总计 column; of ROW_MISSING it is the （七）总计 row).
 */
export function flagsOf(flags: FlagRow[], path: string): FlagRow[] {
  const [section, , col] = path.split('.');
  return flags.filter((flag) =>
    COLUMN_FLAGS.has(flag.code)
      ? section === 'requests' && flag.path === `requests.${col}`
      : flag.path === path || (!!flag.path && flag.path.includes('.') && path.startsWith(flag.path + '.')),
  );
}

/** A cell's flags in the values table: initials (VALUE_IMPLAUSIBLE → VI) so the printed layout keeps its width; the
 *  code and message are in the title, and in full under the selected cell and in the flags table. */
export function flagMarks(flags: FlagRow[]): Raw {
  return html`${flags.map(
    (flag) =>
      html`<span class="flag sev-${flag.severity}" title="${flag.code}: ${flag.message}"
        >${flag.code
          .split('_')
          .map((word) => word[0])
          .join('')}</span
      >`,
  )}`;
}

export function flagBadges(flags: FlagRow[]): Raw {
  return html`${flags.map((flag) => html`<span class="flag sev-${flag.severity}" title="${flag.message}">${flag.code}</span>`)}`;
}

function valueCell(ctx: LayoutContext, path: string): Raw {
  const cell = ctx.cells.get(path);
  if (!cell) return html`<td class="num absent" data-path="${path}"></td>`;
  const flags = flagsOf(ctx.flags, path);
  const classes = ['num', flags.length ? 'flagged' : '', ctx.selected === path ? 'selected' : ''].filter(Boolean);
  const shown = cell.value ?? (cell.raw ? cell.raw : '');
  const title = [
    `${path}`,
    `raw: ${cell.raw ?? '(blank)'}`,
    ...flags.map((flag) => `${flag.code}: ${flag.message}`),
  ].join('\n');
  return html`<td class="${classes.join(' ')}" data-path="${path}" title="${title}">
    <a href="${ctx.link(path)}">${cell.value === null ? html`<span class="muted">${shown || '·'}</span>` : shown}</a
    >${flags.length ? html`<div>${flagMarks(flags)}</div>` : ''}
  </td>`;
}

function activeSection(ctx: LayoutContext, template: string): Raw {
  const layout = ACTIVE_LAYOUT[template === '2019' ? '2019' : '2021'];
  // consecutive rows with the same columns are one printed sub-table
  const groups: Array<(typeof layout)[number][]> = [];
  for (const row of layout) {
    const last = groups.at(-1);
    const same = last && last[0][2].map((c) => c[0]).join() === row[2].map((c) => c[0]).join();
    if (same) last.push(row);
    else groups.push([row]);
  }
  return html`${groups.map(
    (group) =>
      html`<table class="active">
        <tr>
          <th>信息内容</th>
          ${group[0][2].map(([, label]) => html`<th>${label}</th>`)}
        </tr>
        ${group.map(
          ([row, label, cols]) =>
            html`<tr>
              <th>${label}</th>
              ${cols.map(([col]) => valueCell(ctx, `active.${row}.${col}`))}
            </tr>`,
        )}
      </table>`,
  )}`;
}

function requestSection(ctx: LayoutContext, template: string): Raw {
  const rows = REQUEST_ROWS.filter(
    ([row, , templates]) =>
      (templates as readonly string[]).includes(template) ||
      REQUEST_COLUMNS.some(([col]) => ctx.cells.has(`requests.${row}.${col}`)),
  );
  const legal = REQUEST_COLUMNS.slice(1, 6);
  return html`<table class="requests">
    <tr>
      <th rowspan="2">本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和</th>
      <th rowspan="2">${REQUEST_COLUMNS[0][1]}</th>
      <th colspan="5">法人或其他组织</th>
      <th rowspan="2">${REQUEST_COLUMNS[6][1]}</th>
    </tr>
    <tr>
      ${legal.map(([, label]) => html`<th>${label}</th>`)}
    </tr>
    ${rows.map(
      ([row, label]) =>
        html`<tr>
          <th>${label}</th>
          ${REQUEST_COLUMNS.map(([col]) => valueCell(ctx, `requests.${row}.${col}`))}
        </tr>`,
    )}
  </table>`;
}

function appealSection(ctx: LayoutContext): Raw {
  const [review, ...suits] = APPEAL_GROUPS;
  return html`<table class="appeals">
    <tr>
      <th colspan="5" rowspan="2">${review[1]}</th>
      <th colspan="10">行政诉讼</th>
    </tr>
    <tr>
      ${suits.map(([, label]) => html`<th colspan="5">${label.replace('行政诉讼·', '')}</th>`)}
    </tr>
    <tr>
      ${APPEAL_GROUPS.map(() => APPEAL_COLUMNS.map(([, label]) => html`<th>${label}</th>`))}
    </tr>
    <tr>
      ${APPEAL_GROUPS.map(([group]) => APPEAL_COLUMNS.map(([col]) => valueCell(ctx, `appeals.${group}.${col}`)))}
    </tr>
  </table>`;
}

/** Paths the template layout of this report does not show (an unknown template, a stray row). */
function strayCells(ctx: LayoutContext, shown: string): Raw {
  const stray = [...ctx.cells.keys()].filter((path) => !shown.includes(`data-path="${path}"`));
  if (!stray.length) return html``;
  return html`<h3>other cells</h3>
    <table>
      <tr>
        <th>path</th>
        <th>value</th>
      </tr>
      ${stray.map(
        (path) =>
          html`<tr>
            <td><code>${path}</code></td>
            ${valueCell(ctx, path)}
          </tr>`,
      )}
    </table>`;
}

export function templateValues(ctx: LayoutContext, template: string): Raw {
  const body = html`<h2>二、主动公开政府信息情况</h2>
    ${activeSection(ctx, template)}
    <h2>三、收到和处理政府信息公开申请情况</h2>
    ${requestSection(ctx, template)}
    <h2>四、政府信息公开行政复议、行政诉讼情况</h2>
    ${appealSection(ctx)}`;
  return html`${body}${strayCells(ctx, body.text)}`;
}
