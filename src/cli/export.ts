// `cnfacts export`: facts from a database as JSON Lines or CSV.
import { openStore } from '../store/schema.js';
import { iterateFacts, type FactFilter } from '../store/read.js';
import { exportFacts, openOutput, type ExportFormat } from '../export/export.js';
import { requireDb, UsageError } from './common.js';

export interface ExportOptions extends FactFilter {
  db: string;
  format: string;
  out?: string;
}

export async function exportCommand(opts: ExportOptions): Promise<number> {
  if (opts.format !== 'jsonl' && opts.format !== 'csv') throw new UsageError(`--format is jsonl or csv, not "${opts.format}"`);
  const db = openStore(requireDb(opts.db), { readonly: true });
  const { out, close } = openOutput(opts.out);
  try {
    const n = await exportFacts(iterateFacts(db, opts), opts.format as ExportFormat, out);
    if (opts.out && opts.out !== '-') console.error(`exported ${n} facts to ${opts.out}`);
  } finally {
    await close();
    db.close();
  }
  return 0;
}
