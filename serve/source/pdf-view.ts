// A PDF source page in the browser: pdf.js (served from node_modules/pdfjs-dist) renders the cell's page to a canvas
// with its text layer, and the cell's bbox is drawn over it. The reader's bbox is in viewport points of
// page.getViewport({ scale: 1 }) with the origin top-left (extractors/readers/pdf.ts), so at scale S the box is the
// bbox times S, in CSS pixels from the page's top-left corner.
import type { SourceAt } from '../../extractors/report.ts';
import { html, Raw } from '../html.ts';

/** CSS pixels per PDF point on the page. */
export const PDF_SCALE = 1.5;

export function pdfFigure(documentUrl: string, at: SourceAt | null, pages: number | null): Raw {
  const page = at?.page ?? 1;
  const bbox = at?.bbox ? at.bbox.join(',') : '';
  return html`<div class="pdf-nav small muted">
      page ${page}${pages ? ` of ${pages}` : ''}${bbox ? new Raw(` · box <code>${bbox}</code> pt`) : ''}
    </div>
    <div
      class="pdf-page"
      id="pdf-page"
      data-src="${documentUrl}"
      data-page="${page}"
      data-bbox="${bbox}"
      data-scale="${PDF_SCALE}"
    >
      <canvas></canvas>
      <div class="textLayer"></div>
      ${bbox ? new Raw('<div class="pdf-box" id="nianbao-cell"></div>') : ''}
    </div>
    <p class="small muted" id="pdf-status">rendering with pdf.js …</p>
    <script type="module" src="/static/pdf-view.js"></script>`;
}

/** The browser side (served as /static/pdf-view.js). */
export const PDF_VIEW_SCRIPT = `
import * as pdfjs from '/static/pdfjs/build/pdf.min.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/static/pdfjs/build/pdf.worker.min.mjs';
const holder = document.getElementById('pdf-page');
const status = document.getElementById('pdf-status');
// scroll the source panel (not the page) so the marked cell is in the middle of it
function centre(element) {
  const panel = element.closest('.source');
  if (!panel) return;
  panel.scrollTop += element.getBoundingClientRect().top - panel.getBoundingClientRect().top - panel.clientHeight / 2;
  panel.scrollLeft += element.getBoundingClientRect().left - panel.getBoundingClientRect().left - panel.clientWidth / 3;
}
async function show() {
  const scale = Number(holder.dataset.scale);
  const doc = await pdfjs.getDocument({
    url: holder.dataset.src,
    cMapUrl: '/static/pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: '/static/pdfjs/standard_fonts/',
    isEvalSupported: false,
  }).promise;
  const page = await doc.getPage(Number(holder.dataset.page));
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  const canvas = holder.querySelector('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = viewport.width + 'px';
  canvas.style.height = viewport.height + 'px';
  holder.style.setProperty('--scale-factor', String(scale));
  holder.style.setProperty('--user-unit', '1');
  holder.style.setProperty('--total-scale-factor', String(scale));
  holder.style.setProperty('--scale-round-x', '1px');
  holder.style.setProperty('--scale-round-y', '1px');
  await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null }).promise;
  const layer = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: holder.querySelector('.textLayer'), viewport });
  await layer.render();
  const box = holder.querySelector('.pdf-box');
  if (box) {
    const [x0, y0, x1, y1] = holder.dataset.bbox.split(',').map(Number);
    Object.assign(box.style, { left: x0 * scale + 'px', top: y0 * scale + 'px', width: (x1 - x0) * scale + 'px', height: (y1 - y0) * scale + 'px' });
    centre(box);
  }
  status.textContent = 'page ' + holder.dataset.page + ' of ' + doc.numPages + (box ? ', the cell boxed' : '');
  holder.dataset.ready = 'true';
}
show().catch((error) => {
  status.textContent = 'pdf.js could not render the page: ' + error.message;
  holder.dataset.ready = 'error';
});
`;

/** Centres the marked cell of a source rendered on the server (DOCX, DOC, text) in the source panel. */
export const CENTRE_SCRIPT = `
const marked = document.querySelector('.source .model-doc #nianbao-cell');
const panel = marked && marked.closest('.source');
if (panel) panel.scrollTop += marked.getBoundingClientRect().top - panel.getBoundingClientRect().top - panel.clientHeight / 2;
`;
