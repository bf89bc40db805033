// Verdicts: stored apart from the facts, re-attached to the same figure after
// re-extraction, orphaned when the figure is gone; corrections validated and
// applied on export; audit samples reproducible and stats per rule.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runExtract } from '../src/ingest/run.js';
import { openStore } from '../src/store/schema.js';
import { Review, matchFigures } from '../src/review/verdicts.js';
import { correctionSchema, verdictInputSchema, applyCorrections } from '../src/review/corrections.js';
import { seededRandom } from '../src/review/audit.js';
import { CLI, ROOT } from './helpers.js';
import { corpusStore, storeFrom } from './review-helpers.js';

const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });

const TEXT = '2023年，渝北区地区生产总值2000亿元，增长10%，规上企业增长10%。';

type Row = { id: number; quote: string; start: number; metric: string | null };
const factsOf = (db: ReturnType<typeof openStore>, doc = 'a.txt') =>
  db.prepare('SELECT f.id, f.quote, f.start, f.metric FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = ? ORDER BY f.start').all(doc) as Row[];

describe('verdicts across re-extraction', () => {
  test('the same figures found again get their verdicts back, even the same quote twice in a sentence', async () => {
    const { corpus, db: file } = await storeFrom({ 'a.txt': TEXT });
    let db = openStore(file);
    let review = new Review(db);
    const [gdp, first, second] = factsOf(db);
    expect([gdp.quote, first.quote, second.quote]).toEqual(['2000亿元', '10%', '10%']);
    review.setVerdict(first.id, { verdict: 'accepted' }, 'ann');
    review.setVerdict(second.id, { verdict: 'rejected', note: 'the second 10% belongs to 规上企业' }, 'ann');
    review.setVerdict(gdp.id, { verdict: 'corrected', corrections: { metric: 'GDP' } }, 'ann');
    db.close();

    // text added before the figures: every span moves, the document hash (and so every fact_key) changes
    fs.writeFileSync(path.join(corpus, 'a.txt'), '据统计，渝北区新增企业5家。' + TEXT);
    const s = await runExtract({ inputs: [corpus], db: file });
    expect(s.changed).toBe(1);

    db = openStore(file);
    review = new Review(db);
    const after = factsOf(db);
    const byStart = (q: string, nth = 0) => after.filter((f) => f.quote === q)[nth];
    expect(byStart('10%', 0).start).toBe(first.start + 14);
    expect(review.verdictFor(byStart('10%', 0).id)?.verdict).toBe('accepted');
    expect(review.verdictFor(byStart('10%', 1).id)).toMatchObject({ verdict: 'rejected', note: 'the second 10% belongs to 规上企业', reviewer: 'ann' });
    expect(review.verdictFor(byStart('2000亿元').id)).toMatchObject({ verdict: 'corrected', corrections: { metric: 'GDP' } });
    expect(review.verdictFor(byStart('5家').id)).toBeNull();
    expect(review.progress()).toMatchObject({ reviewed: 3, accepted: 1, rejected: 1, corrected: 1, orphans: 0 });
    db.close();
  });

  test('a figure that is gone leaves its verdict as an orphan, never deleted', async () => {
    const { corpus, db: file } = await storeFrom({ 'a.txt': TEXT });
    let db = openStore(file);
    const [gdp] = factsOf(db);
    new Review(db).setVerdict(gdp.id, { verdict: 'accepted', note: 'checked against the yearbook' }, 'ann');
    db.close();

    fs.writeFileSync(path.join(corpus, 'a.txt'), TEXT.replace('2000亿元', '2100亿元'));
    await runExtract({ inputs: [corpus], db: file });

    db = openStore(file);
    const review = new Review(db);
    expect(review.progress()).toMatchObject({ reviewed: 0, orphans: 1 });
    expect(review.orphans().orphans).toMatchObject([{ doc: 'a.txt', quote: '2000亿元', verdict: 'accepted', note: 'checked against the yearbook' }]);
    expect((db.prepare('SELECT count(*) AS n FROM verdicts').get() as { n: number }).n).toBe(1);

    // and it comes back when the figure does
    db.close();
    fs.writeFileSync(path.join(corpus, 'a.txt'), TEXT);
    await runExtract({ inputs: [corpus], db: file });
    db = openStore(file);
    expect(new Review(db).progress()).toMatchObject({ reviewed: 1, orphans: 0 });
    db.close();
  });

  test('an open review notices an extract run made by another connection, even when row ids are reused', async () => {
    const { corpus, db: file } = await storeFrom({ 'a.txt': TEXT });
    const db = openStore(file);
    const review = new Review(db);
    const [gdp] = factsOf(db);
    review.setVerdict(gdp.id, { verdict: 'accepted' }, null);
    fs.writeFileSync(path.join(corpus, 'a.txt'), '渝北区新增企业5家。' + TEXT);
    await runExtract({ inputs: [corpus], db: file }); // the table was emptied: the new first fact, 5家, gets gdp's old row id
    const [five, gdpNow] = factsOf(db);
    expect([five.quote, five.id]).toEqual(['5家', gdp.id]);
    review.sync();
    expect(review.verdictFor(five.id)).toBeNull();
    expect(review.verdictFor(gdpNow.id)?.verdict).toBe('accepted');
    db.close();
  });

  test('verdicts are their own table: no foreign key or cascade from facts', async () => {
    const { db: file } = await storeFrom({ 'a.txt': TEXT });
    const db = openStore(file);
    expect(db.prepare("SELECT * FROM pragma_foreign_key_list('verdicts')").all()).toEqual([]);
    const [gdp] = factsOf(db);
    new Review(db).setVerdict(gdp.id, { verdict: 'accepted' }, null);
    db.prepare('DELETE FROM facts').run();
    expect((db.prepare('SELECT count(*) AS n FROM verdicts').get() as { n: number }).n).toBe(1);
    db.close();
  });

  test('setting a verdict again replaces it, and every change is logged', async () => {
    const { db: file } = await storeFrom({ 'a.txt': TEXT });
    const db = openStore(file);
    const review = new Review(db);
    const [gdp] = factsOf(db);
    review.setVerdict(gdp.id, { verdict: 'accepted' }, 'ann');
    review.setVerdict(gdp.id, { verdict: 'rejected' }, 'bob');
    review.clearVerdict(gdp.id, 'bob');
    expect(db.prepare('SELECT count(*) AS n FROM verdicts').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT action, verdict, reviewer FROM verdict_log ORDER BY id').all()).toEqual([
      { action: 'set', verdict: 'accepted', reviewer: 'ann' },
      { action: 'set', verdict: 'rejected', reviewer: 'bob' },
      { action: 'clear', verdict: null, reviewer: 'bob' },
    ]);
    db.close();
  });

  test('the matcher prefers the same fact_key, then the same place in the same sentence', () => {
    const fig = (id: number, start: number, over: Partial<Parameters<typeof matchFigures>[1][number]> = {}) => ({
      id, fact_key: `k:${start}`, quote: '10%', sentence: 'S', start, end: start + 3, sentence_start: 0, ...over,
    });
    const v = (id: number, start: number, over = {}) => ({ text_before: '', text_after: '', ...fig(id, start, over) });
    const noContext = () => ({ before: '', after: '' });
    // same sentence moved by 100: the place inside the sentence decides, whatever the order
    const moved = matchFigures([v(2, 34), v(1, 24)], [fig(10, 124, { sentence_start: 100, fact_key: 'x' }), fig(11, 134, { sentence_start: 100, fact_key: 'y' })], noContext);
    expect([...moved].sort()).toEqual([[1, 10], [2, 11]]);
    // a different quote never matches; a different sentence matches only by the words around it
    expect(matchFigures([v(1, 5)], [fig(10, 5, { quote: '11%', fact_key: 'z' })], noContext).size).toBe(0);
    const ctx = matchFigures([v(1, 5, { sentence: 'old', text_before: '增长', text_after: '，' })], [fig(10, 9, { sentence: 'new', fact_key: 'z' })], () => ({ before: '增长', after: '，' }));
    expect([...ctx]).toEqual([[1, 10]]);
    // or by a sentence only a little different: another figure in it changed
    const long = '2023年，渝北区地区生产总值2000亿元，增长10%，规上企业增长10%。';
    const edited = matchFigures([v(1, 24, { sentence: long })], [fig(10, 24, { sentence: long.replace('2000', '1999'), fact_key: 'z' })], noContext);
    expect([...edited]).toEqual([[1, 10]]);
    const otherWords = () => ({ before: '全年', after: '。' });
    expect(matchFigures([v(1, 24, { sentence: long })], [fig(10, 24, { sentence: '全年增长10%。', fact_key: 'z' })], otherWords).size).toBe(0);
  });
});

describe('corrections', () => {
  test('only known fields with the right types are accepted', () => {
    expect(correctionSchema.safeParse({ metric: '地区生产总值', year: 2023, value: null }).success).toBe(true);
    expect(correctionSchema.safeParse({ metric: 'x', owner: 'me' }).success).toBe(false);
    expect(correctionSchema.safeParse({ year: '2023' }).success).toBe(false);
    expect(correctionSchema.safeParse({ kind: 'guess' }).success).toBe(false);
    expect(correctionSchema.safeParse({ value: Infinity }).success).toBe(false);
    expect(verdictInputSchema.safeParse({ verdict: 'accepted', corrections: { metric: 'x' } }).success).toBe(false);
    expect(verdictInputSchema.safeParse({ verdict: 'maybe' }).success).toBe(false);
  });

  test('a correction keeps only what changed, and applying it changes only those fields', async () => {
    const { db: file } = await storeFrom({ 'a.txt': TEXT });
    const db = openStore(file);
    const review = new Review(db);
    const [gdp] = factsOf(db);
    const v = review.setVerdict(gdp.id, { verdict: 'corrected', corrections: { metric: '地区生产总值', year: 2022, unit: '元' } }, null);
    expect(v.corrections).toEqual({ year: 2022 });
    expect(() => review.setVerdict(gdp.id, { verdict: 'corrected', corrections: { metric: '地区生产总值' } }, null)).toThrow(/at least one field/);
    expect(applyCorrections({ metric: 'a', year: 2023, value: 1 } as never, { year: 2022, value: null })).toEqual({ metric: 'a', year: 2022, value: null });
    db.close();
  });
});

describe('export --verdict', () => {
  test('filters by verdict and applies corrections', async () => {
    const { db: file } = await storeFrom({ 'a.txt': TEXT, 'b.txt': '渝北区新增企业5家。' });
    const db = openStore(file);
    const review = new Review(db);
    const [gdp, first, second] = factsOf(db);
    review.setVerdict(gdp.id, { verdict: 'corrected', corrections: { metric: 'GDP', value: 2e11 + 1 } }, null);
    review.setVerdict(first.id, { verdict: 'accepted' }, null);
    review.setVerdict(second.id, { verdict: 'rejected' }, null);
    db.close();
    const records = (args: string[]) => {
      const r = cli(['export', '--db', file, ...args]);
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    };
    const accepted = records(['--verdict', 'accepted']);
    expect(accepted.map((f) => [f.quote, f.metric, f.value, f.verdict, f.corrected])).toEqual([
      ['2000亿元', 'GDP', 200000000001, 'corrected', ['value', 'metric']],
      ['10%', first.metric, 10, 'accepted', []],
    ]);
    expect(records(['--verdict', 'rejected']).map((f) => [f.quote, f.start])).toEqual([['10%', second.start]]);
    expect(records(['--verdict', 'unreviewed']).map((f) => [f.doc, f.quote, f.verdict])).toEqual([['b.txt', '5家', null]]);
    expect(records(['--verdict', 'all'])).toHaveLength(4);
    // without --verdict: the spec's fields only, corrections still applied
    const plain = records([]);
    expect(plain).toHaveLength(4);
    expect(plain[0]).not.toHaveProperty('verdict');
    expect(plain[0].metric).toBe('GDP');
    const csv = cli(['export', '--db', file, '--format', 'csv', '--verdict', 'accepted']).stdout.split('\n');
    expect(csv[0].endsWith(',verdict,corrected')).toBe(true);
    expect(csv[1]).toMatch(/,corrected,value\|metric$/);
    expect(cli(['export', '--db', file, '--verdict', 'maybe']).status).not.toBe(0);
  });

  test('a store made before verdicts existed exports and audits read-only', async () => {
    const { db: file } = await storeFrom({ 'a.txt': TEXT });
    const db = openStore(file);
    db.exec("DROP TABLE verdicts; DROP TABLE verdict_log; UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    db.close();
    fs.chmodSync(file, 0o444);
    const r = cli(['export', '--db', file, '--verdict', 'unreviewed']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    const s = cli(['audit', '--db', file, '--stats']);
    expect(s.status).toBe(0);
    expect(s.stdout).toMatch(/reviewed 0 of 3 facts/);
    fs.chmodSync(file, 0o644);
  });
});

describe('audit', () => {
  test('the same seed gives the same sample, on a store rebuilt from the same files too', async () => {
    const { corpus, db: file, dir } = await corpusStore();
    const a = cli(['audit', '--db', file, '--sample', '12', '--seed', 'spring-check', '--json']);
    expect(a.status).toBe(0);
    const ids = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l).id);
    expect(ids(a.stdout)).toHaveLength(12);
    expect(new Set(ids(a.stdout)).size).toBe(12);
    expect(cli(['audit', '--db', file, '--sample', '12', '--seed', 'spring-check', '--json']).stdout).toBe(a.stdout);
    expect(ids(cli(['audit', '--db', file, '--sample', '12', '--seed', 'other', '--json']).stdout)).not.toEqual(ids(a.stdout));
    // a second store from the same files, built in another order: same facts, other row ids, same sample
    const again = path.join(dir, 'again.sqlite');
    for (const f of fs.readdirSync(corpus).sort().reverse()) await runExtract({ inputs: [path.join(corpus, f)], db: again });
    expect(ids(cli(['audit', '--db', again, '--sample', '12', '--seed', 'spring-check', '--json']).stdout).sort()).toEqual(ids(a.stdout).sort());
    const text = cli(['audit', '--db', file, '--sample', '3', '--seed', '7']);
    expect(text.stdout).toMatch(/^sample of 3 from \d+ facts, seed 7/);
    expect(text.stdout).toMatch(/【.+】/);
    expect(cli(['audit', '--db', file, '--sample', '0']).status).toBe(2);
  });

  test('--stats shows progress, orphans and the weakest rules first', async () => {
    const { corpus, db: file } = await storeFrom({ 'a.txt': TEXT, 'b.txt': '渝北区新增企业5家，全区科技型企业达到2782家。' });
    const db = openStore(file);
    const review = new Review(db);
    const facts = db.prepare('SELECT id, quote, rules FROM facts').all() as { id: number; quote: string; rules: string }[];
    const pct = facts.filter((f) => f.quote === '10%');
    for (const f of pct) review.setVerdict(f.id, { verdict: 'rejected' }, null);
    for (const f of facts.filter((f) => f.quote.endsWith('家'))) review.setVerdict(f.id, { verdict: 'accepted' }, null);
    const gdp = facts.find((f) => f.quote === '2000亿元')!;
    review.setVerdict(gdp.id, { verdict: 'accepted' }, null);
    db.close();
    fs.writeFileSync(path.join(corpus, 'a.txt'), TEXT.replace('2000亿元', '1999亿元'));
    await runExtract({ inputs: [corpus], db: file });

    const r = cli(['audit', '--db', file, '--stats']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/reviewed 4 of 5 facts/);
    expect(r.stdout).toMatch(/accepted 2, corrected 0, rejected 2: 50\.0% accepted as extracted/);
    expect(r.stdout).toMatch(/orphaned verdicts: 1/);
    expect(r.stdout).toMatch(/a\.txt:\d+-\d+ {2}【2000亿元】 accepted/);
    const rows = r.stdout.split('\n').filter((l) => /^\s+(\d+\.\d%|—)\s+\d+/.test(l));
    const at = (rule: string) => rows.findIndex((l) => l.endsWith(`  ${rule}`));
    expect(rows[at('unit.percent')]).toMatch(/^\s+0\.0%\s+2\s+0\s+0\s+2\s+2\s+unit\.percent$/);
    expect(rows[0]).toMatch(/^\s+0\.0%/);
    expect(rows[at('unit.count')]).toMatch(/^\s+100\.0%\s+2\s+2\s/);
    expect(at('unit.percent')).toBeLessThan(at('subject.region'));
    expect(at('subject.region')).toBeLessThan(at('unit.count'));
    expect(rows[rows.length - 1]).toMatch(/^\s+—\s+0\s/); // rules with no review yet come last
    const json = JSON.parse(cli(['audit', '--db', file, '--stats', '--json']).stdout);
    expect(json).toMatchObject({ facts: 5, reviewed: 4, orphans: 1 });
    expect(json.rules[0]).toMatchObject({ acceptance: 0 });
    expect(cli(['audit', '--db', file, '--stats', '--sample', '3']).status).toBe(2);
  });

  test('the seeded generator is stable', () => {
    const r = seededRandom('1');
    const first = [r(), r(), r()];
    const again = seededRandom('1');
    expect([again(), again(), again()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
