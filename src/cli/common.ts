// What every command shares: turning failures into clear messages and exit codes.
import fs from 'node:fs';
import { RuleFileError } from '../rules/error.js';

/** Exit statuses, documented in the README and in --help. */
export const EXIT = {
  ok: 0,
  /** some inputs could not be read or extracted (they are in the errors table) */
  someFailed: 1,
  /** the command could not run: bad arguments, a bad rule file, a missing database */
  usage: 2,
  /** stopped by SIGINT before finishing */
  interrupted: 130,
} as const;

export class UsageError extends Error {}

/** Run a command body; known failures become one line on stderr and an exit status, never a stack trace. */
export async function guarded(body: () => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? EXIT.ok;
  } catch (e) {
    if (e instanceof RuleFileError) {
      console.error(`cnfacts: bad rule file ${e.message}`);
      process.exitCode = EXIT.usage;
    } else if (e instanceof UsageError) {
      console.error(`cnfacts: ${e.message}`);
      process.exitCode = EXIT.usage;
    } else {
      console.error(`cnfacts: unexpected error: ${(e as Error).message}`);
      if (process.env.CNFACTS_DEBUG) console.error((e as Error).stack);
      process.exitCode = EXIT.usage;
    }
  }
}

export function requireDb(file: string): string {
  if (!fs.existsSync(file)) throw new UsageError(`no database at ${file} (run \`cnfacts extract <folder> --db ${file}\` first)`);
  return file;
}

export function parseYear(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1000 || n > 3000) throw new UsageError(`--year expects a four-digit year, got "${v}"`);
  return n;
}

export function parseDate(v: string): string {
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v) || Number.isNaN(new Date(v).getTime())) throw new UsageError(`--published expects a date like 2024-02-26, got "${v}"`);
  return v;
}

// Option values, parsed when the command line is read (the commands' own modules are loaded
// only when they run).

/** `512KB`, `4MB`, `1.5M`, `1048576`: a size in bytes (K and M are 1024 and 1024²). */
export function parseSize(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(k|m|g)i?b?|b)?\s*$/i.exec(v);
  if (!m) throw new UsageError(`--max-size expects a size like 512KB or 4MB, got "${v}"`);
  const scale = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  const n = Math.floor(Number(m[1]) * scale);
  if (n < 1) throw new UsageError(`--max-size must be at least one byte, got "${v}"`);
  return n;
}

export function parseConcurrency(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new UsageError(`--concurrency expects a whole number of threads (0 extracts on the main thread), got "${v}"`);
  return n;
}

export function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port expects a port number (0–65535), got "${v}"`);
  return n;
}

export const DEFAULT_SAMPLE = 20;
export const DEFAULT_SEED = '1';

export function parseSampleSize(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--sample expects a positive whole number, got "${v}"`);
  return n;
}
