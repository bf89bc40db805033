// `cnfacts facts`: facts in a readable table, each with its sentence and the figure marked.
import { openStore } from '../store/schema.js';
import { countFacts, iterateFacts, type FactFilter } from '../store/read.js';
import type { Fact } from '../facts/record.js';
import { requireDb } from './common.js';

export interface FactsOptions extends FactFilter {
  db: string;
  json?: boolean;
}

const fmtNumber = (v: number | null) => (v === null ? '' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12))));

export function describeValue(f: Pick<Fact, 'value' | 'min' | 'max' | 'unit' | 'qualifier' | 'kind' | 'direction'>): string {
  const v = f.value !== null ? fmtNumber(f.value) : `${fmtNumber(f.min)}–${fmtNumber(f.max)}`;
  const q = { exact: '', approx: '≈', over: '>', under: '<' }[f.qualifier];
  const dir = f.direction === 'up' ? '↑' : f.direction === 'down' ? '↓' : '';
  const unit = f.kind === 'rank' ? '' : f.unit ? ` ${f.unit}` : '';
  return `${dir}${q}${f.kind === 'rank' ? '#' : ''}${v}${unit}`;
}

/** The original sentence with the figure marked 【like this】, whitespace folded for reading. */
export function markedSentence(docText: string, f: Pick<Fact, 'start' | 'end' | 'sentence_start' | 'sentence_end'>): string {
  const cps = Array.from(docText);
  const s = Math.min(f.sentence_start, f.start), e = Math.max(f.sentence_end, f.end);
  const out = cps.slice(s, f.start).join('') + '【' + cps.slice(f.start, f.end).join('') + '】' + cps.slice(f.end, e).join('');
  return out.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
}

export async function factsCommand(opts: FactsOptions): Promise<number> {
  const db = openStore(requireDb(opts.db), { readonly: true });
  try {
    const limit = opts.limit ?? 50;
    const texts = new Map<string, string>();
    const textOf = (doc: string) => {
      let t = texts.get(doc);
      if (t === undefined) {
        t = (db.prepare('SELECT text FROM documents WHERE path = ?').get(doc) as { text: string }).text;
        texts.set(doc, t);
      }
      return t;
    };
    const total = countFacts(db, opts);
    let shown = 0;
    for (const f of iterateFacts(db, { ...opts, limit })) {
      shown++;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...f, marked: markedSentence(textOf(f.doc), f) }) + '\n');
        continue;
      }
      const head = [f.subject ?? '?', f.metric ?? '?', f.year ?? '—'].join(' · ');
      const tags = [f.kind, f.modality !== 'actual' ? f.modality : '', f.scope ? `scope ${f.scope}` : ''].filter(Boolean).join(', ');
      process.stdout.write(`${head}  ${describeValue(f)}  (${tags})  confidence ${f.confidence.toFixed(2)}\n`);
      process.stdout.write(`    ${f.doc}:${f.start}-${f.end}  ${markedSentence(textOf(f.doc), f)}\n`);
    }
    if (!opts.json) process.stderr.write(`${shown} of ${total} facts${total > shown ? ` (use --limit and --offset to see more)` : ''}\n`);
  } finally {
    db.close();
  }
  return 0;
}
