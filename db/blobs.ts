// Content-addressed blob store: $NIANBAO_HOME/blobs/ab/cd/<sha256>. Written once, atomically (tmp + rename).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Relative path of a blob under the store root. */
export function blobPath(hash: string): string {
  return `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export class BlobStore {
  constructor(readonly root: string) {}

  /** Writes the bytes unless a blob with that hash is already there; returns whether it wrote. */
  async put(hash: string, bytes: Uint8Array): Promise<boolean> {
    const file = join(this.root, blobPath(hash));
    if (await exists(file)) return false;
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    return true;
  }

  async get(relPath: string): Promise<Buffer> {
    return readFile(join(this.root, relPath));
  }
}
