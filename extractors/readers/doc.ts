// Legacy Word (.doc, and .wps files that are Word binaries inside OLE) → document model. Rows are cut at the
// row-end marks the paragraph properties name (not guessed from "\t\t"), columns come from each row's cell
// boundaries (sprmTDefTable), so horizontally merged cells get their colspan and vertical merges their rowspan.
import type { Block, DocumentModel, Reader, TableCell } from '../model.ts';
import { InputError } from '../../core/errors.ts';
import { readBinaryDoc, type ParaProps, type RowDef } from './doc/binary.ts';
import { checkCompoundFile } from './doc/cfb-guard.ts';

interface RawRow {
  cells: string[];
  def?: RowDef;
}

/** Field codes keep only their result; Word's control characters become text or nothing. */
/* oxlint-disable no-control-regex -- Word marks fields, cells and breaks with control characters */
function clean(raw: string): string {
  let out = raw;
  for (let guard = 0; guard < 10 && /\x13/.test(out); guard++)
    out = out.replace(/\x13[^\x13\x14\x15]*(?:\x14([^\x13\x14\x15]*))?\x15/g, (_m, res) => res ?? '');
  return out
    .replace(/[\x0b]/g, '\n')
    .replace(/\x1e/g, '-')
    .replace(/[\x00-\x08\x0c\x0e-\x1f]/g, '')
    .replace(/[ \t\u00a0\u3000]+/g, (m) => (m.includes('\u3000') && m.length > 1 ? ' ' : m === '\t' ? ' ' : m))
    .trim();
}
/* oxlint-enable no-control-regex */

function propsAt(paras: ParaProps[], charPos: number): ParaProps | undefined {
  let low = 0;
  let high = paras.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const props = paras[mid];
    if (charPos < props.cpStart) high = mid - 1;
    else if (charPos >= props.cpEnd) low = mid + 1;
    else return props;
  }
  return undefined;
}

/** Rows with their cell boundaries → a rectangular grid with spans expanded. */
export function toGrid(rows: RawRow[], index: number): TableCell[][] {
  const TOL = 30; // twips (1.5 pt): boundaries of the same column drawn in different rows
  const pivots: number[] = [];
  for (const row of rows)
    if (row.def && row.def.bounds.length === row.cells.length + 1)
      for (const bound of row.def.bounds) if (!pivots.some((p) => Math.abs(p - bound) <= TOL)) pivots.push(bound);
  pivots.sort((a, b) => a - b);
  const col = (x: number) => {
    let best = 0;
    for (let k = 1; k < pivots.length; k++) if (Math.abs(pivots[k] - x) < Math.abs(pivots[best] - x)) best = k;
    return best;
  };
  // each cell's first and end column on the pivots (c0..c1), and whether it continues a vertical merge
  const placed = rows.map((row) =>
    row.def && row.def.bounds.length === row.cells.length + 1 && pivots.length > 1
      ? row.cells.map((text, cellIndex) => ({
          text,
          c0: col(row.def!.bounds[cellIndex]),
          c1: col(row.def!.bounds[cellIndex + 1]),
          cont: row.def!.vMergeCont[cellIndex],
        }))
      : row.cells.map((text, i) => ({ text, c0: i, c1: i + 1, cont: false })),
  );
  const colCount = Math.max(1, ...placed.map((r) => Math.max(0, ...r.map((c) => c.c1))));
  const grid: (TableCell | undefined)[][] = rows.map(() => Array.from<TableCell | undefined>({ length: colCount }));
  placed.forEach((placedRow, rowIndex) => {
    for (const place of placedRow) {
      if (place.c1 <= place.c0) continue;
      const above = rowIndex > 0 ? grid[rowIndex - 1][place.c0] : undefined;
      if (place.cont && above) {
        // continuation of a vertical merge: the cell above grows, this position is its copy
        const origin = above.origin ? above : findOrigin(grid, rowIndex - 1, place.c0);
        if (origin) {
          origin.rowspan += 1;
          for (let x = place.c0; x < place.c1; x++) grid[rowIndex][x] = { ...origin, origin: false };
          continue;
        }
      }
      const cell: TableCell = {
        text: place.text,
        at: { table: index, row: rowIndex, col: place.c0 },
        origin: true,
        rowspan: 1,
        colspan: place.c1 - place.c0,
      };
      for (let x = place.c0; x < place.c1; x++) grid[rowIndex][x] = x === place.c0 ? cell : { ...cell, origin: false };
    }
  });
  // Copies made before their origin grew share its final rowspan.
  return grid.map((row, rowIndex) =>
    row.map((cell, colIndex) => {
      if (!cell)
        return { text: '', at: { table: index, row: rowIndex, col: colIndex }, origin: true, rowspan: 1, colspan: 1 };
      if (!cell.origin) {
        const origin = findOrigin(grid, rowIndex, colIndex);
        if (origin) return { ...origin, origin: false };
      }
      return cell;
    }),
  );
}

function findOrigin(grid: (TableCell | undefined)[][], row: number, col: number): TableCell | undefined {
  const cell = grid[row][col];
  if (!cell) return undefined;
  const at = cell.at;
  const origin = grid[at.row ?? row]?.[at.col ?? col];
  return origin?.origin ? origin : undefined;
}

export const readDoc: Reader = async (bytes) => {
  const magic = Buffer.from(bytes.subarray(0, 8));
  if (magic.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
    throw new InputError('not a binary Word file: this is a ZIP (DOCX?)');
  if (magic.toString('latin1').startsWith('{\\rtf')) throw new InputError('not a binary Word file: this is RTF');
  if (!magic.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    throw new InputError('not a Word binary document: no OLE compound file header (an old WPS-format file?)');
  // Before any parser follows the file's chains: a loop would spin it until the process dies.
  if (checkCompoundFile(bytes).encrypted)
    throw new InputError('encrypted DOC: password-protected documents cannot be read');
  let doc;
  try {
    doc = await readBinaryDoc(bytes);
  } catch (caught) {
    const err = caught as Error;
    // a TypeError/RangeError from deep inside the parser means damaged structure, not a bug worth a stack trace
    const why =
      err instanceof TypeError || err instanceof RangeError
        ? `damaged OLE or Word structure (${err.message})`
        : (err?.message ?? String(caught));
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
    const char = text[cp];
    if (char !== '\r' && char !== '\x07' && char !== '\x0c') {
      para += char;
      continue;
    }
    const props = propsAt(paras, cp);
    const inTable = !!props?.inTable;
    if (inTable && (props!.depth ?? 1) > 1) {
      para += ' '; // nested table: its text stays inside the outer cell
      continue;
    }
    if (inTable && char === '\x07' && props!.ttp) {
      rows.push({ cells: row, def: props!.rowDef });
      row = [];
      cellLines = [];
      para = '';
    } else if (inTable && char === '\x07') {
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
      const paraText = clean(para);
      if (paraText) blocks.push({ kind: 'paragraph', text: paraText, at: { line: paraNo } });
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
