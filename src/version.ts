// The extractor version: the package version plus a fingerprint of the
// rules, so that editing a rule file marks earlier extractions as stale.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { RuleData } from './rules/schema.js';

const require = createRequire(import.meta.url);
export const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;

const cache = new WeakMap<RuleData, string>();

/** The version for rules as loaded (compiled rules pass their `data`): what they say, not how they are compiled. */
export function extractorVersion(data: RuleData): string {
  let v = cache.get(data);
  if (!v) {
    const fingerprint = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 8);
    v = `${PACKAGE_VERSION}+rules.${fingerprint}`;
    cache.set(data, v);
  }
  return v;
}
