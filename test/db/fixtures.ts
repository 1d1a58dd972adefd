// A hand-made, schema-valid 2021-template report for store tests: every request cell has a provenance entry.
import { REQUEST_COLUMNS, REQUEST_ROWS } from '../../extractors/template/keys.ts';
import type { Cell, Report, Row } from '../../extractors/report.ts';
import type { DocumentOrigin } from '../../core/origin.ts';
import type { Store } from '../../db/store-types.ts';

export interface ReportSpec {
  agency?: string | null;
  year?: number | null;
  regionCode?: string | null;
  extractor?: string;
  /** Per-column values of requests.carried_over / carried_forward (default 1 and 2 in every column). */
  carriedOver?: number;
  carriedForward?: number;
  flags?: Report['flags'];
}

/** requests.<row>.<col> = a distinct number per cell (row index * 10 + column index), except the carry rows. */
export function makeReport(spec: ReportSpec = {}): Report {
  const requests: Record<string, Row> = {};
  const cells: Cell[] = [];
  REQUEST_ROWS.filter(([, , t]) => (t as readonly string[]).includes('2021')).forEach(([row], rowIndex) => {
    requests[row] = {};
    REQUEST_COLUMNS.forEach(([col], colIndex) => {
      let value = rowIndex * 10 + colIndex;
      if (row === 'carried_over') value = spec.carriedOver ?? 1;
      if (row === 'carried_forward') value = spec.carriedForward ?? 2;
      requests[row][col] = value;
      cells.push({
        path: `requests.${row}.${col}`,
        raw: String(value),
        value,
        at: { table: 2, row: rowIndex + 3, col: colIndex + 2 },
      });
    });
  });
  requests.granted.research = null;
  const blank = cells.find((c) => c.path === 'requests.granted.research')!;
  blank.raw = '';
  blank.value = null;
  return {
    schema: 'nianbao.report/1',
    template: '2021',
    title: `${spec.agency ?? '某单位'}${spec.year ?? ''}年政府信息公开工作年度报告`,
    agency: spec.agency === undefined ? '绥滨县连生乡人民政府' : spec.agency,
    year: spec.year === undefined ? 2021 : spec.year,
    region_code: spec.regionCode === undefined ? '230422' : spec.regionCode,
    published_at: '2022-01-20',
    active: { regulations: { issued: 0, repealed: 0, in_force: 3 }, licensing: { decisions: 12 } },
    requests,
    appeals: { review: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 } },
    sections: { overview: '一、总体情况 …', problems: '五、存在的主要问题 …' },
    flags: spec.flags ?? [
      { code: 'CELL_BLANK', severity: 'info', path: 'requests.granted.research', message: 'blank' },
    ],
    cells: [
      ...cells,
      { path: 'active.regulations.in_force', raw: '3', value: 3, at: { table: 1, row: 2, col: 4 } },
      { path: 'appeals.review.upheld', raw: '1', value: 1, at: { table: 3, row: 3, col: 1 } },
    ],
    extractor: spec.extractor ?? 'nianbao-extract@0.1.0',
    format: 'html',
  };
}

let archivedSerial = 0;
/** Archives distinct bytes under a portal-like URL (`prefix-label-N`): a document a report can be loaded for. */
export async function archiveDistinct(store: Store, prefix: string, label: string): Promise<DocumentOrigin> {
  const url = `http://www.suibin.gov.cn/art/2022/1/20/${prefix}-${label}-${archivedSerial++}.html`;
  const doc = await store.archiveDocument(Buffer.from(`<html><body>${url}</body></html>`), {
    url,
    contentType: 'text/html',
  });
  return { sha256: doc.sha256, url };
}
