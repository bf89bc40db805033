// The extractor version: the package version plus a fingerprint of the
// rules, so that editing a rule file marks earlier extractions as stale.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { CompiledRules } from './rules/compile.js';

const require = createRequire(import.meta.url);
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;

const cache = new WeakMap<CompiledRules, string>();

export function extractorVersion(R: CompiledRules): string {
  let v = cache.get(R);
  if (!v) {
    const fingerprint = createHash('sha256').update(JSON.stringify(R.data)).digest('hex').slice(0, 8);
    v = `${PACKAGE_VERSION}+rules.${fingerprint}`;
    cache.set(R, v);
  }
  return v;
}
