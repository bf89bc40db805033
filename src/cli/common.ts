// What every command shares: turning failures into clear messages and exit codes.
import fs from 'node:fs';
import { RuleFileError } from '../rules/load.js';

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
