// The rules as an extract run last read and checked them, kept in the store it wrote (meta
// table), keyed by the bytes of the rule files and of the code that checks them. Reading
// and checking the rules costs a run about 0.4 s (the YAML parser and zod loaded and run
// cold): most of a re-run over an unchanged corpus. With the same files and the same
// checking code, the result is the same, so a run takes it from the store instead.
// Nothing else is trusted: any change to a rule file, to the schemas or to the loader
// gives another key, and the rules are read and checked again (a bad file still stops
// the run with its file, line and reason).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RuleData } from './schema.js';
import type { DB } from '../store/schema.js';
import { PACKAGE_VERSION } from '../version.js';

const META_KEY = 'rules';

/** The modules that decide what a rule file yields: compiled (dist/) or the sources (tests). */
const CHECKING_CODE = ['schema', 'load'].map((name) => [`./${name}.js`, `./${name}.ts`]);

/**
 * The key of the rules in `dir` as the files stand now: the package version, the checking
 * code and every .yaml file of the folder. Null when something cannot be read: the run
 * then reads the rules the usual way, which reports the problem.
 */
export function ruleCacheKey(dir: string): string | null {
  try {
    const h = createHash('sha256').update(PACKAGE_VERSION).update('\0');
    for (const candidates of CHECKING_CODE) {
      const file = candidates.map((c) => new URL(c, import.meta.url)).find((u) => fs.existsSync(u));
      if (!file) return null;
      h.update(fs.readFileSync(file)).update('\0');
    }
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
      h.update(name).update('\0').update(fs.readFileSync(path.join(dir, name))).update('\0');
    }
    return h.digest('hex');
  } catch {
    return null;
  }
}

/** The rules kept in the store under this key, or null. */
export function cachedRules(db: DB, key: string): RuleData | null {
  try {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_KEY) as { value: string } | undefined;
    if (!row) return null;
    const kept = JSON.parse(row.value) as { key?: unknown; data?: unknown };
    return kept.key === key && kept.data && typeof kept.data === 'object' ? (kept.data as RuleData) : null;
  } catch {
    return null; // an older store without meta, or a value that is not ours: read the rules
  }
}

/** Keep the rules just read and checked under their key (the one entry replaces any older one). */
export function cacheRules(db: DB, key: string, data: RuleData): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(META_KEY, JSON.stringify({ key, data }));
}
