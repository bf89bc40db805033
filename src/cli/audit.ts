// `cnfacts audit`: a reproducible random sample of facts for spot checks, or
// review progress with the acceptance rate of every rule, weakest first.
import { openStore } from '../store/schema.js';
import { Review } from '../review/verdicts.js';
import { reviewStats, sampleFacts, type SampleVerdict } from '../review/audit.js';
import type { ReviewFact } from '../review/query.js';
import { describeValue } from './facts.js';
import { DEFAULT_SAMPLE, DEFAULT_SEED, requireDb, UsageError } from './common.js';

export interface AuditOptions {
  db: string;
  sample?: number;
  seed?: string;
  stats?: boolean;
  verdict?: SampleVerdict;
  rule?: string;
  doc?: string;
  json?: boolean;
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const fold = (s: string) => s.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
const marked = (f: ReviewFact) => fold(`${f.context.before}【${f.context.quote}】${f.context.after}`);

export async function auditCommand(opts: AuditOptions): Promise<number> {
  if (opts.stats && (opts.sample !== undefined || opts.seed !== undefined)) throw new UsageError('--stats and --sample/--seed are separate reports; give one or the other');
  const db = openStore(requireDb(opts.db), { readonly: true });
  try {
    const review = new Review(db);
    if (opts.stats) printStats(review, !!opts.json);
    else printSample(db, opts);
  } finally {
    db.close();
  }
  return 0;
}

function printSample(db: ReturnType<typeof openStore>, opts: AuditOptions) {
  const size = opts.sample ?? DEFAULT_SAMPLE;
  const seed = opts.seed ?? DEFAULT_SEED;
  const { population, facts } = sampleFacts(db, { size, seed, verdict: opts.verdict, rule: opts.rule, doc: opts.doc });
  if (opts.json) {
    for (const f of facts) {
      const { context: _c, row: _r, ...rest } = f;
      process.stdout.write(JSON.stringify({ ...rest, marked: marked(f) }) + '\n');
    }
    return;
  }
  const which = [opts.verdict && opts.verdict !== 'all' ? opts.verdict : '', opts.rule ? `rule ${opts.rule}` : '', opts.doc ? `in ${opts.doc}` : ''].filter(Boolean).join(', ');
  process.stdout.write(`sample of ${facts.length} from ${population} facts${which ? ` (${which})` : ''}, seed ${seed}: the same seed and store give the same sample\n\n`);
  facts.forEach((f, i) => {
    const head = [f.subject ?? '?', f.metric ?? '?', f.year ?? '—'].join(' · ');
    const verdict = f.verdict ? `${f.verdict}${f.corrections ? ' ' + JSON.stringify(f.corrections) : ''}` : 'unreviewed';
    process.stdout.write(`${String(i + 1).padStart(3)}. ${head}  ${describeValue(f)}  (${f.kind}${f.modality !== 'actual' ? ', ' + f.modality : ''})  confidence ${f.confidence.toFixed(2)}  [${verdict}]\n`);
    process.stdout.write(`     ${f.doc}:${f.start}-${f.end}  ${marked(f)}\n`);
    process.stdout.write(`     id ${f.id}  rule ${f.rule}${f.doubts.length ? `  doubts: ${f.doubts.join('; ')}` : ''}\n`);
  });
}

function printStats(review: Review, json: boolean) {
  const s = reviewStats(review);
  const orphans = review.orphans(20);
  if (json) {
    process.stdout.write(JSON.stringify({ ...s, orphanList: orphans.orphans }) + '\n');
    return;
  }
  const out: string[] = [];
  out.push(`reviewed ${s.reviewed} of ${s.facts} facts (${pct(s.facts ? s.reviewed / s.facts : null)})`);
  out.push(`  accepted ${s.accepted}, corrected ${s.corrected}, rejected ${s.rejected}: ${pct(s.acceptance)} accepted as extracted`);
  out.push(`  orphaned verdicts: ${s.orphans}${s.orphans ? ' (their figures were not found again after re-extraction; listed below)' : ''}`);
  out.push('');
  out.push('acceptance per rule, weakest first (a rule counts for every fact it contributed to):');
  out.push(`  ${'acceptance'.padStart(10)}  ${'reviewed'.padStart(8)}  ${'accepted'.padStart(8)}  ${'corrected'.padStart(9)}  ${'rejected'.padStart(8)}  ${'facts'.padStart(6)}  rule`);
  for (const r of s.rules) {
    out.push(`  ${pct(r.acceptance).padStart(10)}  ${String(r.reviewed).padStart(8)}  ${String(r.accepted).padStart(8)}  ${String(r.corrected).padStart(9)}  ${String(r.rejected).padStart(8)}  ${String(r.facts).padStart(6)}  ${r.rule}`);
  }
  if (orphans.total) {
    out.push('');
    out.push(`orphans${orphans.total > orphans.orphans.length ? ` (newest ${orphans.orphans.length} of ${orphans.total})` : ''}:`);
    for (const o of orphans.orphans) {
      out.push(`  ${o.doc}:${o.start}-${o.end}  【${o.quote}】 ${o.verdict}${o.reviewer ? ' by ' + o.reviewer : ''} ${o.at}${o.note ? `  note: ${fold(o.note)}` : ''}`);
      out.push(`      ${fold(o.sentence)}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}
