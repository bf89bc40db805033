// `cnfacts export`: facts from a database as JSON Lines or CSV, with reviewers' corrections applied.
import { openStore } from '../store/schema.js';
import type { FactFilter } from '../store/read.js';
import { EXPORT_FIELDS, exportFacts, openOutput, type ExportFormat } from '../export/export.js';
import { Review } from '../review/verdicts.js';
import { EXPORT_VERDICTS, iterateReviewedFacts, type ExportVerdict, type ReviewedFact } from '../review/export.js';
import { requireDb, UsageError } from './common.js';

export interface ExportOptions extends FactFilter {
  db: string;
  format: string;
  out?: string;
  /** only facts with this verdict; also adds the verdict and corrected columns */
  verdict?: string;
}

export async function exportCommand(opts: ExportOptions): Promise<number> {
  if (opts.format !== 'jsonl' && opts.format !== 'csv') throw new UsageError(`--format is jsonl or csv, not "${opts.format}"`);
  if (opts.verdict !== undefined && !(EXPORT_VERDICTS as readonly string[]).includes(opts.verdict)) {
    throw new UsageError(`--verdict is ${EXPORT_VERDICTS.join(', ')}, not "${opts.verdict}"`);
  }
  const db = openStore(requireDb(opts.db), { readonly: true });
  const { out, close } = openOutput(opts.out);
  try {
    // corrections apply whether or not --verdict is given: a corrected field is the reviewed truth
    new Review(db);
    const facts = iterateReviewedFacts(db, opts, (opts.verdict ?? 'all') as ExportVerdict);
    const fields: (keyof ReviewedFact)[] = opts.verdict ? [...EXPORT_FIELDS, 'verdict', 'corrected'] : EXPORT_FIELDS;
    const n = await exportFacts(facts, opts.format as ExportFormat, out, fields);
    if (opts.out && opts.out !== '-') console.error(`exported ${n} facts to ${opts.out}`);
  } finally {
    await close();
    db.close();
  }
  return 0;
}
