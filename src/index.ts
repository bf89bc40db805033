// cnfacts as a library: the same functions the command line uses, typed.
import { extractDocument as extractWithRules, type ExtractOptions, type DocumentResult } from './extract/document.js';
import { getRules } from './rules/load.js';
import type { ExpressionRecord, Fact } from './facts/record.js';

export { sha256 } from './extract/document.js';
export type { ExtractOptions, DocumentResult } from './extract/document.js';
export { factSchema } from './facts/record.js';
export type { Fact, ExpressionRecord } from './facts/record.js';
export { compileRules } from './rules/compile.js';
export { getRules, loadRuleData, loadRuleFile, RuleFileError, defaultRulesDir } from './rules/load.js';
export { cleanText } from './text/clean.js';
export { OffsetMap } from './text/offsets.js';
export { decodeBytes, InputError } from './ingest/decode.js';
export { runExtract } from './ingest/run.js';
export type { ExtractRunOptions, RunSummary } from './ingest/run.js';
export { openStore } from './store/schema.js';
export { iterateFacts, countFacts } from './store/read.js';
export type { FactFilter } from './store/read.js';
export { exportFacts, EXPORT_FIELDS } from './export/export.js';
export { scoreFacts, formatScore, dice } from './eval/score.js';
export { extractorVersion, PACKAGE_VERSION } from './version.js';

/** One document, end to end: its facts, every numeric expression, the cleaned text. With the built-in rules unless `opts.rules`. */
export function extractDocument(text: string, opts: ExtractOptions = {}): DocumentResult {
  return extractWithRules(text, { ...opts, rules: opts.rules ?? getRules() });
}

/** The facts in a text: the one call most users need. */
export function extractFacts(text: string, opts: ExtractOptions = {}): Fact[] {
  return extractDocument(text, opts).facts;
}

/** Every numeric expression in a text, fact or not (what `parse --all` prints). */
export function parseNumbers(text: string, opts: ExtractOptions = {}): ExpressionRecord[] {
  return extractDocument(text, opts).expressions;
}

export type { DocumentResult as Extraction };
