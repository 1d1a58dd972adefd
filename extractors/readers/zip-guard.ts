// What a DOCX really inflates to, counted by inflating it, in both ways a zip can be read: entry by entry from the
// local headers (fflate's streaming reader) and entry by entry from the central directory (what mammoth's JSZip
// reads). A bomb can hide from one reader behind the other: a directory that lies about sizes, entries that overlap,
// entries the local-header walk never reaches. Whatever the headers claim, only inflated bytes are counted, in
// 16 KB input steps, stopping at the cap, so the guard itself never holds more than one step's output.
import { Inflate, Unzip, UnzipInflate } from 'fflate';
import { InputError } from '../../core/errors.ts';

export interface ZipBudget {
  /** All entries together. */
  total: number;
  /** One entry whose name matches `entry.name` (word/document.xml: the part mammoth parses into a DOM). */
  entry: { name: RegExp; max: number };
}

interface DirectoryEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** What the directory claims the entry inflates to (0xFFFFFFFF: the real size is in a zip64 extra field). */
  size: number;
  localOffset: number;
}

class OverBudget extends Error {}

const STEP = 16384;

/** A zip64 size placeholder: the directory's 32-bit field says nothing about the size. */
const ZIP64 = 0xffffffff;

/**
 * Throws InputError when the directory's declared sizes already exceed the budget (refused before inflating), when
 * either reading of the archive inflates past it, or when the archive is corrupt.
 */
export function checkInflated(bytes: Uint8Array, budget: ZipBudget, label = 'DOCX'): void {
  const over = (what: string, limit: number) =>
    new InputError(`${label} ${what} inflates beyond ${Math.round(limit / 1048576)} MB: refusing a possible zip bomb`);
  const counter = () => {
    let total = 0;
    return (name: string, bytesOut: number, sofar: number) => {
      total += bytesOut;
      if (total > budget.total) throw new OverBudget('all entries');
      if (budget.entry.name.test(name) && sofar > budget.entry.max) throw new OverBudget(name);
    };
  };
  const limitOf = (what: string) => (what === 'all entries' ? budget.total : budget.entry.max);
  try {
    const entries = directory(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const declared = entries.reduce((sum, entry) => sum + (entry.size === ZIP64 ? 0 : entry.size), 0);
    if (declared > budget.total)
      throw new InputError(
        `${label} inflates to ${Math.round(declared / 1048576)} MB (limit ${budget.total / 1048576} MB): refusing a possible zip bomb`,
      );
    byLocalHeaders(bytes, counter());
    byDirectory(bytes, entries, counter());
  } catch (err) {
    if (err instanceof OverBudget) throw over(err.message, limitOf(err.message));
    if (err instanceof InputError) throw err;
    throw new InputError(`corrupt ${label}: ${String((err as Error).message ?? err)}`);
  }
}

type Count = (name: string, bytesOut: number, sofar: number) => void;

function byLocalHeaders(bytes: Uint8Array, count: Count): void {
  const unzip = new Unzip((file) => {
    let sofar = 0;
    file.ondata = (err, data) => {
      if (err) throw err;
      sofar += data.length;
      count(file.name, data.length, sofar);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let i = 0; i < bytes.length; i += STEP) unzip.push(bytes.subarray(i, i + STEP), i + STEP >= bytes.length);
}

function byDirectory(bytes: Uint8Array, entries: DirectoryEntry[], count: Count): void {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    if (entry.localOffset + 30 > view.length || view.readUInt32LE(entry.localOffset) !== 0x04034b50)
      throw new InputError(`corrupt DOCX: the directory points ${entry.name} at no local header`);
    const start =
      entry.localOffset + 30 + view.readUInt16LE(entry.localOffset + 26) + view.readUInt16LE(entry.localOffset + 28);
    const data = view.subarray(start, Math.min(view.length, start + entry.compressedSize));
    if (entry.method === 0) {
      count(entry.name, data.length, data.length);
      continue;
    }
    // Other methods: JSZip refuses them, so nothing is inflated.
    if (entry.method !== 8) continue;
    let sofar = 0;
    const inflate = new Inflate((chunk) => {
      sofar += chunk.length;
      count(entry.name, chunk.length, sofar);
    });
    for (let i = 0; i < data.length; i += STEP) inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  }
}

/** The central directory's entries, found from the end-of-central-directory record. */
function directory(view: Buffer): DirectoryEntry[] {
  const eocd = view.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'), Math.max(0, view.length - 22));
  if (eocd < 0 || view.length - eocd > 22 + 65535 + 1024)
    throw new InputError('corrupt DOCX: no end of central directory');
  const count = view.readUInt16LE(eocd + 10);
  let at = view.readUInt32LE(eocd + 16);
  const entries: DirectoryEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (at + 46 > view.length || view.readUInt32LE(at) !== 0x02014b50)
      throw new InputError('corrupt DOCX: a central directory entry is missing');
    const nameLength = view.readUInt16LE(at + 28);
    entries.push({
      name: view.toString('latin1', at + 46, at + 46 + nameLength),
      method: view.readUInt16LE(at + 10),
      compressedSize: view.readUInt32LE(at + 20),
      size: view.readUInt32LE(at + 24),
      localOffset: view.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + view.readUInt16LE(at + 30) + view.readUInt16LE(at + 32);
  }
  return entries;
}
