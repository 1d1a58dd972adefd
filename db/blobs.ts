// Content-addressed blob store: $NIANBAO_HOME/blobs/ab/cd/<sha256>. Written once, atomically (tmp + rename).
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NianbaoError } from '../core/errors.ts';

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

/**
 * The blob store could not keep or give back bytes (disk full, read-only, permissions, I/O error). Not permanent:
 * the same job succeeds once the disk is fixed, so it is retried and, when its attempts are used up, recorded.
 */
export class BlobStoreError extends NianbaoError {
  override name = 'BlobStoreError';
  readonly permanent = false;
  constructor(
    message: string,
    /** The errno code: ENOSPC, EROFS, EACCES, EDQUOT, EIO … */
    readonly code: string,
  ) {
    super(message);
  }
}

const wrap = (what: string, root: string, err: unknown, code = (err as NodeJS.ErrnoException).code ?? 'EIO') => {
  const why = String((err as Error).message)
    .replace(/^[A-Z]+: /, '')
    .split(',')[0];
  return new BlobStoreError(`blob store ${root}: cannot ${what} (${code}: ${why})`, code);
};

/** mkdir -p on a read-only or forbidden root says ENOENT; the root's own access check names the real cause. */
async function causeOf(root: string, err: unknown): Promise<string | undefined> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT') return code;
  return access(root, constants.W_OK).then(
    () => code,
    (denied: NodeJS.ErrnoException) => denied.code ?? code,
  );
}

export class BlobStore {
  constructor(readonly root: string) {}

  /** Writes the bytes unless a blob with that hash is already there; returns whether it wrote. */
  async put(hash: string, bytes: Uint8Array): Promise<boolean> {
    const file = join(this.root, blobPath(hash));
    if (await exists(file)) return false;
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    } catch (err) {
      // A partly written temporary file (disk full) is removed; the blob itself is never half there.
      await unlink(tmp).catch(() => {});
      const code = await causeOf(this.root, err);
      const rootDenied = code !== (err as NodeJS.ErrnoException).code;
      throw wrap(
        `store ${hash.slice(0, 12)}`,
        this.root,
        rootDenied ? { message: 'the store is not writable' } : err,
        code,
      );
    }
    return true;
  }

  async get(relPath: string): Promise<Buffer> {
    try {
      return await readFile(join(this.root, relPath));
    } catch (err) {
      throw wrap(`read ${relPath}`, this.root, err);
    }
  }
}
