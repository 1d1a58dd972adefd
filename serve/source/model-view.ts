// A DOCX, DOC or text document shown as the reader's document model (extractors/model.ts): its paragraphs and its
// tables as HTML, merged cells spanning as printed, with the cell at {table,row,col} (or the text line) marked.
import type { DocumentModel, TableBlock } from '../../extractors/model.ts';
import type { SourceAt } from '../../extractors/report.ts';
import { html, Raw } from '../html.ts';

function table(block: TableBlock, at: SourceAt | null): Raw {
  const target = at && at.table === block.index ? at : null;
  const rows = block.rows.map((row, rowIndex) => {
    const cells = row.flatMap((cell, colIndex) => {
      // a merged cell is printed once, at its top-left position; the grid copies are covered by its spans
      if (!cell.origin && (cell.at.row !== rowIndex || cell.at.col !== colIndex)) return [];
      const hit = target && target.row === rowIndex && target.col === colIndex;
      return [
        html`<td${hit ? new Raw(' class="marked" id="nianbao-cell"') : ''} data-at="${block.index},${rowIndex},${colIndex}"${
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

/** The document in reading order; `found` says whether the asked-for cell is in it. */
export function renderModel(model: DocumentModel, at: SourceAt | null): { html: Raw; found: boolean } {
  let found = false;
  const parts = model.blocks.map((block) => {
    if (block.kind === 'table') {
      const rendered = table(block, at);
      if (rendered.text.includes('id="nianbao-cell"')) found = true;
      return rendered;
    }
    const line = block.at.line;
    const hit = at?.line !== undefined && line === at.line;
    if (hit) found = true;
    return html`<p${hit ? new Raw(' class="marked" id="nianbao-cell"') : ''}${
      line !== undefined ? new Raw(` data-line="${line}"`) : ''
    }>${block.text}</p>`;
  });
  return { html: html`<div class="model-doc">${parts}</div>`, found };
}
