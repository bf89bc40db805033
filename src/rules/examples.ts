// Running the examples kept beside the rules: each names a text and what must
// (or must not) be found in it. Used by the test suite and by `cnfacts rules`.
import { extractDocument } from '../extract/document.js';
import type { CompiledRules } from './compile.js';
import { getRules } from './load.js';
import type { RuleExample } from './schema.js';

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

/** What is wrong with an example under the given rules (the built-in ones by default); an empty list means it holds. */
export function exampleProblems(ex: RuleExample, rules: CompiledRules = getRules()): string[] {
  const r = extractDocument(ex.text, { doc: '-', rules });
  const found = (ex.mode === 'all' ? r.expressions : r.facts) as unknown as Record<string, unknown>[];
  if (ex.expect.length === 0) return found.map((f) => `unexpected ${ex.mode === 'all' ? 'expression' : 'fact'} ${JSON.stringify(f.quote)}`);
  const out: string[] = [];
  const used = new Set<number>();
  ex.expect.forEach((want, i) => {
    // matched by quote when the example gives one, else the first unused item that fits, else in order
    let idx = typeof want.quote === 'string' ? found.findIndex((f, k) => !used.has(k) && f.quote === want.quote) : found.findIndex((f, k) => !used.has(k) && mismatches(f, want).length === 0);
    if (idx < 0 && typeof want.quote !== 'string') idx = found.findIndex((_, k) => !used.has(k) && k >= i);
    if (idx < 0) {
      out.push(`missing ${JSON.stringify(want)} (found ${found.map((f) => f.quote).join(', ') || 'nothing'})`);
      return;
    }
    used.add(idx);
    for (const m of mismatches(found[idx], want)) out.push(`${JSON.stringify(found[idx].quote)} ${m}`);
  });
  return out;
}
