// Checks an OLE compound file's structure before a parser follows it: every sector chain (DIFAT, FAT, directory,
// mini FAT, each stream) must end, stay inside the file and never visit a sector twice. word-extractor follows
// chains without such checks, so a FAT that loops ran it until the process died. Also reads the Word FIB's
// fEncrypted bit: an encrypted document's text is ciphertext, read as if it were text it gives wrong values.
import { InputError } from '../../../core/errors.ts';

const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
/** FAT values at or above this are markers (FAT/DIFAT sector, end of chain, free), never a next sector. */
const MAX_REGULAR = 0xfffffffa;

interface Entry {
  name: string;
  type: number;
  start: number;
  size: number;
}

export interface CfbSummary {
  /** The WordDocument stream's FIB says the document is encrypted (or XOR-obfuscated). */
  encrypted: boolean;
  streams: number;
}

const corrupt = (why: string) => new InputError(`corrupt DOC: ${why}`);

export function checkCompoundFile(bytes: Uint8Array): CfbSummary {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < 512) throw corrupt('shorter than an OLE header');
  const shift = view.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw corrupt(`sector size 2^${shift} is not 512 or 4096`);
  const sectorSize = 1 << shift;
  const sectorCount = Math.floor((view.length - sectorSize) / sectorSize) + 1;
  const offsetOf = (sector: number) => (sector + 1) * sectorSize;
  const readable = (sector: number) =>
    sector < MAX_REGULAR && offsetOf(sector) + sectorSize <= view.length + sectorSize;

  // DIFAT: 109 FAT sector numbers in the header, more in a chain of DIFAT sectors.
  const fatCount = view.readUInt32LE(0x2c);
  if (fatCount * sectorSize > view.length) throw corrupt(`header claims ${fatCount} FAT sectors, more than the file`);
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(view.readUInt32LE(0x4c + i * 4));
  const seenDifat = new Set<number>();
  for (let difat = view.readUInt32LE(0x44); difat < MAX_REGULAR && fatSectors.length < fatCount;) {
    if (seenDifat.has(difat) || !readable(difat)) throw corrupt('the DIFAT chain loops or leaves the file');
    seenDifat.add(difat);
    const base = offsetOf(difat);
    const perSector = sectorSize / 4 - 1;
    for (let i = 0; i < perSector && fatSectors.length < fatCount; i++)
      fatSectors.push(view.readUInt32LE(base + i * 4));
    difat = view.readUInt32LE(base + perSector * 4);
  }
  const fat: number[] = [];
  for (const sector of fatSectors) {
    if (!readable(sector) || offsetOf(sector) + sectorSize > view.length)
      throw corrupt('a FAT sector lies outside the file');
    for (let i = 0; i < sectorSize / 4; i++) fat.push(view.readUInt32LE(offsetOf(sector) + i * 4));
  }

  /** A chain's sectors; throws when it loops, leaves the FAT or the file. */
  const chain = (table: number[], start: number, limit: number, what: string): number[] => {
    const sectors: number[] = [];
    const seen = new Set<number>();
    for (let sector = start; sector !== END_OF_CHAIN; sector = table[sector]) {
      if (sector === FREE || sector >= MAX_REGULAR) break;
      if (sector >= table.length || sector >= limit) throw corrupt(`the ${what} chain leaves the file`);
      if (seen.has(sector)) throw corrupt(`the ${what} chain loops (sector ${sector} twice)`);
      seen.add(sector);
      sectors.push(sector);
    }
    return sectors;
  };

  const directorySectors = chain(fat, view.readUInt32LE(0x30), sectorCount, 'directory');
  const entries: Entry[] = [];
  for (const sector of directorySectors)
    for (let at = offsetOf(sector); at + 128 <= Math.min(view.length, offsetOf(sector) + sectorSize); at += 128) {
      const nameLength = Math.min(64, view.readUInt16LE(at + 0x40));
      entries.push({
        name: view.toString('utf16le', at, at + Math.max(0, nameLength - 2)),
        type: view[at + 0x42],
        start: view.readUInt32LE(at + 0x74),
        size: view.readUInt32LE(at + 0x78),
      });
    }
  const root = entries.find((entry) => entry.type === 5);
  if (!root) throw corrupt('no root directory entry');

  const cutoff = view.readUInt32LE(0x38) || 4096;
  const miniFat: number[] = [];
  for (const sector of chain(fat, view.readUInt32LE(0x3c), sectorCount, 'mini FAT'))
    for (let i = 0; i < sectorSize / 4; i++) miniFat.push(view.readUInt32LE(offsetOf(sector) + i * 4));
  const rootSectors = chain(fat, root.start, sectorCount, 'mini stream');
  const miniCount = (rootSectors.length * sectorSize) / 64;

  let streams = 0;
  let word: Buffer | null = null;
  for (const entry of entries) {
    if (entry.type !== 2) continue;
    streams++;
    const mini = entry.size < cutoff;
    const sectors = mini
      ? chain(miniFat, entry.start, miniCount, `${entry.name} stream`)
      : chain(fat, entry.start, sectorCount, `${entry.name} stream`);
    const capacity = sectors.length * (mini ? 64 : sectorSize);
    if (capacity < entry.size)
      throw corrupt(`the ${entry.name} stream claims ${entry.size} bytes, its chain holds ${capacity}`);
    if (entry.name === 'WordDocument' && !mini && sectors.length)
      word = view.subarray(offsetOf(sectors[0]), offsetOf(sectors[0]) + sectorSize);
  }
  // FibBase.flags at 0x0A: fEncrypted (0x0100); fObfuscated (0x8000) only counts together with it.
  const encrypted = word !== null && word.length >= 12 && (word.readUInt16LE(0x0a) & 0x0100) !== 0;
  return { encrypted, streams };
}
