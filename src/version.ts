// The extractor version: the package version, a fingerprint of the rules and one
// of the extraction code, so that editing a rule file, or updating cnfacts to code
// that extracts differently, marks earlier extractions as stale.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleData } from './rules/schema.js';

const require = createRequire(import.meta.url);
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;

const HERE = path.dirname(fileURLToPath(import.meta.url));
/**
 * What turns a text into facts, beside this module (dist/ when built, src/ under the tests):
 * the stages' folders, how rules are compiled, and the row a fact is stored as. Reading,
 * decoding and storing are not in it: they cannot change the facts of a text.
 */
const EXTRACTION_CODE = ['extract', 'text', 'numbers', 'facts', 'link', 'nlp', 'rules/compile', 'store/write'];
/** How nodejieba is changed (beside src/ and dist/; its version is pinned by the lock file). */
const JIEBA_PATCHES = path.join('..', 'patches');

let codeFingerprint: string | null = null;

/**
 * A fingerprint of the extraction code as it is on disk, read once per thread (about 30 files,
 * a few milliseconds). A file that cannot be read leaves its name in: the version is then
 * that of a partial copy, not an error.
 */
export function extractionCodeFingerprint(): string {
  if (codeFingerprint) return codeFingerprint;
  const h = createHash('sha256');
  const isCode = (name: string) => (name.endsWith('.js') || name.endsWith('.ts')) && !name.endsWith('.d.ts');
  const files: string[] = [];
  for (const part of EXTRACTION_CODE) {
    const dir = path.join(HERE, part);
    if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) for (const f of fs.readdirSync(dir).filter(isCode)) files.push(path.join(part, f));
    else for (const ext of ['.js', '.ts']) if (fs.existsSync(dir + ext)) files.push(part + ext);
  }
  for (const rel of files.sort()) h.update(rel).update('\0').update(readOrEmpty(path.join(HERE, rel))).update('\0');
  const patches = path.join(HERE, JIEBA_PATCHES);
  if (fs.existsSync(patches)) for (const f of fs.readdirSync(patches).sort()) h.update(f).update('\0').update(readOrEmpty(path.join(patches, f))).update('\0');
  return (codeFingerprint = h.digest('hex').slice(0, 8));
}

function readOrEmpty(file: string): Buffer | string {
  try {
    return fs.readFileSync(file);
  } catch {
    return '';
  }
}

const cache = new WeakMap<RuleData, string>();

/** The version for rules as loaded (compiled rules pass their `data`): what they say and the code that applies them. */
export function extractorVersion(data: RuleData): string {
  let v = cache.get(data);
  if (!v) {
    const fingerprint = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 8);
    v = `${PACKAGE_VERSION}+rules.${fingerprint}.code.${extractionCodeFingerprint()}`;
    cache.set(data, v);
  }
  return v;
}
