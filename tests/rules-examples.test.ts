// Every example kept beside the rules in rules/*.yaml runs here, one test each.
// An example marked `todo` is a known failure kept visible: it must still fail.
import { describe, expect, test } from 'vitest';
import { loadRuleData } from '../src/rules/load.js';
import { extractDocument } from '../src/extract/document.js';
import type { RuleExample } from '../src/rules/schema.js';
import { mismatches } from './helpers.js';

const data = loadRuleData();

function problems(ex: RuleExample): string[] {
  const r = extractDocument(ex.text, { doc: '-' });
  const found: Record<string, unknown>[] = (ex.mode === 'all' ? r.expressions : r.facts) as unknown as Record<string, unknown>[];
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

for (const [file, rules] of Object.entries(data)) {
  describe(`rules/${file}.yaml`, () => {
    for (const ex of rules.examples) {
      const name = `${ex.mode === 'all' ? '[all] ' : ''}${ex.text}`;
      if (ex.todo) test.fails(`${name} (known failure: ${ex.todo})`, () => expect(problems(ex)).toEqual([]));
      else test(name, () => expect(problems(ex)).toEqual([]));
    }
  });
}
