// `cnfacts extract`: read articles, extract their facts, store them.
// Progress goes to standard error, the summary to standard output (one JSON
// object with --json). SIGINT or SIGTERM stops the run after the documents in
// flight (exit 130); a second one stops at once, which is safe too, since every
// document is written in its own transaction.
import { runExtract, type RunSummary } from '../ingest/run.js';
import { progressReporter, formatDuration } from './progress.js';
import { EXIT, UsageError } from './common.js';

export interface ExtractOptions {
  db: string;
  force?: boolean;
  rehash?: boolean;
  published?: string;
  json?: boolean;
  quiet?: boolean;
  rules?: string;
  concurrency?: number;
  maxSize?: number;
  progressInterval?: number;
}

export function formatSummary(s: RunSummary): string {
  // every count with its thousands grouped
  const n = (x: number) => x.toLocaleString('en');
  const rate = n(Math.round(s.extractedChars / Math.max(s.seconds, 0.001)));
  // seconds to a tenth under a minute (1.3s), minutes and seconds past it (4m05s)
  const took = s.seconds < 59.95 ? `${s.seconds.toFixed(1)}s` : formatDuration(s.seconds);
  const count = (x: number, what: string) => `${x ? n(x) : 'no'} ${what}${x === 1 ? '' : 's'}`;
  const threads = count(s.concurrency, 'worker thread');
  const lines = [
    `${s.status === 'interrupted' ? 'interrupted after' : 'extracted'} ${count(s.documents, 'document')} from ${count(s.files, 'file')} in ${took}: ${n(s.new)} new, ${n(s.changed)} changed, ${n(s.skipped)} unchanged (skipped${s.skippedUnread ? `; ${n(s.skippedUnread)} of them by their files' stamps, not read` : ''}), ${n(s.failed)} failed`,
    `facts: ${n(s.factsAdded)} added, ${n(s.factsRemoved)} removed   (${n(s.extractedChars)} characters extracted, ${rate} characters/s, ${threads})`,
  ];
  for (const e of s.errors.slice(0, 20)) lines.push(`  failed: ${e.path}: ${e.reason}: ${e.detail.split('\n')[0]}`);
  if (s.failed > 20) lines.push(`  … and ${s.failed - 20} more (see the errors table, run ${s.runId})`);
  return lines.join('\n');
}

export async function extractCommand(inputs: string[], opts: ExtractOptions): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) {
      // a second signal: leave now; every document written so far is whole
      process.stderr.write('cnfacts: stopped\n');
      process.exit(EXIT.interrupted);
    }
    stop.abort();
    if (!opts.quiet) process.stderr.write('\ncnfacts: stopping after the documents in flight (signal again to stop at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = opts.quiet ? null : progressReporter(process.stderr, opts.progressInterval ?? 5);
  let summary: RunSummary;
  try {
    summary = await runExtract({
      inputs,
      db: opts.db,
      force: opts.force,
      rehash: opts.rehash,
      published: opts.published ?? null,
      rulesDir: opts.rules,
      concurrency: opts.concurrency,
      maxBytes: opts.maxSize,
      signal: stop.signal,
      onProgress: progress ? (p) => progress.update(p) : undefined,
      // about a second per 500,000 facts: said from 200,000 on, so that the wait is not taken for a hang
      onIndexing: progress ? (facts) => facts >= 200_000 && progress.note(`building the review indexes over ${facts.toLocaleString('en-US')} facts…`) : undefined,
    });
  } finally {
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (opts.json) process.stdout.write(JSON.stringify({ ...summary, db: opts.db }) + '\n');
  else if (!opts.quiet) console.log(`${formatSummary(summary)}\ndatabase: ${opts.db}`);
  else if (summary.failed) process.stderr.write(formatSummary(summary).split('\n').slice(2).join('\n') + '\n');
  if (summary.status === 'interrupted') return EXIT.interrupted;
  return summary.failed > 0 ? EXIT.someFailed : EXIT.ok;
}
