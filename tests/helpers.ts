// Shared by the tests: paths, and temporary folders that are removed when their test file ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

const temporary: string[] = [];

/** A fresh folder under the system's temporary folder; tests/setup.ts removes it after the file's tests. */
export function tempDir(prefix = 'cnfacts-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** Write files (names may hold folders) under dir; returns dir. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
