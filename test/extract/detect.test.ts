// Format detection of OLE compound files and RTF: only an OLE file with a WordDocument stream (Word, WPS) goes to
// the DOC reader; spreadsheets, presentations, mail and encrypted packages are named for what they are, and RTF
// (portals serve it as .doc) is refused plainly instead of being read as a text report. Fixtures are built here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import CFB from 'cfb';
import { detectFormat } from '../../extractors/detect-format.ts';
import { extract } from '../../extractors/extract.ts';
import { InputError } from '../../core/errors.ts';

/** An OLE compound file holding the named streams (a few bytes each). */
function ole(streams: string[]): Buffer {
  const file = CFB.utils.cfb_new();
  for (const stream of streams) CFB.utils.cfb_add(file, `/${stream}`, Buffer.from('content of the stream'));
  return Buffer.from(CFB.write(file, { type: 'buffer' }) as Uint8Array);
}

const refuses = (bytes: Uint8Array, name: string, message: RegExp) =>
  assert.rejects(
    extract(bytes, { filename: name }),
    (e: Error) => e instanceof InputError && message.test(e.message),
    `${name}: ${message}`,
  );

test('OLE files that are not Word documents are named for what they are', async () => {
  await refuses(
    ole(['Workbook', '\u0005SummaryInformation']),
    'report.doc',
    /^an Excel workbook \(\.xls\), not a report document$/,
  );
  await refuses(ole(['Book']), 'report.xls', /Excel workbook/);
  await refuses(
    ole(['PowerPoint Document', 'Current User']),
    'report.doc',
    /^a PowerPoint presentation \(\.ppt\), not a report document$/,
  );
  await refuses(ole(['__substg1.0_0037001F', '__properties_version1.0']), 'mail.msg', /Outlook message/);
  await refuses(ole(['EncryptedPackage', 'EncryptionInfo']), 'report.docx', /password-protected/);
  await refuses(
    ole(['SomethingElse']),
    'report.doc',
    /^an OLE compound file without a WordDocument stream \(SomethingElse\), not a Word document$/,
  );
});

test('an OLE file with a WordDocument stream (Word, WPS) goes to the DOC reader, whatever its name', () => {
  for (const name of ['report.doc', 'report.wps', 'report.html', 'download'])
    assert.equal(detectFormat(ole(['WordDocument', '1Table', '\u0005SummaryInformation']), { filename: name }), 'doc');
  // A damaged directory is still the DOC reader's to judge (it says what is broken).
  assert.equal(detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), 'doc');
});

test('RTF, under any name, is refused with a clear message instead of being read as text', async () => {
  const rtf =
    "{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}}" +
    "\\f0 \\'c4\\'ea\\'b1\\'a8\\par}";
  for (const [bytes, name] of [
    [Buffer.from(rtf, 'latin1'), 'report.doc'],
    [Buffer.from(`\uFEFF${rtf}`), 'report.rtf'],
    [Buffer.from(`\r\n  ${rtf}`, 'latin1'), 'report.txt'],
  ] as const)
    await refuses(bytes, name, /^an RTF document: RTF documents are not supported yet/);
  // Text that merely mentions RTF is still text.
  assert.equal(detectFormat(Buffer.from('本报告另附 {\\rtf1 格式说明'), { filename: 'a.txt' }), 'text');
});
