// Table pictures inside articles, with truth: an office corpus report whose prose stays text and whose tables are
// pictures of the same tables cut out of its PDF (rendered by pdftoppm at 150 dpi, JPEG): as an HTML article with
// <img src="data:image/jpeg;base64,…"> where each <table> was, and as a DOCX with an inline picture (word/media)
// where each w:tbl was. The truth is the source report's expected JSON. Built at test time into a temporary folder.
//
//   node --import tsx test/gen/ocr/images.ts [DIR]   writes the documents and prints where
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import mammoth from 'mammoth';
import { readPdf } from '../../../extractors/readers/pdf.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OFFICE = join(ROOT, 'test/corpus/office');
const DPI = 150;

export interface ImageVariant {
  /** the set name in `npm run accuracy` is `ocr/<name>` */
  name: 'html-image' | 'docx-image';
  format: 'html' | 'docx';
  /** office corpus reports (kept few: OCR is slow): a 2021 and a 2019 one */
  sources: string[];
}

export const IMAGE_VARIANTS: ImageVariant[] = [
  { name: 'html-image', format: 'html', sources: ['seed-001'] },
  { name: 'docx-image', format: 'docx', sources: ['random-003'] },
];

interface Picture {
  jpeg: Buffer;
  width: number;
  height: number;
}

/**
 * Each table of the report's PDF as JPEGs, one per page it spans: the table's box on that page (cell boxes from the
 * PDF reader, 2 pt of margin for the outer borders; on a page it goes on to, from the top of the text, where the rest
 * of a row cut by the break is) cut from the 150 dpi rendering.
 */
export async function tablePictures(pdfFile: string): Promise<Picture[][]> {
  const model = await readPdf(new Uint8Array(readFileSync(pdfFile)));
  const work = mkdtempSync(join(tmpdir(), 'nianbao-img-gen-'));
  try {
    execFileSync('pdftoppm', ['-png', '-gray', '-r', String(DPI), pdfFile, join(work, 'p')]);
    const pages = new Map<number, Awaited<ReturnType<typeof loadImage>>>();
    const pageImage = async (page: number) => {
      if (!pages.has(page)) {
        const name = ['', '0', '00'].map((pad) => join(work, `p-${pad}${page}.png`)).find((path) => existsSync(path));
        if (!name) throw new Error(`page ${page} of ${pdfFile} not rendered`);
        pages.set(page, await loadImage(readFileSync(name)));
      }
      return pages.get(page)!;
    };
    // where text starts on a page: a table going on from the previous page starts there (the rest of a row cut by
    // the page break has no cell box of its own on this page)
    const textTop = Math.min(
      ...model.blocks.flatMap((block) =>
        block.kind === 'paragraph'
          ? [block.at.bbox?.[1] ?? Infinity]
          : block.rows.flat().map((c) => c.at.bbox?.[1] ?? Infinity),
      ),
    );
    const out: Picture[][] = [];
    for (const block of model.blocks) {
      if (block.kind !== 'table') continue;
      const boxes = new Map<number, [number, number, number, number]>();
      for (const cell of block.rows.flat()) {
        const { page, bbox } = cell.at;
        if (page === undefined || !bbox) continue;
        const box = boxes.get(page) ?? [Infinity, Infinity, -Infinity, -Infinity];
        boxes.set(page, [
          Math.min(box[0], bbox[0]),
          Math.min(box[1], bbox[1]),
          Math.max(box[2], bbox[2]),
          Math.max(box[3], bbox[3]),
        ]);
      }
      const scale = DPI / 72;
      const parts = [...boxes].sort(([a], [b]) => a - b);
      // one width on every page: a page whose left column is only the rest of a merged cell has no box of its own there
      const left0 = Math.min(...parts.map(([, box]) => box[0]));
      const right0 = Math.max(...parts.map(([, box]) => box[2]));
      const crops = await Promise.all(
        parts.map(async ([page, [, first, , lower]], part) => {
          const image = await pageImage(page);
          const upper = part ? Math.min(first, textTop) : first;
          const left = Math.max(0, Math.floor((left0 - 2) * scale));
          const right = Math.min(image.width, Math.ceil((right0 + 2) * scale));
          const top = Math.max(0, Math.floor((upper - 2) * scale));
          const bottom = Math.min(image.height, Math.ceil((lower + 2) * scale));
          return { image, left, top, width: right - left, height: bottom - top };
        }),
      );
      // one picture per page the table spans, as a report pastes a table its PDF or Word split by page breaks
      const pictures: Picture[] = [];
      for (const crop of crops) {
        const canvas = createCanvas(crop.width, crop.height);
        canvas
          .getContext('2d')
          .drawImage(crop.image, crop.left, crop.top, crop.width, crop.height, 0, 0, crop.width, crop.height);
        pictures.push({ jpeg: await canvas.encode('jpeg', 85), width: crop.width, height: crop.height });
      }
      out.push(pictures);
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The report's DOCX through mammoth, each <table> replaced by its picture as an inline data: image. */
export async function htmlArticle(stem: string, pictures: Picture[][], title: string, date: string | null) {
  const docx = readFileSync(join(OFFICE, `${stem}.docx`));
  const body = (await mammoth.convertToHtml({ buffer: docx })).value;
  let next = 0;
  const html = body.replace(/<table[\s\S]*?<\/table>/g, () => {
    const parts = pictures[next++];
    if (!parts) throw new Error(`${stem}: more tables in the DOCX than in the PDF`);
    return parts
      .map(
        (picture) =>
          `<p style="text-align:center"><img src="data:image/jpeg;base64,${picture.jpeg.toString('base64')}" width="${picture.width}"></p>`,
      )
      .join('\n');
  });
  if (next !== pictures.length) throw new Error(`${stem}: ${next} tables in the DOCX, ${pictures.length} in the PDF`);
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><meta name="ArticleTitle" content="${escapeHtml(title)}">`,
    date ? `<meta name="PubDate" content="${date}">` : '',
    '</head><body><div class="header">首页 &gt; 政府信息公开 &gt; 年报</div>',
    `<div class="TRS_Editor">${html}</div><div class="footer">主办单位：人民政府办公室</div></body></html>`,
  ].join('\n');
}

/** The report's DOCX with each w:tbl replaced by paragraphs holding its pictures (word/media/table<N>.jpeg). */
export function docxWithPictures(stem: string, pictures: Picture[][]): Uint8Array {
  const files = unzipSync(new Uint8Array(readFileSync(join(OFFICE, `${stem}.docx`))));
  let document = strFromU8(files['word/document.xml']);
  let rels = strFromU8(files['word/_rels/document.xml.rels']);
  let next = 0;
  let index = 0;
  const inline = (picture: Picture) => {
    index++;
    const id = `rIdTablePicture${index}`;
    files[`word/media/table${index}.jpeg`] = new Uint8Array(picture.jpeg);
    rels = rels.replace(
      '</Relationships>',
      `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/table${index}.jpeg"/></Relationships>`,
    );
    // EMU: 914400 per inch, the picture at its rendering resolution
    const [emuWidth, emuHeight] = [picture.width, picture.height].map((px) => Math.round((px * 914400) / DPI));
    return (
      `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="${emuWidth}" cy="${emuHeight}"/><wp:docPr id="${100 + index}" name="table${index}"/>` +
      `<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
      `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="${100 + index}" name="table${index}.jpeg"/><pic:cNvPicPr/></pic:nvPicPr>` +
      `<pic:blipFill><a:blip r:embed="${id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
      `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${emuWidth}" cy="${emuHeight}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>` +
      `</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`
    );
  };
  document = document.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, () => {
    const parts = pictures[next++];
    if (!parts) throw new Error(`${stem}: more tables in the DOCX than in the PDF`);
    return parts.map(inline).join('');
  });
  if (next !== pictures.length) throw new Error(`${stem}: ${next} tables in the DOCX, ${pictures.length} in the PDF`);
  files['word/document.xml'] = strToU8(document);
  files['word/_rels/document.xml.rels'] = strToU8(rels);
  return zipSync(files);
}

/** Writes `<variant>/ocr-<stem>.<html|docx>` + the expected JSON into `dir`; skips what exists. */
export async function buildImageCorpus(
  dir = join(tmpdir(), 'nianbao-ocr-images-1'),
  variants = IMAGE_VARIANTS,
): Promise<string> {
  for (const variant of variants) {
    const out = join(dir, variant.name);
    mkdirSync(out, { recursive: true });
    for (const stem of variant.sources) {
      const target = join(out, `ocr-${stem}.${variant.format}`);
      const expectedFile = join(OFFICE, `${stem}.expected.json`);
      if (!existsSync(target)) {
        const pictures = await tablePictures(join(OFFICE, `${stem}.pdf`));
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as {
          title?: string;
          published_at?: string | null;
        };
        const bytes =
          variant.format === 'html'
            ? Buffer.from(await htmlArticle(stem, pictures, expected.title ?? '', expected.published_at ?? null))
            : docxWithPictures(stem, pictures);
        writeFileSync(target, bytes);
      }
      copyFileSync(expectedFile, join(out, `ocr-${stem}.expected.json`));
    }
  }
  return dir;
}

/** Files of one variant: [document, expected JSON] pairs. */
export function imageVariantFiles(dir: string, variant: ImageVariant): Array<[string, string]> {
  return variant.sources.map((stem) => [
    join(dir, variant.name, `ocr-${stem}.${variant.format}`),
    join(dir, variant.name, `ocr-${stem}.expected.json`),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildImageCorpus(process.argv[2]));
