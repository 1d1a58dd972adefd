// The hostile corpus: ≥ 100 files that try to crash, hang, exhaust or fool the extractor, generated (never
// committed: several are 50–200 MB) into a directory, with a manifest saying for each what a right answer is.
//   npx tsx test/hostile/generate.ts [DIR]      (default: $TMPDIR/nianbao-hostile)
// Every file must end in a one-line InputError or a report; a report must match `truth` (read right) or carry a
// flag the truth does not (flagged). test/hostile/hostile.test.ts and bench/hostile.ts run them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import type { Report } from '../../extractors/report.ts';
import { prng, randomReport } from '../../simulator/reports/random-report.ts';
import { renderDocx, renderHtml, renderText } from '../../simulator/reports/render.ts';

export interface HostileCase {
  file: string;
  /** What it tries. */
  attack: string;
  /** The report the bytes would give if read right (a variant of a known report), else null. */
  truth: Pick<Report, 'active' | 'requests' | 'appeals'> | null;
  /** Flag codes the known report carries anyway: a wrong reading is "flagged" only by a code not among these. */
  truthFlags: string[];
}

const OFFICE = fileURLToPath(new URL('../corpus/office/', import.meta.url));
const MEGABYTE = 1024 * 1024;

const TYPES = strToU8(
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ' +
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
);
const RELS = strToU8(
  '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
    'Target="word/document.xml"/></Relationships>',
);
const WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const wordXml = (body: string, prolog = '') =>
  strToU8(
    `<?xml version="1.0" encoding="UTF-8"?>${prolog}<w:document ${WORD_NS}><w:body>${body}</w:body></w:document>`,
  );
const docxOf = (documentXml: Uint8Array, extra: Record<string, Uint8Array> = {}, level: 0 | 1 | 6 = 6) =>
  zipSync({ '[Content_Types].xml': TYPES, '_rels/.rels': RELS, 'word/document.xml': documentXml, ...extra }, { level });

const tablesOf = (report: Report) => ({
  active: report.active,
  requests: report.requests,
  appeals: report.appeals,
  flags: report.flags.map((flag) => flag.code),
});
type Truth = ReturnType<typeof tablesOf>;

/** A deterministic byte scrambler: `count` bytes at seeded positions past the first `skip`. */
function corrupt(bytes: Uint8Array, seed: number, count: number, skip = 16): Buffer {
  const random = prng(seed);
  const out = Buffer.from(bytes);
  for (let i = 0; i < count; i++) out[skip + Math.floor(random() * (out.length - skip))] = Math.floor(random() * 256);
  return out;
}

/** A minimal PDF with the given objects (numbered from 1, 1 = catalog), xref and trailer. */
function pdfOf(objects: string[], trailerExtra = ''): Buffer {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** OLE helpers for the DOC cases: the FAT of a compound file, to make its chains loop. */
function oleFat(doc: Buffer): { sectorSize: number; fatOffsets: number[]; dirStart: number } {
  const sectorSize = 1 << doc.readUInt16LE(0x1e);
  const fatCount = doc.readUInt32LE(0x2c);
  const fatOffsets: number[] = [];
  for (let i = 0; i < Math.min(109, fatCount); i++) fatOffsets.push((doc.readUInt32LE(0x4c + i * 4) + 1) * sectorSize);
  return { sectorSize, fatOffsets, dirStart: doc.readUInt32LE(0x30) };
}
function setFat(doc: Buffer, sector: number, next: number): void {
  const { sectorSize, fatOffsets } = oleFat(doc);
  const perSector = sectorSize / 4;
  doc.writeUInt32LE(next, fatOffsets[Math.floor(sector / perSector)] + (sector % perSector) * 4);
}
/** The directory entry (offset) and start sector of a named stream: entries are 128-byte aligned in the file. */
function oleStream(doc: Buffer, name: string): { entry: number; start: number } {
  const needle = Buffer.from(name, 'utf16le');
  for (let at = doc.indexOf(needle); at >= 0; at = doc.indexOf(needle, at + 2))
    if (at % 128 === 0 && doc.readUInt16LE(at + 0x40) === needle.length + 2 && doc[at + 0x42] === 2)
      return { entry: at, start: doc.readUInt32LE(at + 0x74) };
  throw new Error(`no ${name} stream`);
}

export async function generate(dir: string): Promise<HostileCase[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cases: HostileCase[] = [];
  const add = (file: string, bytes: Uint8Array | string, attack: string, truth: Truth | null = null) => {
    const name = `${String(cases.length).padStart(3, '0')}-${file}`;
    writeFileSync(join(dir, name), bytes);
    const tables = truth && { active: truth.active, requests: truth.requests, appeals: truth.appeals };
    cases.push({ file: name, attack, truth: tables, truthFlags: truth?.flags ?? [] });
  };

  // Known reports in every format: the office corpus' PDF and DOC (with their expected values), a rendered DOCX.
  const expected = (name: string) => JSON.parse(readFileSync(join(OFFICE, name), 'utf8')) as Report;
  const pdf = readFileSync(join(OFFICE, 'random-000.pdf'));
  const pdfTruth = tablesOf(expected('random-000.expected.json'));
  const doc = readFileSync(join(OFFICE, 'random-008.doc'));
  const docTruth = tablesOf(expected('random-008.expected.json'));
  const sample = randomReport(7, { inconsistent: false });
  const docx = await renderDocx(sample);
  const html = renderHtml(sample);
  const sampleTruth = tablesOf(sample);

  // 1. Truncated at many cut points (36).
  for (const [ext, bytes, truth] of [
    ['pdf', pdf, pdfTruth],
    ['docx', docx, sampleTruth],
    ['doc', doc, docTruth],
  ] as const)
    for (const fraction of [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99])
      add(
        `truncated-${Math.round(fraction * 100)}.${ext}`,
        bytes.subarray(0, Math.max(1, Math.floor(bytes.length * fraction))),
        `${ext} cut at ${fraction * 100}%`,
        truth,
      );

  // 2. Corrupted: bytes overwritten at seeded positions (24).
  for (const [ext, bytes, truth] of [
    ['pdf', pdf, pdfTruth],
    ['docx', docx, sampleTruth],
    ['doc', doc, docTruth],
    ['html', Buffer.from(html), sampleTruth],
  ] as const)
    for (const [seed, count] of [
      [1, 1],
      [2, 8],
      [3, 64],
      [4, 512],
      [5, 4096],
      [6, 20],
    ] as const)
      add(
        `corrupt-${seed}-${count}.${ext}`,
        corrupt(bytes, seed * 7919, count),
        `${ext} with ${count} bytes scrambled`,
        truth,
      );

  // 3. Zip bombs and lying directories (6).
  const zeros = docxOf(new Uint8Array(300 * MEGABYTE), {}, 1);
  add('bomb-zeros.docx', zeros, '300 MB of zeros in word/document.xml');
  const lying = Buffer.from(zeros);
  for (const signature of ['PK\x01\x02', 'PK\x03\x04'])
    for (let i = lying.indexOf(signature, 0, 'latin1'); i >= 0; i = lying.indexOf(signature, i + 4, 'latin1'))
      lying.writeUInt32LE(1024, i + (signature === 'PK\x01\x02' ? 24 : 22));
  add('bomb-lying-sizes.docx', lying, 'directory and local headers claim 1 KB per entry');
  const paragraph = '<w:p><w:r><w:t>政府信息公开工作年度报告 填充内容</w:t></w:r></w:p>';
  add(
    'huge-document-xml.docx',
    docxOf(wordXml(paragraph.repeat(Math.ceil((200 * MEGABYTE) / Buffer.byteLength(paragraph)))), {}, 6),
    '200 MB of real paragraphs in word/document.xml (under the 256 MB total)',
  );
  add(
    'big-document-xml.docx',
    docxOf(wordXml(paragraph.repeat(Math.ceil((12 * MEGABYTE) / Buffer.byteLength(paragraph)))), {}, 6),
    '12 MB of paragraphs: over the document.xml budget, far under the total',
  );
  add(
    'overlapping-entries.docx',
    overlapping(),
    'a central directory whose 500 entries all point at one 1 MB deflate stream',
  );
  add(
    'directory-only-bomb.docx',
    hiddenFromLocalWalk(docx),
    'an entry only the central directory knows (inflates to 300 MB)',
  );

  // 4. XXE and external references (4).
  add(
    'xxe-file.docx',
    docxOf(
      wordXml(
        '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>',
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      ),
    ),
    'an external entity naming /etc/passwd',
  );
  add(
    'xxe-billion-laughs.docx',
    docxOf(
      wordXml(
        '<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>',
        `<!DOCTYPE w:document [<!ENTITY l0 "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')}]>`,
      ),
    ),
    'billion laughs: nested entities expanding to 3 GB',
  );
  const files = unzipSync(docx);
  add(
    'external-image.docx',
    zipSync({
      ...files,
      'word/_rels/document.xml.rels': strToU8(
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" ' +
          'Target="http://169.254.169.254/latest/meta-data/" TargetMode="External"/></Relationships>',
      ),
    }),
    'an external image relationship to the cloud metadata address (must not be fetched)',
    sampleTruth,
  );
  add(
    'xinclude.docx',
    docxOf(
      wordXml(
        '<w:p><w:r><w:t>x</w:t></w:r></w:p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>',
      ),
    ),
    'an XInclude of /etc/passwd',
  );

  // 5. Password-protected (5).
  const encryptedBit = Buffer.from(docx);
  encryptedBit.writeUInt16LE(encryptedBit.readUInt16LE(6) | 1, 6);
  add('encrypted-bit.docx', encryptedBit, 'zip entry flagged encrypted');
  add(
    'encrypted-ole.docx',
    oleWith('EncryptedPackage'),
    'an OLE EncryptedPackage (Office password protection) named .docx',
  );
  const encryptedDoc = Buffer.from(doc);
  const word = oleStream(encryptedDoc, 'WordDocument');
  const wordAt = (word.start + 1) * oleFat(encryptedDoc).sectorSize;
  encryptedDoc.writeUInt16LE(encryptedDoc.readUInt16LE(wordAt + 0x0a) | 0x0100, wordAt + 0x0a);
  add('encrypted-fib.doc', encryptedDoc, 'Word FIB fEncrypted bit set');
  add(
    'encrypted.pdf',
    pdfOf(
      [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [] /Count 0 >>',
        '<< /Filter /Standard /V 2 /R 3 /O <' + '00'.repeat(32) + '> /U <' + '00'.repeat(32) + '> /P -4 /Length 128 >>',
      ],
      '/Encrypt 3 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ',
    ),
    'PDF with a standard security handler',
  );
  add('special-encrypted.pdf', readFileSync(join(OFFICE, 'special-encrypted.pdf')), 'a real password-protected PDF');

  // 6. DOC structure loops (4).
  const dirLoop = Buffer.from(doc);
  setFat(dirLoop, oleFat(dirLoop).dirStart, oleFat(dirLoop).dirStart);
  add('fat-loop-directory.doc', dirLoop, 'the directory chain points at itself');
  const streamLoop = Buffer.from(doc);
  setFat(streamLoop, oleStream(streamLoop, 'WordDocument').start + 2, oleStream(streamLoop, 'WordDocument').start);
  add('fat-loop-stream.doc', streamLoop, 'the WordDocument chain loops back to its start');
  const bigStream = Buffer.from(doc);
  bigStream.writeUInt32LE(0x7fffffff, oleStream(bigStream, 'WordDocument').entry + 0x78);
  add('stream-size-lie.doc', bigStream, 'WordDocument claims 2 GB');
  const fatCount = Buffer.from(doc);
  fatCount.writeUInt32LE(0x00ffffff, 0x2c);
  add('fat-count-lie.doc', fatCount, 'the header claims 16 M FAT sectors');

  // 7. Junk with report extensions, and files of 50–200 MB (12).
  for (const ext of ['pdf', 'docx', 'doc', 'html', 'txt', 'wps'])
    add(`random.${ext}`, randomBytes(64 * 1024), `random bytes named .${ext}`);
  const zero = `${String(cases.length).padStart(3, '0')}-dev-zero.pdf`;
  symlinkSync('/dev/zero', join(dir, zero));
  cases.push({ file: zero, attack: 'a link to /dev/zero named .pdf (endless bytes)', truth: null, truthFlags: [] });
  add('zeros-60mb.pdf', new Uint8Array(60 * MEGABYTE), '60 MB of zero bytes named .pdf (as /dev/zero would give)');
  add('random-100mb.docx', randomBytes(100 * MEGABYTE), '100 MB of random bytes named .docx');
  add(
    'pdf-header-then-zeros.pdf',
    Buffer.concat([Buffer.from('%PDF-1.7\n'), new Uint8Array(50 * MEGABYTE), Buffer.from('\n%%EOF\n')]),
    '50 MB of zeros between a PDF header and %%EOF',
  );
  add('tabs-15mb.txt', '\t'.repeat(15 * MEGABYTE), '15 MB of tabs (2.6 GB of cells before a budget)');
  add(
    'html-150mb.html',
    `<html><body>${'<p>政府信息公开工作年度报告 填充内容。</p>'.repeat((150 * MEGABYTE) / 60)}</body></html>`,
    '150 MB of HTML',
  );
  add('text-200mb.txt', '一、总体情况\n'.repeat((200 * MEGABYTE) / 19), '200 MB of text');

  // 8. Deep nesting (6).
  for (const tag of ['nav', 'div', 'span', 'x-a', 'table'])
    add(
      `nested-${tag}.html`,
      `<html><body>${`<${tag}>`.repeat(100_000)}x${`</${tag}>`.repeat(100_000)}</body></html>`,
      `100,000 nested <${tag}>`,
    );
  add(
    'nested-tables.docx',
    docxOf(
      wordXml(
        `${'<w:tbl><w:tr><w:tc>'.repeat(3000)}<w:p><w:r><w:t>x</w:t></w:r></w:p>${'</w:tc></w:tr></w:tbl>'.repeat(3000)}`,
      ),
    ),
    '3,000 nested Word tables',
  );

  // 9. Huge page counts and images (3).
  // 20,000 pages took pdf.js 67 s and 2.9 GB (docs/benchmarks.md); 3,000 keep the test's time in bounds.
  const pages = 3_000;
  add(
    `pages-${pages}.pdf`,
    pdfOf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Kids [${Array.from({ length: pages }, () => '3 0 R').join(' ')}] /Count ${pages} >>`,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ]),
    `${pages} pages`,
  );
  add(
    'image-100000x100000.pdf',
    pdfOf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>',
      '<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length 10 >>\nstream\n0123456789\nendstream',
      '<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream',
    ]),
    'an image declaring 100,000 × 100,000 pixels',
  );
  add(
    'content-loop.pdf',
    pdfOf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 4 0 R >> >> /Contents 5 0 R >>',
      '<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 4 0 R >> >> /Length 7 >>\nstream\n/X1 Do\n\nendstream',
      '<< /Length 7 >>\nstream\n/X1 Do\n\nendstream',
    ]),
    'a form XObject that draws itself',
  );

  // 10. Mixed and wrong encodings (5).
  add('gbk-declared-utf8.html', iconv.encode(html, 'gbk'), 'GBK bytes under a UTF-8 <meta>', sampleTruth);
  const text = renderText(sample);
  add(
    'half-gbk-half-utf8.txt',
    Buffer.concat([Buffer.from(text.slice(0, text.length / 2)), iconv.encode(text.slice(text.length / 2), 'gbk')]),
    'a text whose second half is GBK',
    sampleTruth,
  );
  add(
    'utf16le.txt',
    Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]),
    'UTF-16 with BOM',
    sampleTruth,
  );
  add(
    'big5.html',
    iconv.encode(html.replace(/charset=utf-8/i, 'charset=big5'), 'big5'),
    'Big5 (traditional characters)',
    sampleTruth,
  );
  add(
    'latin1-mojibake.html',
    Buffer.from(Buffer.from(html).toString('latin1'), 'utf8'),
    'UTF-8 read as Latin-1 and saved again',
    sampleTruth,
  );

  // 11. Every cell a placeholder (3): numbers replaced by dashes, slashes, x.
  for (const [name, mark] of [
    ['dash', '—'],
    ['slash', '/'],
    ['x', 'xxx'],
  ] as const)
    add(
      `placeholders-${name}.html`,
      html.replace(/(<td[^>]*>)\s*\d+\s*(<\/td>)/g, `$1${mark}$2`),
      `every cell is "${mark}"`,
      sampleTruth,
    );

  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(cases, null, 1));
  return cases;
}

/** A DOCX whose central directory lists 500 entries that share one deflate stream of 1 MB of zeros. */
function overlapping(): Buffer {
  const one = Buffer.from(zipSync({ 'word/document.xml': new Uint8Array(MEGABYTE) }, { level: 9 }));
  const directoryAt = one.indexOf('PK\x01\x02', 0, 'latin1');
  const entry = one.subarray(directoryAt, one.indexOf('PK\x05\x06', 0, 'latin1'));
  const copies: Buffer[] = [];
  for (let i = 0; i < 500; i++) {
    const copy = Buffer.from(entry);
    // the same name would be one file to a zip reader: vary it, keep the local header offset
    if (i) copy.write(`word/media/x${String(i).padStart(3, '0')}`.slice(0, 17), 46, 'latin1');
    copies.push(copy);
  }
  const directory = Buffer.concat(copies);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(copies.length, 8);
  end.writeUInt16LE(copies.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(directoryAt, 16);
  return Buffer.concat([one.subarray(0, directoryAt), directory, end]);
}

/**
 * A DOCX with one more entry that only the central directory lists: its local header is preceded by garbage that
 * stops a local-header walk, so a guard that walks local headers never inflates it.
 */
function hiddenFromLocalWalk(docx: Buffer): Buffer {
  const hidden = Buffer.from(zipSync({ 'word/media/hidden.bin': new Uint8Array(300 * MEGABYTE) }, { level: 1 }));
  const hiddenCd = hidden.indexOf('PK\x01\x02', 0, 'latin1');
  const directoryAt = docx.indexOf('PK\x01\x02', 0, 'latin1');
  const eocd = docx.lastIndexOf('PK\x05\x06', docx.length, 'latin1');
  const gap = Buffer.from('JUNK'.repeat(4));
  const hiddenAt = directoryAt + gap.length;
  const hiddenEntry = Buffer.from(hidden.subarray(hiddenCd, hidden.indexOf('PK\x05\x06', 0, 'latin1')));
  hiddenEntry.writeUInt32LE(hiddenAt, 42);
  const directory = Buffer.concat([docx.subarray(directoryAt, eocd), hiddenEntry]);
  const end = Buffer.from(docx.subarray(eocd, eocd + 22));
  const count = end.readUInt16LE(10) + 1;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(hiddenAt + hiddenCd, 16);
  return Buffer.concat([docx.subarray(0, directoryAt), gap, hidden.subarray(0, hiddenCd), directory, end]);
}

/** A minimal OLE compound file holding one stream of the given name (what Office writes for encrypted files). */
function oleWith(streamName: string): Buffer {
  const sector = 512;
  const out = Buffer.alloc(sector * 4);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(out, 0);
  out.writeUInt16LE(0x3e, 0x18);
  out.writeUInt16LE(3, 0x1a);
  out.writeUInt16LE(0xfffe, 0x1c);
  out.writeUInt16LE(9, 0x1e);
  out.writeUInt16LE(6, 0x20);
  out.writeUInt32LE(1, 0x2c); // one FAT sector: sector 0
  out.writeUInt32LE(1, 0x30); // directory in sector 1
  out.writeUInt32LE(4096, 0x38);
  out.writeUInt32LE(0xfffffffe, 0x3c);
  out.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) out.writeUInt32LE(i ? 0xffffffff : 0, 0x4c + i * 4);
  const fat = sector;
  out.writeUInt32LE(0xfffffffd, fat); // sector 0: FAT
  out.writeUInt32LE(0xfffffffe, fat + 4); // sector 1: directory, end
  out.writeUInt32LE(0xfffffffe, fat + 8); // sector 2: the stream, end
  for (let i = 3; i < sector / 4; i++) out.writeUInt32LE(0xffffffff, fat + i * 4);
  const dir = sector * 2;
  const entry = (at: number, name: string, type: number, start: number, size: number, child = 0xffffffff) => {
    out.write(name, at, 'utf16le');
    out.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    out[at + 0x42] = type;
    out[at + 0x43] = 1;
    out.writeUInt32LE(0xffffffff, at + 0x44);
    out.writeUInt32LE(0xffffffff, at + 0x48);
    out.writeUInt32LE(child, at + 0x4c);
    out.writeUInt32LE(start, at + 0x74);
    out.writeUInt32LE(size, at + 0x78);
  };
  entry(dir, 'Root Entry', 5, 0xfffffffe, 0, 1);
  entry(dir + 128, streamName, 2, 2, 5000);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? join(tmpdir(), 'nianbao-hostile');
  const cases = await generate(dir);
  const bytes = readdirSync(dir).length;
  process.stdout.write(`${cases.length} hostile files in ${dir} (${bytes} entries)\n`);
}
