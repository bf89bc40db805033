// Export: one JSON object per fact (JSON Lines) or one CSV row per fact,
// with the fields of ../shared/spec/facts.md first, then provenance.
import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import type { Fact } from '../facts/record.js';

export const EXPORT_FIELDS: (keyof Fact)[] = [
  'id', 'doc', 'start', 'end', 'quote', 'value', 'min', 'max', 'unit', 'kind', 'qualifier', 'modality', 'year', 'time_text',
  'subject', 'metric', 'scope', 'direction', 'confidence', 'sentence', 'sentence_start', 'sentence_end', 'rule', 'rules', 'doubts',
  'sha256', 'extractor_version',
];

export type ExportFormat = 'jsonl' | 'csv';

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Write facts to a stream; returns how many were written. `fields` adds columns after the spec's (a review's verdict). */
export async function exportFacts<F extends Fact>(facts: Iterable<F>, format: ExportFormat, out: Writable, fields: (keyof F)[] = EXPORT_FIELDS): Promise<number> {
  let n = 0;
  if (format === 'jsonl') {
    for (const f of facts) {
      const o: Record<string, unknown> = {};
      for (const k of fields) o[k as string] = f[k];
      await write(out, JSON.stringify(o) + '\n');
      n++;
    }
    return n;
  }
  const csv = stringify({ header: true, columns: fields as string[], cast: { number: (v) => String(v), boolean: (v) => (v ? 'true' : 'false') } });
  const piped = csv.pipe(out, { end: false });
  for (const f of facts) {
    const row: Record<string, unknown> = {};
    for (const k of fields) {
      const v = f[k];
      row[k as string] = Array.isArray(v) ? v.join('|') : v;
    }
    if (!csv.write(row)) await once(csv, 'drain');
    n++;
  }
  csv.end();
  await once(csv, 'end');
  void piped;
  return n;
}

export function openOutput(file: string | undefined): { out: Writable; close: () => Promise<void> } {
  if (!file || file === '-') return { out: process.stdout, close: async () => {} };
  const out = fs.createWriteStream(file);
  return {
    out,
    close: () =>
      new Promise((resolve, reject) => {
        out.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };
}
