// End to end on the sample corpus: the command line extracts corpus/, exports
// JSON Lines, and the export is scored against the hand-checked gold.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import { scoreFacts, type Score } from '../src/eval/score.js';
import { readGold } from '../src/cli/eval.js';
import { factSchema } from '../src/facts/record.js';
import { CLI, ROOT, tempDir } from './helpers.js';

const tmp = tempDir('cnfacts-e2e-');
const db = path.join(tmp, 'facts.sqlite');
const out = path.join(tmp, 'facts.jsonl');
let score: Score;
let exported: Record<string, unknown>[];

beforeAll(() => {
  execFileSync(process.execPath, [CLI, 'extract', path.join(ROOT, 'corpus'), '--db', db, '--quiet'], { cwd: ROOT });
  execFileSync(process.execPath, [CLI, 'export', '--db', db, '--format', 'jsonl', '--out', out], { cwd: ROOT });
  exported = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  score = scoreFacts(readGold(path.join(ROOT, 'tests/gold/dev.jsonl')), exported as never);
});

describe('the development gold, scored from the exported JSON Lines', () => {
  test('every exported record has the fields of the spec and validates', () => {
    for (const r of exported) expect(() => factSchema.parse(r)).not.toThrow();
  });
  test('every record lists each rule that contributed once, the one that made it a fact among them', () => {
    for (const r of exported) {
      const rules = r.rules as string[];
      expect(new Set(rules).size, `${r.id}: ${rules.join(' ')}`).toBe(rules.length);
      expect(rules).toContain(r.rule);
    }
  });
  test('detection F1 at least 95%', () => expect(score.detection.f1).toBeGreaterThanOrEqual(0.95));
  test('value accuracy at least 98%', () => expect(score.fields.value).toBeGreaterThanOrEqual(0.98));
  test('unit accuracy at least 97%', () => expect(score.fields.unit).toBeGreaterThanOrEqual(0.97));
  test('kind and qualifier accuracy at least 95%', () => {
    expect(score.fields.kind).toBeGreaterThanOrEqual(0.95);
    expect(score.fields.qualifier).toBeGreaterThanOrEqual(0.95);
  });
  test('linking: fact F1 85%, subject 92%, metric 85%, year 95%, modality 95%', () => {
    expect(score.fact.f1).toBeGreaterThanOrEqual(0.85);
    expect(score.fields.subject).toBeGreaterThanOrEqual(0.92);
    expect(score.fields.metric).toBeGreaterThanOrEqual(0.85);
    expect(score.fields.year).toBeGreaterThanOrEqual(0.95);
    expect(score.fields.modality).toBeGreaterThanOrEqual(0.95);
  });
  test('the shared scorer agrees with the in-project one', () => {
    const shared = path.resolve(ROOT, '../shared/tools/score-facts.mjs');
    if (!fs.existsSync(shared)) return; // outside the workplace the in-project scorer stands alone
    const json = JSON.parse(execFileSync(process.execPath, [shared, '--gold', path.join(ROOT, 'tests/gold/dev.jsonl'), '--pred', out, '--json'], { encoding: 'utf8' }));
    expect(json.detection.f1).toBeCloseTo(score.detection.f1, 9);
    expect(json.fact.f1).toBeCloseTo(score.fact.f1, 9);
  });
});
