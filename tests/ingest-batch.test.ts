// Batch runs through the real command line and its worker threads: a run
// killed with SIGKILL (twice) and restarted ends with exactly the facts of a
// clean run; SIGINT stops after the documents in flight; two runs on one
// database do not corrupt it; re-runs skip what is stored; bad inputs fail
// alone with a documented exit status. No test here asserts a speed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, describe, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { synthesize } from '../scripts/synth-corpus.mjs';
import { CLI, ROOT, tempDir } from './helpers.js';

const tmp = (prefix: string) => tempDir(`cnfacts-${prefix}-`);

function cli(args: string[], opts: { cwd?: string } = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd ?? ROOT, timeout: 240_000 });
}

function start(args: string[]): ChildProcess & { out: () => string; err: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return Object.assign(child, { out: () => out, err: () => err });
}

function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  conn.pragma('busy_timeout = 5000');
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

/** Documents written so far, or 0 before the store exists. */
function storedDocuments(db: string): number {
  try {
    return query<{ n: number }>(db, 'SELECT count(*) AS n FROM documents')[0].n;
  } catch {
    return 0;
  }
}

async function waitUntil(cond: () => boolean, what: string, child: ChildProcess, ms = 180_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (child.exitCode !== null) throw new Error(`the run ended before ${what}`);
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Everything a run leaves about documents and facts, in a stable order, without the store's own row ids and times. */
function snapshot(db: string) {
  const documents = query(db, 'SELECT path, sha256, size, encoding, chars, published, title, url, extractor_version FROM documents ORDER BY path');
  const facts = query(
    db,
    `SELECT d.path, f.fact_key, f.start, f."end", f.quote, f.value, f.min, f.max, f.unit, f.kind, f.qualifier, f.modality, f.year, f.time_text,
            f.subject, f.metric, f.scope, f.direction, f.confidence, f.sentence, f.sentence_start, f.sentence_end, f.rule, f.rules, f.doubts, f.extractor_version
       FROM facts f JOIN documents d ON d.id = f.document_id ORDER BY d.path, f.start, f."end", f.fact_key`,
  );
  return { documents, facts };
}

let corpus: string;
let clean: ReturnType<typeof snapshot>;
let totalDocuments: number;

beforeAll(() => {
  // a few hundred articles with varied figures, some of them in JSON Lines feeds
  corpus = path.join(tmp('corpus'), 'news');
  const made = synthesize({ out: corpus, bytes: 3 * 1024 * 1024, seed: 42, feedShare: 0.1 });
  totalDocuments = made.documents;
  const db = path.join(tmp('clean'), 'clean.sqlite');
  const r = cli(['extract', corpus, '--db', db, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  clean = snapshot(db);
  expect(clean.documents.length).toBe(totalDocuments);
  expect(clean.facts.length).toBeGreaterThan(totalDocuments * 10);
}, 300_000);

describe('interrupted runs', () => {
  test('killed with SIGKILL twice mid-run and restarted, a run ends with exactly the facts of a clean run', async () => {
    const db = path.join(tmp('kill'), 'f.sqlite');
    let before = 0;
    for (let kill = 1; kill <= 2; kill++) {
      const child = start(['extract', corpus, '--db', db, '--quiet']);
      // kill it once it has written more than the run before it did: in the middle of the work
      await waitUntil(() => storedDocuments(db) > before, `run ${kill} writes documents`, child);
      child.kill('SIGKILL');
      await once(child, 'exit');
      before = storedDocuments(db);
      expect(before, `documents stored when run ${kill} was killed`).toBeLessThan(totalDocuments);
    }
    // every document stored by the killed runs is whole: exactly its facts in the clean run
    const partial = snapshot(db);
    const stored = new Set(partial.documents.map((d) => d.path));
    expect(partial.facts).toEqual(clean.facts.filter((f) => stored.has(f.path)));

    const last = cli(['extract', corpus, '--db', db, '--json']);
    expect(last.status, last.stderr).toBe(0);
    const summary = JSON.parse(last.stdout);
    expect(summary.skipped).toBe(before);
    expect(summary.new).toBe(totalDocuments - before);
    expect(snapshot(db)).toEqual(clean);
    // the killed runs are marked as such by the run after them
    expect(query(db, 'SELECT status FROM runs ORDER BY id').map((r) => r.status)).toEqual(['killed', 'killed', 'done']);
  }, 600_000);

  test('SIGINT stops after the documents in flight: exit 130, run recorded as interrupted, every stored document whole', async () => {
    const db = path.join(tmp('sigint'), 'f.sqlite');
    const child = start(['extract', corpus, '--db', db, '--json']);
    await waitUntil(() => storedDocuments(db) > 0, 'the run writes documents', child);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(130);
    const summary = JSON.parse(child.out());
    expect(summary.status).toBe('interrupted');
    expect(summary.documents).toBeLessThan(totalDocuments);
    expect(child.err()).toMatch(/stopping after the documents in flight/);
    // what it took on, it finished and wrote: the store holds exactly the documents it counted
    const partial = snapshot(db);
    expect(summary.documents).toBe(summary.new); // every document it counted, it wrote
    expect(partial.documents.length).toBe(summary.new);
    const stored = new Set(partial.documents.map((d) => d.path));
    expect(partial.facts).toEqual(clean.facts.filter((f) => stored.has(f.path)));
    const [run] = query(db, 'SELECT status, finished_at, files_new, facts_added FROM runs');
    expect(run).toMatchObject({ status: 'interrupted', files_new: summary.new, facts_added: summary.factsAdded });
    expect(run.finished_at).toBeTruthy();
    // the next run finishes the work
    expect(cli(['extract', corpus, '--db', db, '--quiet']).status).toBe(0);
    expect(snapshot(db)).toEqual(clean);
  }, 600_000);

  test('two runs on one database at once do not corrupt it', async () => {
    const db = path.join(tmp('twice'), 'f.sqlite');
    const feeds = path.join(corpus, 'feeds');
    const runs = [start(['extract', feeds, '--db', db, '--json', '--concurrency', '1']), start(['extract', feeds, '--db', db, '--json', '--concurrency', '1'])];
    const codes = await Promise.all(runs.map(async (r) => (await once(r, 'exit'))[0]));
    expect(codes, runs.map((r) => r.err()).join('\n')).toEqual([0, 0]);
    const summaries = runs.map((r) => JSON.parse(r.out()));
    for (const s of summaries) expect(s.failed).toBe(0);
    const ids = new Set(snapshot(db).documents.map((d) => d.path));
    expect(ids.size).toBeGreaterThan(0);
    expect(snapshot(db)).toEqual({ documents: clean.documents.filter((d) => ids.has(d.path)), facts: clean.facts.filter((f) => ids.has(f.path)) });
    expect(query(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  }, 600_000);
});

describe('incremental runs', () => {
  const articles = fs.readdirSync(path.join(ROOT, 'corpus')).filter((f) => f.endsWith('.txt')).slice(0, 3);

  function setup() {
    const dir = tmp('incr');
    fs.mkdirSync(path.join(dir, 'in'));
    for (const a of articles) fs.copyFileSync(path.join(ROOT, 'corpus', a), path.join(dir, 'in', a));
    return { dir, input: path.join(dir, 'in'), db: path.join(dir, 'f.sqlite') };
  }
  const run = (args: string[]) => {
    const r = cli(['extract', ...args, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  test('a re-run with nothing changed extracts nothing and starts no thread; a changed file has its facts replaced', () => {
    const { dir, input, db } = setup();
    const first = run([input, '--db', db]);
    expect(first).toMatchObject({ new: 3, skipped: 0, concurrency: os.availableParallelism() });
    const again = run([input, '--db', db]);
    expect(again).toMatchObject({ new: 0, changed: 0, skipped: 3, factsAdded: 0, factsRemoved: 0, extractedChars: 0, concurrency: 0 });

    const file = path.join(input, articles[0]);
    const before = query(db, 'SELECT count(*) AS n FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = ?', articles[0])[0].n;
    fs.writeFileSync(file, '2024年，渝北区规上工业总产值3600亿元，增长12.5%。');
    const changed = run([input, '--db', db]);
    expect(changed).toMatchObject({ new: 0, changed: 1, skipped: 2, factsAdded: 2, factsRemoved: before });
    expect(query(db, 'SELECT f.quote, f.year FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = ? ORDER BY f.start', articles[0])).toEqual([
      { quote: '3600亿元', year: 2024 },
      { quote: '12.5%', year: 2024 },
    ]);
    // each run is recorded with its counts and the extractor version
    const runs = query(db, 'SELECT status, files_seen, files_new, files_changed, files_skipped, files_failed, facts_added, facts_removed, extractor_version FROM runs ORDER BY id');
    expect(runs).toEqual([
      { status: 'done', files_seen: 3, files_new: 3, files_changed: 0, files_skipped: 0, files_failed: 0, facts_added: first.factsAdded, facts_removed: 0, extractor_version: first.extractorVersion },
      { status: 'done', files_seen: 3, files_new: 0, files_changed: 0, files_skipped: 3, files_failed: 0, facts_added: 0, facts_removed: 0, extractor_version: first.extractorVersion },
      { status: 'done', files_seen: 3, files_new: 0, files_changed: 1, files_skipped: 2, files_failed: 0, facts_added: 2, facts_removed: before, extractor_version: first.extractorVersion },
    ]);
  }, 300_000);

  test('updating cnfacts to extraction code that differs re-extracts what the older code produced; other code does not', () => {
    const { input, db, dir } = setup();
    // a copy of the built package, as an update would leave it: its own dist/, the same rules and modules
    const pkg = path.join(dir, 'pkg');
    fs.mkdirSync(pkg);
    for (const part of ['dist', 'rules', 'patches', 'package.json']) fs.cpSync(path.join(ROOT, part), path.join(pkg, part), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const copied = (args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(pkg, 'dist', 'cli.js'), 'extract', ...args, '--json'], { encoding: 'utf8', timeout: 240_000 });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const first = run([input, '--db', db]);
    expect(copied([input, '--db', db, '--rehash'])).toMatchObject({ skipped: 3, extractorVersion: first.extractorVersion });
    // the command line is no extraction code
    fs.appendFileSync(path.join(pkg, 'dist', 'cli', 'extract.js'), '\n// changed by the test\n');
    expect(copied([input, '--db', db, '--rehash'])).toMatchObject({ skipped: 3, extractorVersion: first.extractorVersion });
    // the scanner of figures is
    fs.appendFileSync(path.join(pkg, 'dist', 'numbers', 'scan.js'), '\n// changed by the test\n');
    const updated = copied([input, '--db', db]);
    expect(updated.extractorVersion).not.toBe(first.extractorVersion);
    expect(updated).toMatchObject({ changed: 3, skipped: 0, factsAdded: first.factsAdded, factsRemoved: first.factsAdded });
    expect(query(db, 'SELECT DISTINCT extractor_version AS v FROM facts')).toEqual([{ v: updated.extractorVersion }]);
    // and back: the code of this checkout is another version again
    expect(run([input, '--db', db])).toMatchObject({ changed: 3, extractorVersion: first.extractorVersion });
  }, 300_000);

  test('a new extractor version re-extracts what an older one produced; --force re-extracts everything', () => {
    const { input, db, dir } = setup();
    const first = run([input, '--db', db]);
    // the same rules plus one harmless word: another fingerprint, another extractor version
    const rules = path.join(dir, 'rules');
    fs.cpSync(path.join(ROOT, 'rules'), rules, { recursive: true });
    const modality = path.join(rules, 'modality.yaml');
    fs.appendFileSync(modality, '\n# a change of rules for the test\n');
    const unchanged = run([input, '--db', db, '--rules', rules]);
    expect(unchanged).toMatchObject({ skipped: 3, extractorVersion: first.extractorVersion }); // a comment is no change
    const yaml = fs.readFileSync(path.join(rules, 'metrics.yaml'), 'utf8');
    expect(yaml).toMatch(/^fillers: \[/m);
    fs.writeFileSync(path.join(rules, 'metrics.yaml'), yaml.replace(/^fillers: \[/m, 'fillers: [测试用填充词, '));
    const upgraded = run([input, '--db', db, '--rules', rules]);
    expect(upgraded.extractorVersion).not.toBe(first.extractorVersion);
    expect(upgraded).toMatchObject({ changed: 3, skipped: 0, factsAdded: first.factsAdded, factsRemoved: first.factsAdded });
    expect(query(db, 'SELECT DISTINCT extractor_version AS v FROM facts')).toEqual([{ v: upgraded.extractorVersion }]);
    expect(query(db, 'SELECT DISTINCT extractor_version AS v FROM documents')).toEqual([{ v: upgraded.extractorVersion }]);
    const forced = run([input, '--db', db, '--rules', rules, '--force']);
    expect(forced).toMatchObject({ changed: 3, skipped: 0, factsAdded: first.factsAdded, factsRemoved: first.factsAdded });
  }, 300_000);

  test('a file not written to since it was stored is not read again; a write is seen even when it puts back the size and the modification time', async () => {
    const { input, db } = setup();
    const settle = () => new Promise((r) => setTimeout(r, 2100)); // files changed in the last two seconds get no stamp
    // whole seconds, which the test can put back exactly (utimes takes no nanoseconds)
    const when = new Date('2024-06-30T08:00:00Z');
    for (const a of articles) fs.utimesSync(path.join(input, a), when, when);
    await settle();
    expect(run([input, '--db', db])).toMatchObject({ new: 3, skippedUnread: 0 });
    expect(query(db, 'SELECT count(*) AS n FROM documents WHERE file_stamp IS NOT NULL')[0].n).toBe(3);
    expect(run([input, '--db', db])).toMatchObject({ skipped: 3, skippedUnread: 3 });
    expect(run([input, '--db', db, '--rehash'])).toMatchObject({ skipped: 3, skippedUnread: 0 });

    // one digit changed in place, the modification time put back: the change time still moves
    const file = path.join(input, articles[0]);
    const before = fs.statSync(file, { bigint: true });
    const text = fs.readFileSync(file, 'utf8');
    const at = text.search(/[0-8]/);
    fs.writeFileSync(file, text.slice(0, at) + String(Number(text[at]) + 1) + text.slice(at + 1));
    fs.utimesSync(file, when, when);
    const after = fs.statSync(file, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    expect(after.ctimeNs).not.toBe(before.ctimeNs);
    await settle(); // (a file changed in the last two seconds would be read anyway: its stamp is none)
    expect(run([input, '--db', db])).toMatchObject({ changed: 1, skipped: 2, skippedUnread: 2 });
    expect(run([input, '--db', db])).toMatchObject({ skipped: 3, skippedUnread: 3 });

    // touched, not changed: read once and found unchanged by its hash, then stamped anew
    fs.utimesSync(path.join(input, articles[1]), new Date(), new Date());
    await settle();
    expect(run([input, '--db', db])).toMatchObject({ skipped: 3, skippedUnread: 2 });
    expect(run([input, '--db', db])).toMatchObject({ skipped: 3, skippedUnread: 3 });
  }, 300_000);

  test('the rules a run read and checked are kept in the store for the next run, which still reads a changed file and reports a bad one', () => {
    const { input, db, dir } = setup();
    const rules = path.join(dir, 'rules');
    fs.cpSync(path.join(ROOT, 'rules'), rules, { recursive: true });
    const first = run([input, '--db', db, '--rules', rules]);
    const kept = () => JSON.parse(query<{ value: string }>(db, "SELECT value FROM meta WHERE key = 'rules'")[0].value);
    const entry = kept();
    expect(entry.key).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(entry.data).sort()).toEqual(fs.readdirSync(rules).map((f) => f.replace(/\.yaml$/, '')).sort());
    // taken from the store: the same extractor version, so nothing is extracted again
    expect(run([input, '--db', db, '--rules', rules])).toMatchObject({ skipped: 3, extractorVersion: first.extractorVersion });
    // a rule file broken after the rules were kept is read, not taken from the store: the run stops on it
    const units = path.join(rules, 'units.yaml');
    const yaml = fs.readFileSync(units, 'utf8');
    fs.writeFileSync(units, yaml.replace(/^units:/m, 'unitz:'));
    const bad = cli(['extract', input, '--db', db, '--rules', rules, '--json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad rule file .*units\.yaml:\d+: /);
    expect(kept().key).toBe(entry.key); // and the store keeps what it had
    fs.writeFileSync(units, yaml);
    expect(run([input, '--db', db, '--rules', rules])).toMatchObject({ skipped: 3, extractorVersion: first.extractorVersion });
  }, 300_000);
});

describe('bad input through the worker threads', () => {
  test('binary, undecodable, empty, too large and bad feed lines fail alone: exit 1, listed in the summary and the errors table', () => {
    const dir = tmp('bad');
    const input = path.join(dir, 'in');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    fs.writeFileSync(path.join(input, 'undecodable.txt'), Buffer.from([0xe4, 0xb8, 0x80, 0xff, 0xfe, 0x41, 0x80, 0x80, 0xc3, 0x28]));
    fs.writeFileSync(path.join(input, 'empty.txt'), '');
    fs.writeFileSync(path.join(input, 'large.txt'), '新增企业5家。'.repeat(1000)); // 19 000 bytes
    fs.writeFileSync(path.join(input, 'feed.jsonl'), '{"id":"ok","text":"新增企业5家。"}\nnot json\n{"id":"no-text"}\n');
    fs.copyFileSync(path.join(ROOT, 'corpus', '003_463c405dc6c9a35b.txt'), path.join(input, 'good.txt'));
    const db = path.join(dir, 'f.sqlite');
    const r = cli(['extract', input, '--db', db, '--max-size', '10KB']); // good.txt has 7 742 bytes
    expect(r.status).toBe(1);
    for (const line of ['binary.txt: binary', 'undecodable.txt: undecodable', 'empty.txt: empty', 'large.txt: too-large', 'feed.jsonl:2: bad-json', 'feed.jsonl:3: no-text']) {
      expect(r.stdout).toContain(`failed: ${line}`);
    }
    expect(r.stdout).toMatch(/2 new, 0 changed, 0 unchanged \(skipped\), 6 failed/);
    expect(query(db, 'SELECT path, reason FROM errors ORDER BY path')).toEqual([
      { path: 'binary.txt', reason: 'binary' },
      { path: 'empty.txt', reason: 'empty' },
      { path: 'feed.jsonl:2', reason: 'bad-json' },
      { path: 'feed.jsonl:3', reason: 'no-text' },
      { path: 'large.txt', reason: 'too-large' },
      { path: 'undecodable.txt', reason: 'undecodable' },
    ]);
    expect(query(db, 'SELECT path FROM documents ORDER BY path')).toEqual([{ path: 'good.txt' }, { path: 'ok' }]);
    // --quiet: only the failures, on standard error
    const quiet = cli(['extract', input, '--db', db, '--max-size', '10KB', '--quiet']);
    expect(quiet.status).toBe(1);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toContain('failed: binary.txt: binary');
    expect(quiet.stderr).not.toContain('good.txt');
  }, 300_000);

  test('a first load that finds nothing to extract ends at once, its early threads unused and not counted', () => {
    // into a new store the threads start before the inputs are found: they must not keep the process alive
    const empty = tmp('nothing');
    const r = cli(['extract', empty, '--db', path.join(tmp('nothing-db'), 'f.sqlite'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'done', documents: 0, concurrency: 0 });
  });

  test('bad options are refused with status 2', () => {
    for (const args of [['--max-size', 'big'], ['--concurrency', '-1'], ['--concurrency', 'two']]) {
      const r = cli(['extract', 'corpus', '--db', path.join(tmp('opts'), 'f.sqlite'), ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--(max-size|concurrency) expects/);
    }
  });
});

describe('progress and output', () => {
  test('without a terminal, progress is a plain line every --progress-interval seconds on standard error; --json is one object on standard output', () => {
    const db = path.join(tmp('progress'), 'f.sqlite');
    const r = cli(['extract', path.join(corpus, 'batch-000'), '--db', db, '--json', '--progress-interval', '0.2', '--concurrency', '1']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l).toMatch(/^cnfacts extract: \d+\/\d+ files \(\d+\.\d%\), [\d.]+ files\/s, [\d.]+[KM]? chars\/s, [\d.]+[KM]? facts, 0 failed, \S+ left$/);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ status: 'done', failed: 0, concurrency: 1, db });
    expect(summary.new).toBe(summary.documents);
  }, 300_000);
});
