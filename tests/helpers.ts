// Shared by the tests: paths, and a matcher that compares only the fields an example names.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Fields of `expected` that differ in `actual` (numbers compared to 1e-9 relative). */
export function mismatches(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected)) {
    const a = actual[k];
    const same = typeof v === 'number' && typeof a === 'number' ? Math.abs(a - v) <= 1e-9 * Math.max(1, Math.abs(v)) : JSON.stringify(a ?? null) === JSON.stringify(v ?? null);
    if (!same) out.push(`${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(a)}`);
  }
  return out;
}
