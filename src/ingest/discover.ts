// Finding input files: folders (every .txt and .jsonl inside), single files,
// and glob patterns. Each input carries the provenance name of its documents:
// the path relative to the folder given, or to the current directory.
import fg, { type Entry } from 'fast-glob';
import fs from 'node:fs';
import path from 'node:path';

export interface InputFile {
  /** absolute path on disk */
  file: string;
  /** provenance name: relative to the folder given, or to the current directory */
  doc: string;
  kind: 'text' | 'jsonl';
  /** bytes when found (for progress and the time left), 0 if unknown */
  size: number;
  /**
   * The file as it stood when found (device, inode, size, modification and change times), or
   * null when that cannot tell a change: the file changed too recently, or is not a regular file.
   * A document stored with the same stamp has not been written to since it was read (see fileStamp).
   */
  stamp: string | null;
}

const EXTENSIONS = ['txt', 'jsonl'];

/**
 * A file last changed this recently is stamped null: it could still change within the same tick
 * of the filesystem's clock (a few milliseconds on Linux, two seconds on FAT) without its times
 * moving, so only its hash can say it is unchanged. (Git's index has the same blind spot.)
 */
const STAMP_SETTLE_NS = 2_000_000_000n;

/**
 * What says a file has not been written to: every write moves its change time (ctime), which no
 * program can set back (touch and cp -p set the modification time, not that one); replacing it
 * by another file (a rename over it, an rsync) changes the inode. Taken before the file is read,
 * so a write while it is read makes the next run's stamp differ, and that run reads it again.
 */
export function fileStamp(st: fs.BigIntStats | undefined, now = BigInt(Date.now()) * 1_000_000n): string | null {
  if (!st?.isFile()) return null;
  const latest = st.ctimeNs > st.mtimeNs ? st.ctimeNs : st.mtimeNs;
  if (latest > now - STAMP_SETTLE_NS) return null;
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** A name found that is no file to read: a FIFO, a socket or a device, or a symbolic link to nothing or to itself. */
export interface Unusable {
  doc: string;
  reason: 'vanished' | 'unreadable';
  detail: string;
}

/**
 * The files the inputs name, in order; `missing`: inputs that name nothing; `unusable`: entries
 * found that cannot be read as files (never opened: opening a named pipe waits for a writer).
 * Symbolic links to files are read like files; links to folders are not followed (no loops, no
 * folder read twice).
 */
export async function discover(inputs: string[], cwd = process.cwd()): Promise<{ files: InputFile[]; missing: string[]; unusable: Unusable[] }> {
  const files = new Map<string, InputFile>();
  const missing: string[] = [];
  const unusable: Unusable[] = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  // st: the file's stat when the caller has it
  const add = (abs: string, root: string, st?: fs.BigIntStats) => {
    if (files.has(abs)) return;
    st ??= fs.statSync(abs, { bigint: true, throwIfNoEntry: false }); // gone already: reading it says so
    const kind = abs.endsWith('.jsonl') ? 'jsonl' : 'text';
    files.set(abs, { file: abs, doc: toPosix(path.relative(root, abs)) || path.basename(abs), kind, size: Number(st?.size ?? 0), stamp: fileStamp(st, now) });
  };
  // Listed without fast-glob's stats (an lstat through libuv's thread pool for each entry: 250-490 ms
  // for the benchmark's 9,696 files), then sized and stamped here, one synchronous stat each (about
  // 35 ms): a re-run over an unchanged archive is mostly this walk.
  // (fast-glob's entries carry the type read with the folder: no stat is needed to tell a file)
  const addFound = (found: Entry[], root: string) => {
    found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const { path: f, dirent } of found) {
      const abs = path.normalize(f);
      if (dirent.isFile()) add(abs, root);
      else if (!dirent.isDirectory()) addOther(abs, root, dirent.isSymbolicLink());
    }
  };
  // a symbolic link (to a file: read; to a folder: not followed), or what is no file at all
  const addOther = (abs: string, root: string, link: boolean) => {
    const doc = toPosix(path.relative(root, abs));
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(abs, { bigint: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') unusable.push({ doc, reason: 'vanished', detail: link ? `a symbolic link to nothing (${linkTarget(abs)})` : 'gone before it could be read' });
      else unusable.push({ doc, reason: 'unreadable', detail: code === 'ELOOP' ? 'a loop of symbolic links' : (e as Error).message });
      return;
    }
    if (st.isFile()) add(abs, root, st);
    else if (!st.isDirectory()) unusable.push({ doc, reason: 'unreadable', detail: `not a regular file but ${kindOf(st)}` });
  };
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.BigIntStats | undefined;
    try {
      stat = fs.statSync(abs, { bigint: true });
    } catch {
      stat = undefined; // missing, or not reachable (ENOTDIR, EACCES): a pattern, or reported missing
    }
    if (stat?.isDirectory()) {
      const found = await fg(`**/*.{${EXTENSIONS.join(',')}}`, { cwd: abs, absolute: true, onlyFiles: false, objectMode: true, dot: false, followSymbolicLinks: false });
      addFound(found, abs);
    } else if (stat?.isFile()) {
      add(abs, cwd, stat);
    } else if (stat) {
      addOther(abs, cwd, false);
    } else if (fg.isDynamicPattern(input)) {
      const found = await fg(toPosix(input), { cwd, absolute: true, onlyFiles: false, objectMode: true, followSymbolicLinks: false });
      addFound(found, cwd);
      if (!found.length) missing.push(input);
    } else missing.push(input);
  }
  return { files: [...files.values()], missing, unusable };
}

function kindOf(st: fs.BigIntStats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'something else';
}

function linkTarget(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '?';
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/');
