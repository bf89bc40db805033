// Loads and validates the rule files. Every problem is reported as
// `file:line: reason`, and none of them lets a run start with half its rules.
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { RULE_FILES, type RuleData, type RuleFileName } from './schema.js';
import { compileRules, defaultRulesDir, type CompiledRules } from './compile.js';
import { RuleFileError } from './error.js';

export { defaultRulesDir, RuleFileError };

function lineOf(doc: Document, counter: LineCounter, pathParts: PropertyKey[]): number {
  // walk up until a node with a position exists (missing keys point at their parent)
  for (let n = pathParts.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(pathParts.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') + ': ' : '';
  return where + issue.message;
}

export function loadRuleFile<K extends RuleFileName>(file: string, name: K): RuleData[K] {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RuleFileError(file, 1, `cannot read rule file: ${(e as Error).message}`);
  }
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const err = doc.errors[0];
    throw new RuleFileError(file, counter.linePos(err.pos[0]).line, `YAML: ${err.message.split('\n')[0]}`);
  }
  const data = doc.toJS();
  const schema = RULE_FILES[name];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RuleFileError(file, lineOf(doc, counter, issue.path), describe(issue));
  }
  return parsed.data as RuleData[K];
}

/** Loads every rule file from a folder; the set of files is fixed by RULE_FILES. */
export function loadRuleData(dir = defaultRulesDir()): RuleData {
  const out: Partial<RuleData> = {};
  for (const name of Object.keys(RULE_FILES) as RuleFileName[]) {
    const file = path.join(dir, `${name}.yaml`);
    if (!fs.existsSync(file)) throw new RuleFileError(file, 1, `missing rule file (expected ${Object.keys(RULE_FILES).map((n) => n + '.yaml').join(', ')})`);
    (out as Record<string, unknown>)[name] = loadRuleFile(file, name);
  }
  checkUniqueIds(out as RuleData, dir);
  return out as RuleData;
}

/** Rule ids name results; two rules with one id would make a result ambiguous. */
function checkUniqueIds(data: RuleData, dir: string) {
  const seen = new Map<string, string>();
  const visit = (v: unknown, file: string) => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, file));
    else if (v && typeof v === 'object') {
      const id = (v as { id?: unknown }).id;
      if (typeof id === 'string') {
        const prev = seen.get(id);
        if (prev) {
          const line = findLine(path.join(dir, file), `id: ${id}`);
          throw new RuleFileError(path.join(dir, file), line, `rule id "${id}" is already used in ${prev}`);
        }
        seen.set(id, file);
      }
      for (const [k, x] of Object.entries(v)) if (k !== 'examples') visit(x, file);
    }
  };
  for (const [name, d] of Object.entries(data)) visit(d, `${name}.yaml`);
}

function findLine(file: string, needle: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  return i < 0 ? 1 : i + 1;
}

// Kept apart from compile.ts, which the extraction threads import: they compile the rules the
// run read and checked, and need neither the YAML parser nor the schemas.
let cached: CompiledRules | null = null;
let cachedDir: string | null = null;

/** The rules of this process, loaded and compiled once per rules folder. */
export function getRules(dir = defaultRulesDir()): CompiledRules {
  if (!cached || cachedDir !== dir) {
    cached = compileRules(loadRuleData(dir), dir);
    cachedDir = dir;
  }
  return cached;
}
