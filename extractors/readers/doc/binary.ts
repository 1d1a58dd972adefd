// Word 97-2003 binary (.doc, most .wps): text by character position plus each paragraph's table properties.
// word-extractor reads the OLE container, the piece table and tracked deletions, but flattens cell and row marks to
// "\t" (an empty cell and a row end both look like "\t\t") and mis-sizes sprmTDefTable, so its row-end detection
// fails on many rows. We reuse its extractor for everything but the paragraph properties, which are read here.
import { createRequire } from 'node:module';

/** What this module uses of word-extractor's internal, untyped extractor (and the `_dataStream` it adds). */
interface OleExtractor {
  _pieces: Piece[];
  _boundaries: { ccpText: number };
  _dataStream?: Buffer | null;
  /** `document` is word-extractor's OLE compound document, passed through untouched. */
  documentStream(document: unknown, streamName: string): Promise<NodeJS.ReadableStream>;
  streamBuffer(stream: NodeJS.ReadableStream): Promise<Buffer>;
  extractWordDocument(document: unknown, wordDocument: Buffer): Promise<{ text: string }>;
  writeParagraphProperties(wordDocument: Buffer, tableStream: Buffer): void;
  /** Replaced below to return only the main text. */
  buildDocument(): { text: string };
  extract(reader: unknown): Promise<{ text: string }>;
}

const require = createRequire(import.meta.url);
const WordOleExtractor = require('word-extractor/lib/word-ole-extractor.js') as new () => OleExtractor;
const BufferReader = require('word-extractor/lib/buffer-reader.js') as new (buffer: Buffer) => unknown;

export interface RowDef {
  /** Cell boundaries in twips, itcMac + 1 of them. */
  bounds: number[];
  /** Per cell: vertically merged with the cell above (not the first of the merge). */
  vMergeCont: boolean[];
}

export interface ParaProps {
  cpStart: number;
  cpEnd: number;
  inTable: boolean;
  /** Table terminating paragraph: the row-end mark. */
  ttp: boolean;
  /** Nesting depth (1 = a top-level table). */
  depth: number;
  rowDef?: RowDef;
}

export interface BinaryDoc {
  /** Main document text, one UTF-16 unit per character position; deleted revisions are \x00. */
  text: string;
  paras: ParaProps[];
}

interface Piece {
  startCp: number;
  endCp: number;
  startFilePos: number;
  endFilePos: number;
  bpc: number;
  text: string;
}

/** Operand size of a sprm (spec 2.2.5.1), with the two variable-length exceptions. */
function operandSize(buf: Buffer, off: number, sprm: number): number {
  const spra = sprm >> 13;
  switch (spra) {
    case 0:
    case 1:
      return 1;
    case 2:
    case 4:
    case 5:
      return 2;
    case 3:
      return 4;
    case 7:
      return 3;
    default:
      // sprmTDefTable(10): a 2-byte cb, then cb-1 operand bytes
      if (sprm === 0xd608 || sprm === 0xd606) return buf.readUInt16LE(off) + 1;
      if (sprm === 0xc615 && buf[off] === 255) {
        // sprmPChgTabs with the large form
        const del = buf[off + 1];
        return 2 + del * 4 + 1 + buf[off + 2 + del * 4] * 3;
      }
      return buf[off] + 1;
  }
}

function parseRowDef(buf: Buffer, off: number): RowDef | undefined {
  // off points at the 2-byte cb; itcMac follows, then rgdxaCenter, then TC80s of 20 bytes... or 10 (Word 97: TC80)
  const byteCount = buf.readUInt16LE(off);
  const itcMac = buf[off + 2];
  if (!itcMac || 3 + (itcMac + 1) * 2 > byteCount + 1) return undefined;
  const bounds: number[] = [];
  for (let i = 0; i <= itcMac; i++) bounds.push(buf.readInt16LE(off + 3 + i * 2));
  const tcStart = off + 3 + (itcMac + 1) * 2;
  const tcBytes = byteCount + 1 - 3 - (itcMac + 1) * 2; // TC80s present may be fewer than itcMac
  const tcCount = Math.min(itcMac, Math.floor(tcBytes / 20));
  const vMergeCont: boolean[] = [];
  for (let i = 0; i < itcMac; i++) {
    if (i >= tcCount) {
      vMergeCont.push(false);
      continue;
    }
    const grf = buf.readUInt16LE(tcStart + i * 20);
    // fVertMerge 0x20, fVertRestart 0x40: merged and not the first = continuation
    vMergeCont.push((grf & 0x20) !== 0 && (grf & 0x40) === 0);
  }
  return { bounds, vMergeCont };
}

interface Props {
  inTable: boolean;
  ttp: boolean;
  innerTtp: boolean;
  depth: number;
  rowDef: RowDef | undefined;
}

/** Applies the table-related sprms of a grpprl; sprmPHugePapx continues the list in the Data stream. */
function sprms(grp: Buffer, off: number, props: Props, data: Buffer | null): void {
  while (off + 2 <= grp.length) {
    const sprm = grp.readUInt16LE(off);
    off += 2;
    if (off >= grp.length) break;
    const size = operandSize(grp, off, sprm);
    if (sprm === 0x2416) props.inTable = grp[off] === 1;
    else if (sprm === 0x2417) props.ttp = grp[off] === 1;
    else if (sprm === 0x244c) props.innerTtp = grp[off] === 1;
    else if (sprm === 0x6649) props.depth = grp.readInt32LE(off);
    else if (sprm === 0xd608 && off + 3 <= grp.length) props.rowDef = parseRowDef(grp, off);
    else if (sprm === 0x6646 && data && off + 4 <= grp.length) {
      const at = grp.readUInt32LE(off);
      if (at + 2 <= data.length) {
        const byteCount = data.readUInt16LE(at);
        sprms(data.subarray(at + 2, Math.min(data.length, at + 2 + byteCount)), 0, props, null);
      }
    }
    off += size;
  }
}

function readPapx(buf: Buffer, table: Buffer, pieces: Piece[], data: Buffer | null): ParaProps[] {
  // fcPlcfBtePapx / lcbPlcfBtePapx: the bin table of paragraph-property pages in the table stream
  const plcOffset = buf.readUInt32LE(0x0102);
  const lcb = buf.readUInt32LE(0x0106);
  const binCount = (lcb - 4) / 8;
  const plc = table.subarray(plcOffset, plcOffset + lcb);
  const out: ParaProps[] = [];
  for (let i = 0; i < binCount; i++) {
    const pageNo = plc.readUInt32LE((binCount + 1) * 4 + i * 4);
    const fkp = buf.subarray(pageNo * 512, pageNo * 512 + 512);
    if (fkp.length < 512) continue;
    const crun = fkp[511];
    for (let j = 0; j < crun; j++) {
      const fcStart = fkp.readUInt32LE(j * 4);
      const fcEnd = fkp.readUInt32LE((j + 1) * 4);
      const papxAt = fkp[(crun + 1) * 4 + j * 13] * 2;
      let inTable = false;
      let ttp = false;
      let innerTtp = false;
      let depth = 0;
      let rowDef: RowDef | undefined;
      if (papxAt) {
        let wordCount = fkp[papxAt];
        let start = papxAt + 1;
        let len = 2 * wordCount - 1;
        if (wordCount === 0) {
          wordCount = fkp[papxAt + 1];
          start = papxAt + 2;
          len = 2 * wordCount;
        }
        const grp = fkp.subarray(start, Math.min(512, start + len));
        const props = { inTable, ttp, innerTtp, depth, rowDef };
        sprms(grp, 2, props, data);
        ({ inTable, ttp, innerTtp, depth, rowDef } = props);
      }
      if (inTable && !depth) depth = 1;
      if (innerTtp) ttp = true;
      // file positions → character positions through the piece table
      for (const piece of pieces) {
        const from = Math.max(fcStart, piece.startFilePos);
        const until = Math.min(fcEnd, piece.endFilePos);
        if (from >= until) continue;
        out.push({
          cpStart: piece.startCp + (from - piece.startFilePos) / piece.bpc,
          cpEnd: piece.startCp + (until - piece.startFilePos) / piece.bpc,
          inTable,
          ttp,
          depth,
          rowDef,
        });
      }
    }
  }
  return out.sort((a, b) => a.cpStart - b.cpStart);
}

export async function readBinaryDoc(bytes: Uint8Array): Promise<BinaryDoc> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ext = new WordOleExtractor();
  let paras: ParaProps[] = [];
  ext.writeParagraphProperties = function (this: OleExtractor, wordDocument: Buffer, tableStream: Buffer) {
    paras = readPapx(wordDocument, tableStream, this._pieces, this._dataStream ?? null);
  };
  // Large paragraph properties (a row definition with many cells) live in the Data stream: read it first.
  const extractWordDocument = ext.extractWordDocument;
  ext.extractWordDocument = function (this: OleExtractor, document: unknown, wordDocument: Buffer) {
    return Promise.resolve()
      .then(() => this.documentStream(document, 'Data'))
      .then((stream) => this.streamBuffer(stream))
      .catch(() => null)
      .then((data: Buffer | null) => {
        this._dataStream = data;
        return extractWordDocument.call(this, document, wordDocument);
      });
  };
  ext.buildDocument = function (this: OleExtractor) {
    const pieces: Piece[] = this._pieces;
    const text = pieces
      .map((p) => p.text)
      .join('')
      .slice(0, this._boundaries.ccpText);
    return { text };
  };
  const reader = new BufferReader(buf);
  const res = await ext.extract(reader);
  return { text: res.text, paras };
}
