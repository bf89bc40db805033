// `cnfacts extract`: read articles, extract their facts, store them.
import { runExtract, type RunSummary } from '../ingest/run.js';
import { EXIT } from './common.js';

export interface ExtractOptions {
  db: string;
  force?: boolean;
  published?: string;
  json?: boolean;
  quiet?: boolean;
  rules?: string;
}

export function formatSummary(s: RunSummary): string {
  const lines = [
    `extracted ${s.documents} documents from ${s.files} files in ${s.seconds.toFixed(1)}s: ${s.new} new, ${s.changed} changed, ${s.skipped} unchanged (skipped), ${s.failed} failed`,
    `facts: ${s.factsAdded} added, ${s.factsRemoved} removed   (${Math.round(s.chars / Math.max(s.seconds, 0.001)).toLocaleString('en')} characters/s)`,
  ];
  for (const e of s.errors.slice(0, 20)) lines.push(`  failed: ${e.path}: ${e.reason}: ${e.detail.split('\n')[0]}`);
  if (s.errors.length > 20) lines.push(`  … and ${s.errors.length - 20} more (see the errors table)`);
  return lines.join('\n');
}

export async function extractCommand(inputs: string[], opts: ExtractOptions): Promise<number> {
  const summary = await runExtract({ inputs, db: opts.db, force: opts.force, published: opts.published ?? null, rulesDir: opts.rules });
  if (opts.json) process.stdout.write(JSON.stringify({ ...summary, db: opts.db }) + '\n');
  else if (!opts.quiet) console.log(`${formatSummary(summary)}\ndatabase: ${opts.db}`);
  if (summary.status === 'interrupted') return EXIT.interrupted;
  return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
}
