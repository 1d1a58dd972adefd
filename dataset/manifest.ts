// The manifest of a snapshot: what it is (dataset version, date, extractor versions), how many rows each table has,
// and the size and SHA-256 of every file, so a copy can be checked (also as SHA256SUMS for `sha256sum -c`).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  name: string;
  dataset_version: string;
  format_version: number;
  created_at: string;
  licence: string;
  reports: number;
  extractors: Array<{ extractor: string; reports: number }>;
  tables: Array<{ name: string; rows: number; description: string; files: string[] }>;
  files: ManifestFile[];
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir` (relative, `/`-separated, sorted) with its size and hash, except those in `skip`. */
export async function describeFiles(dir: string, skip: string[] = []): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  const walk = async (at: string) => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((x, y) => x.name.localeCompare(y.name))) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const path = relative(dir, full).split(sep).join('/');
        if (!skip.includes(path)) out.push({ path, bytes: (await stat(full)).size, sha256: await sha256File(full) });
      }
    }
  };
  await walk(dir);
  return out.sort((x, y) => (x.path < y.path ? -1 : 1));
}

/** `sha256sum -c` format. */
export function sha256sums(files: ManifestFile[]): string {
  return files.map((file) => `${file.sha256}  ${file.path}\n`).join('');
}
