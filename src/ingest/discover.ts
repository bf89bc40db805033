// Finding input files: folders (every .txt and .jsonl inside), single files,
// and glob patterns. Each input carries the provenance name of its documents:
// the path relative to the folder given, or to the current directory.
import fg from 'fast-glob';
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
}

const EXTENSIONS = ['txt', 'jsonl'];

export async function discover(inputs: string[], cwd = process.cwd()): Promise<{ files: InputFile[]; missing: string[] }> {
  const files = new Map<string, InputFile>();
  const missing: string[] = [];
  const add = (abs: string, root: string, size = 0) => {
    if (files.has(abs)) return;
    const kind = abs.endsWith('.jsonl') ? 'jsonl' : 'text';
    files.set(abs, { file: abs, doc: toPosix(path.relative(root, abs)) || path.basename(abs), kind, size });
  };
  // Listed without fast-glob's stats (an lstat through libuv's thread pool for each entry: 250-490 ms
  // for the benchmark's 9,696 files), then sized here one synchronous stat each (about 35 ms): a
  // re-run over an unchanged archive is mostly this walk.
  const addFound = (found: string[], root: string) => {
    found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const f of found) {
      const abs = path.normalize(f);
      add(abs, root, fs.statSync(abs, { throwIfNoEntry: false })?.size ?? 0); // gone already: reading it says so
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = null;
    }
    if (stat?.isDirectory()) {
      const found = await fg(`**/*.{${EXTENSIONS.join(',')}}`, { cwd: abs, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: false });
      addFound(found, abs);
    } else if (stat?.isFile()) {
      add(abs, cwd, stat.size);
    } else if (fg.isDynamicPattern(input)) {
      const found = await fg(toPosix(input), { cwd, absolute: true, onlyFiles: true });
      addFound(found, cwd);
      if (!found.length) missing.push(input);
    } else missing.push(input);
  }
  return { files: [...files.values()], missing };
}

const toPosix = (p: string) => p.split(path.sep).join('/');
