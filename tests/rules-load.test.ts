// A bad rule file stops the run with the file, the line and the reason.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { loadRuleData, RuleFileError } from '../src/rules/load.js';
import { cachedRules, cacheRules, ruleCacheKey } from '../src/rules/cache.js';
import { openStore } from '../src/store/schema.js';
import { extractorVersion } from '../src/version.js';
import { CLI, ROOT, tempDir } from './helpers.js';

function copyRules(edit: (name: string, text: string) => string): string {
  const dir = tempDir('cnfacts-rules-');
  for (const f of fs.readdirSync(path.join(ROOT, 'rules'))) {
    const text = fs.readFileSync(path.join(ROOT, 'rules', f), 'utf8');
    fs.writeFileSync(path.join(dir, f), edit(f, text));
  }
  return dir;
}

function loadError(dir: string): RuleFileError {
  try {
    loadRuleData(dir);
  } catch (e) {
    if (e instanceof RuleFileError) return e;
    throw e;
  }
  throw new Error('the rules loaded without error');
}

describe('rule files are validated at load', () => {
  test('the shipped rules load', () => {
    expect(() => loadRuleData()).not.toThrow();
  });

  test('a wrong type is reported with its line', () => {
    const dir = copyRules((f, t) => (f === 'units.yaml' ? t.replace('arabic_only: true', 'arabic_only: "yes"') : t));
    const e = loadError(dir);
    const line = fs.readFileSync(path.join(dir, 'units.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('arabic_only: "yes"')) + 1;
    expect(e.file).toBe(path.join(dir, 'units.yaml'));
    expect(e.line).toBe(line);
    expect(e.reason).toMatch(/arabic_only/);
  });

  test('an invalid regular expression is reported with its line', () => {
    // the first pattern of the file gets an unclosed group
    const dir = copyRules((f, t) => (f === 'nonfacts.yaml' ? t.replace('pattern: "', 'pattern: "(') : t));
    const e = loadError(dir);
    const line = fs.readFileSync(path.join(dir, 'nonfacts.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('pattern: "(')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(e.line).toBe(line);
    expect(e.reason).toMatch(/regular expression/);
  });

  test('broken YAML is reported with its line', () => {
    const dir = copyRules((f, t) => (f === 'kinds.yaml' ? t.replace('max_gap: 8', 'max_gap: [8') : t));
    const e = loadError(dir);
    expect(e.file).toMatch(/kinds\.yaml$/);
    expect(e.reason).toMatch(/YAML/);
    expect(e.line).toBeGreaterThan(1);
  });

  test('an unknown key is refused', () => {
    const dir = copyRules((f, t) => (f === 'modality.yaml' ? t.replace('planned:', 'planed: []\nplanned:') : t));
    expect(loadError(dir).reason).toMatch(/planed/);
  });

  test('a duplicated rule id is refused', () => {
    const dir = copyRules((f, t) => (f === 'qualifiers.yaml' ? t.replace('id: qual.after.under', 'id: qual.after.over') : t));
    expect(loadError(dir).reason).toMatch(/already used/);
  });

  test('the command line stops with file, line and reason, and no stack trace', () => {
    const dir = copyRules((f, t) => (f === 'units.yaml' ? t.replace('arabic_only: true', 'arabic_only: "yes"') : t));
    const r = spawnSync(process.execPath, [CLI, 'parse', '--rules', dir, '3512.5亿元'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/units\.yaml:\d+: .*arabic_only/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('the key under which a run keeps the rules it checked', () => {
  test('follows every rule file byte for byte, and is null when the folder cannot be read', () => {
    const same = copyRules((_, t) => t);
    expect(ruleCacheKey(same)).toBe(ruleCacheKey(path.join(ROOT, 'rules')));
    // a comment changes no rule, but the file is read again all the same (its lines may have moved)
    const commented = copyRules((f, t) => (f === 'time.yaml' ? `${t}\n# note\n` : t));
    expect(ruleCacheKey(commented)).not.toBe(ruleCacheKey(same));
    expect(ruleCacheKey(path.join(same, 'no-such-folder'))).toBeNull();
  });

  test('what a store keeps is given back only under its own key', () => {
    const db = openStore(path.join(tempDir('cnfacts-rulecache-'), 'r.sqlite'));
    try {
      const data = loadRuleData();
      const key = ruleCacheKey(path.join(ROOT, 'rules'))!;
      expect(cachedRules(db, key)).toBeNull();
      cacheRules(db, key, data);
      const back = cachedRules(db, key)!;
      expect(back).toEqual(data);
      expect(extractorVersion(back)).toBe(extractorVersion(data));
      expect(cachedRules(db, key.replace(/^./, (c) => (c === '0' ? '1' : '0')))).toBeNull();
    } finally {
      db.close();
    }
  });
});
