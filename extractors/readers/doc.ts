// Legacy Word (.doc, and .wps files that are Word binaries inside OLE) → document model. Rows are cut at the
// row-end marks the paragraph properties name (not guessed from "\t\t"), columns come from each row's cell
// boundaries (sprmTDefTable), so horizontally merged cells get their colspan and vertical merges their rowspan.
import type { Block, DocumentModel, Reader, TableCell } from '../model.ts';
import { InputError } from '../../core/errors.ts';
import { readBinaryDoc, type ParaProps, type RowDef } from './doc/binary.ts';

interface RawRow {
  cells: string[];
  def?: RowDef;
}

/** Field codes keep only their result; Word's control characters become text or nothing. */
function clean(s: string): string {
  let out = s;
  for (let guard = 0; guard < 10 && /\x13/.test(out); guard++)
    out = out.replace(/\x13[^\x13\x14\x15]*(?:\x14([^\x13\x14\x15]*))?\x15/g, (_m, res) => res ?? '');
  return out
    .replace(/[\x0b]/g, '\n')
    .replace(/\x1e/g, '-')
    .replace(/[\x00-\x08\x0c\x0e-\x1f]/g, '')
    .replace(/[ \t\u00a0\u3000]+/g, (m) => (m.includes('\u3000') && m.length > 1 ? ' ' : m === '\t' ? ' ' : m))
    .trim();
}

function propsAt(paras: ParaProps[], cp: number): ParaProps | undefined {
  let lo = 0;
  let hi = paras.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = paras[mid];
    if (cp < p.cpStart) hi = mid - 1;
    else if (cp >= p.cpEnd) lo = mid + 1;
    else return p;
  }
  return undefined;
}

/** Rows with their cell boundaries → a rectangular grid with spans expanded. */
export function toGrid(rows: RawRow[], index: number): TableCell[][] {
  const TOL = 30; // twips (1.5 pt): boundaries of the same column drawn in different rows
  const pivots: number[] = [];
  for (const r of rows)
    if (r.def && r.def.bounds.length === r.cells.length + 1)
      for (const b of r.def.bounds) if (!pivots.some((p) => Math.abs(p - b) <= TOL)) pivots.push(b);
  pivots.sort((a, b) => a - b);
  const col = (x: number) => {
    let best = 0;
    for (let k = 1; k < pivots.length; k++) if (Math.abs(pivots[k] - x) < Math.abs(pivots[best] - x)) best = k;
    return best;
  };
  const placed = rows.map((r) =>
    r.def && r.def.bounds.length === r.cells.length + 1 && pivots.length > 1
      ? r.cells.map((text, i) => ({
          text,
          c0: col(r.def!.bounds[i]),
          c1: col(r.def!.bounds[i + 1]),
          cont: r.def!.vMergeCont[i],
        }))
      : r.cells.map((text, i) => ({ text, c0: i, c1: i + 1, cont: false })),
  );
  const C = Math.max(1, ...placed.map((r) => Math.max(0, ...r.map((c) => c.c1))));
  const grid: (TableCell | undefined)[][] = rows.map(() => new Array(C).fill(undefined));
  placed.forEach((r, ri) => {
    for (const [k, c] of r.entries()) {
      if (c.c1 <= c.c0) continue;
      const above = ri > 0 ? grid[ri - 1][c.c0] : undefined;
      if (c.cont && above) {
        // continuation of a vertical merge: the cell above grows, this position is its copy
        const origin = above.origin ? above : findOrigin(grid, ri - 1, c.c0);
        if (origin) {
          origin.rowspan += 1;
          for (let x = c.c0; x < c.c1; x++) grid[ri][x] = { ...origin, origin: false };
          continue;
        }
      }
      const cell: TableCell = {
        text: c.text,
        at: { table: index, row: ri, col: c.c0 },
        origin: true,
        rowspan: 1,
        colspan: c.c1 - c.c0,
      };
      void k;
      for (let x = c.c0; x < c.c1; x++) grid[ri][x] = x === c.c0 ? cell : { ...cell, origin: false };
    }
  });
  // Copies made before their origin grew share its final rowspan.
  return grid.map((row, ri) =>
    row.map((c, ci) => {
      if (!c) return { text: '', at: { table: index, row: ri, col: ci }, origin: true, rowspan: 1, colspan: 1 };
      if (!c.origin) {
        const o = findOrigin(grid, ri, ci);
        if (o) return { ...o, origin: false };
      }
      return c;
    }),
  );
}

function findOrigin(grid: (TableCell | undefined)[][], r: number, c: number): TableCell | undefined {
  const cell = grid[r][c];
  if (!cell) return undefined;
  const at = cell.at;
  const o = grid[at.row ?? r]?.[at.col ?? c];
  return o?.origin ? o : undefined;
}

export const readDoc: Reader = async (bytes) => {
  const magic = Buffer.from(bytes.subarray(0, 8));
  if (magic.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
    throw new InputError('not a binary Word file: this is a ZIP (DOCX?)');
  if (magic.toString('latin1').startsWith('{\\rtf')) throw new InputError('not a binary Word file: this is RTF');
  if (!magic.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    throw new InputError('not a Word binary document: no OLE compound file header (an old WPS-format file?)');
  let doc;
  try {
    doc = await readBinaryDoc(bytes);
  } catch (e) {
    const err = e as Error;
    // a TypeError/RangeError from deep inside the parser means damaged structure, not a bug worth a stack trace
    const why =
      err instanceof TypeError || err instanceof RangeError
        ? `damaged OLE or Word structure (${err.message})`
        : (err?.message ?? String(e));
    throw new InputError(`corrupt DOC: ${why}`);
  }
  const { text, paras } = doc;
  const blocks: Block[] = [];
  let para = '';
  let cellLines: string[] = [];
  let row: string[] = [];
  let rows: RawRow[] = [];
  let paraNo = 0;
  let tableIndex = 0;
  const closeTable = () => {
    if (!rows.length) return;
    const index = tableIndex++;
    blocks.push({ kind: 'table', index, rows: toGrid(rows, index), at: { table: index } });
    rows = [];
  };
  for (let cp = 0; cp < text.length; cp++) {
    const ch = text[cp];
    if (ch !== '\r' && ch !== '\x07' && ch !== '\x0c') {
      para += ch;
      continue;
    }
    const props = propsAt(paras, cp);
    const inTable = !!props?.inTable;
    if (inTable && (props!.depth ?? 1) > 1) {
      para += ' '; // nested table: its text stays inside the outer cell
      continue;
    }
    if (inTable && ch === '\x07' && props!.ttp) {
      rows.push({ cells: row, def: props!.rowDef });
      row = [];
      cellLines = [];
      para = '';
    } else if (inTable && ch === '\x07') {
      cellLines.push(clean(para));
      row.push(
        cellLines
          .filter((l, i) => l || i > 0)
          .join('\n')
          .trim(),
      );
      cellLines = [];
      para = '';
    } else if (inTable) {
      cellLines.push(clean(para));
      para = '';
    } else {
      closeTable();
      paraNo++;
      const t = clean(para);
      if (t) blocks.push({ kind: 'paragraph', text: t, at: { line: paraNo } });
      para = '';
    }
  }
  closeTable();
  const last = clean(para);
  if (last) blocks.push({ kind: 'paragraph', text: last, at: { line: ++paraNo } });
  const first = blocks.find((b) => b.kind === 'paragraph');
  return {
    format: 'doc',
    blocks,
    meta: { title: first && first.text.length <= 80 ? first.text : null },
    flags: [],
  } satisfies DocumentModel;
};

export default readDoc;
