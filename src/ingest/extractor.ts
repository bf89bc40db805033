// The extraction step of a run, the same in a worker thread and on the main
// thread: rules compiled and jieba's dictionary loaded once, then one call per
// document. An exception inside extraction comes back as a result, so that a
// rejected task always means the thread itself died.
import { extractDocument } from '../extract/document.js';
import { compileRules } from '../rules/compile.js';
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

/**
 * Load the rules and the dictionaries now (about two seconds), not on the first document.
 * `ruleData`: the rules as the run read and checked them (from `rulesDir`); compiled here, not read again.
 */
export function makeExtractor(ruleData: RuleData, rulesDir?: string): Extract {
  const rules = compileRules(ruleData, rulesDir);
  const version = extractorVersion(rules.data);
  // A first pass over the examples kept beside the rules, before any document: each exercises
  // its rule, so the type feedback the compiler optimizes from covers rare branches too, and
  // optimized code is not thrown away the first time a document takes one. It also loads
  // jieba's dictionary now rather than on the first document.
  for (const { examples } of Object.values(ruleData)) for (const ex of examples) extractDocument(ex.text, { doc: '-', rules, published: '2024-06-30' });
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
