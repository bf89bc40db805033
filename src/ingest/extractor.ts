// The extraction step of a run, the same in a worker thread and on the main
// thread: rules compiled and jieba's dictionary loaded once, then one call per
// document. An exception inside extraction comes back as a result, so that a
// rejected task always means the thread itself died.
import { extractDocument } from '../extract/document.js';
import { compileRules, type CompiledRules } from '../rules/compile.js';
import type { RuleData } from '../rules/schema.js';
import { extractorVersion } from '../version.js';
import { factRow, type FactRow } from '../store/write.js';

export interface ExtractTask {
  doc: string;
  text: string;
  published: string | null;
  /** of the text, as read: the thread need not hash it again */
  sha256?: string;
}

/** `facts`: as the rows the store writes (store/write.ts); `ms`: time spent extracting, on the thread that did it */
export type ExtractResult = { ok: true; facts: FactRow[]; version: string; ms: number } | { ok: false; error: string };

export type Extract = (task: ExtractTask) => ExtractResult;

const WARM_UP = '2023年，渝北区规上工业总产值3512.5亿元，增长15.8%，占全市25.4%，排名全市第一。';

/**
 * Extract the rules' own examples, one by one and then as one article of many lines,
 * before the first document. V8 optimizes a function with the types it has seen so far;
 * a branch that real text reaches only later (a range, a rank, a Chinese numeral) then
 * throws the optimized code away and compiles the function again, and the largest
 * (extractDocument, ownMetric, findEntities) take hundreds of milliseconds each time.
 * Measured on 20 MB with two threads: 736 optimizing compilations without the examples,
 * 597 with them, for about 150 ms of CPU per thread spent on the examples.
 */
function warmUp(ruleData: RuleData, rules: CompiledRules): void {
  const texts = [WARM_UP];
  for (const part of Object.values(ruleData) as { examples: { text: string }[] }[]) for (const ex of part.examples) texts.push(ex.text);
  texts.push(texts.join('\n'));
  for (const text of texts) {
    try {
      extractDocument(text, { doc: '-', rules });
    } catch {
      // only a warm-up: a document that fails the same way is recorded when it comes
    }
  }
}

/**
 * Load the rules and the dictionaries now (about two seconds), not on the first document.
 * `ruleData`: the rules as the run read and checked them (from `rulesDir`); compiled here, not read again.
 */
export function makeExtractor(ruleData: RuleData, rulesDir?: string): Extract {
  const rules = compileRules(ruleData, rulesDir);
  const version = extractorVersion(rules.data);
  warmUp(ruleData, rules);
  return (task) => {
    try {
      const t0 = performance.now();
      const { facts } = extractDocument(task.text, { doc: task.doc, published: task.published, rules, sha256: task.sha256 });
      return { ok: true, facts: facts.map(factRow), version, ms: performance.now() - t0 };
    } catch (e) {
      return { ok: false, error: (e as Error)?.stack ?? String(e) };
    }
  };
}
