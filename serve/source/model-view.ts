// A DOCX, DOC or text document shown as the reader's document model (extractors/model.ts): its paragraphs and its
// tables as HTML, merged cells spanning as printed, with the cell of a value marked. DOCX/DOC cells are found by
// {table,row,col}; a text document only says {line}, which a table row shares with its neighbours, so the cell is
// the one on that line printing the value's raw text (else the paragraph of that line).
import type { DocumentModel, TableBlock } from '../../extractors/model.ts';
import type { SourceAt } from '../../extractors/report.ts';
import { html, Raw } from '../html.ts';

type Target = { table: number; row: number; col: number } | { line: number } | null;

const MARK = new Raw(' class="marked" id="nianbao-cell"');

function targetOf(model: DocumentModel, at: SourceAt | null, raw: string | null): Target {
  if (!at) return null;
  if (at.table !== undefined && at.row !== undefined && at.col !== undefined)
    return { table: at.table, row: at.row, col: at.col };
  if (at.line === undefined) return null;
  const printed = (raw ?? '').trim();
  for (const block of model.blocks) {
    if (block.kind !== 'table') continue;
    for (const [row, cells] of block.rows.entries())
      for (const [col, cell] of cells.entries())
        if (cell.origin && cell.at.line === at.line && cell.text === printed) return { table: block.index, row, col };
  }
  return { line: at.line };
}

function table(block: TableBlock, target: Target): Raw {
  const mark = target && 'table' in target && target.table === block.index ? target : null;
  const rows = block.rows.map((row, rowIndex) => {
    const cells = row.flatMap((cell, colIndex) => {
      // a merged cell is printed once, where it starts; its grid copies are covered by its spans
      if (!cell.origin) return [];
      const hit = mark && mark.row === rowIndex && mark.col === colIndex;
      return [
        html`<td${hit ? MARK : ''} data-at="${block.index},${rowIndex},${colIndex}"${
          cell.rowspan > 1 ? new Raw(` rowspan="${cell.rowspan}"`) : ''
        }${cell.colspan > 1 ? new Raw(` colspan="${cell.colspan}"`) : ''}>${cell.text}</td>`,
      ];
    });
    return html`<tr>
      ${cells}
    </tr>`;
  });
  return html`<h3 class="muted small">table ${block.index}</h3>
    <table class="model-table" data-table="${block.index}">
      ${rows}
    </table>`;
}

/** The document in reading order; `found` says whether the value's cell (or line) is in it. */
export function renderModel(
  model: DocumentModel,
  at: SourceAt | null,
  raw: string | null = null,
): { html: Raw; found: boolean } {
  const target = targetOf(model, at, raw);
  const parts = model.blocks.map((block) => {
    if (block.kind === 'table') return table(block, target);
    const line = block.at.line;
    const hit = target && 'line' in target && line === target.line;
    return html`<p${hit ? MARK : ''}${line !== undefined ? new Raw(` data-line="${line}"`) : ''}>${block.text}</p>`;
  });
  const rendered = html`<div class="model-doc">${parts}</div>`;
  return { html: rendered, found: rendered.text.includes('id="nianbao-cell"') };
}
