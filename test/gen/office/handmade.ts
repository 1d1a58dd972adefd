// PDFs that office software will not produce on request, written object by object: a page whose Chinese text uses
// the non-embedded standard font STSong-Light (readable only with pdf.js CMaps), and a scan (one image, no text).
import { deflateSync } from 'node:zlib';

function pdf(objects: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(offset);
    const encoded = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`, 'latin1'),
      typeof object === 'string' ? Buffer.from(object, 'latin1') : object,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(encoded);
    offset += encoded.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(
    Buffer.from(
      `${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/** UTF-16BE hex for UniGB-UCS2-H (BMP only, which is all the template needs). */
const ucs2 = (s: string) => `<${[...s].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}>`;

export interface CjkPage {
  /** Lines of prose from the top of the page. */
  paragraphs: string[];
  /** A ruled table under the prose: rows of cell strings, column widths in points. */
  table?: {
    rows: string[][];
    widths: number[];
    /** false: no ruling lines, columns only by position */ ruled?: boolean;
    /** 'fill': borders as thin filled rectangles, as Word and WPS export them */ borders?: 'stroke' | 'fill';
  };
}

/** One A4 page in STSong-Light / UniGB-UCS2-H with no font program embedded. */
export function nonEmbeddedCjkPdf(page: CjkPage): Buffer {
  const size = 11;
  const ops: string[] = ['BT', `/F1 ${size} Tf`];
  let y = 790;
  for (const paragraph of page.paragraphs) {
    ops.push(`1 0 0 1 60 ${y} Tm ${ucs2(paragraph)} Tj`);
    y -= 22;
  }
  ops.push('ET');
  if (page.table) {
    const { rows, widths } = page.table;
    const rowH = 24;
    const left = 60;
    const top = y - 6;
    const total = widths.reduce((a, b) => a + b, 0);
    if (page.table.ruled !== false) {
      const fill = page.table.borders === 'fill';
      ops.push('0.6 w');
      for (let r = 0; r <= rows.length; r++)
        ops.push(
          fill
            ? `${left} ${top - r * rowH - 0.3} ${total} 0.6 re f`
            : `${left} ${top - r * rowH} m ${left + total} ${top - r * rowH} l S`,
        );
      let x = left;
      for (let c = 0; c <= widths.length; c++) {
        ops.push(
          fill
            ? `${x - 0.3} ${top - rows.length * rowH} 0.6 ${rows.length * rowH} re f`
            : `${x} ${top} m ${x} ${top - rows.length * rowH} l S`,
        );
        x += widths[c] ?? 0;
      }
    }
    ops.push('BT', `/F1 ${size} Tf`);
    rows.forEach((row, rowIndex) => {
      let cellX = left;
      row.forEach((cell, columnIndex) => {
        if (cell) ops.push(`1 0 0 1 ${cellX + 4} ${top - rowIndex * rowH - 16} Tm ${ucs2(cell)} Tj`);
        cellX += widths[columnIndex];
      });
    });
    ops.push('ET');
  }
  const content = Buffer.from(ops.join('\n'), 'latin1');
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    stream('', content),
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ]);
}

/** A scanned page: the grey image of a rendered page (binary PGM, as `pdftoppm -gray` writes it), no text at all. */
export function scannedPdf(pgm: Buffer): Buffer {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const [head, width, height] = [header[0].length, Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(head, head + width * height);
  const pageWidth = 595;
  const pageHeight = Math.round((595 * height) / width);
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pageWidth} ${pageHeight}] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>`,
    stream('', Buffer.from(`q ${pageWidth} 0 0 ${pageHeight} 0 0 cm /Im1 Do Q`, 'latin1')),
    stream(
      `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
      deflateSync(pixels),
    ),
  ]);
}
