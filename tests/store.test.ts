// The store: one transaction per document, no duplicates on a second run,
// changed documents have their facts replaced.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runExtract } from '../src/ingest/run.js';
import Database from 'better-sqlite3';
import { dropIndexesForFirstLoad, hasDocuments, openStore, PAGE_SIZE, peekStore } from '../src/store/schema.js';
import { countFacts } from '../src/store/read.js';
import { jsonList } from '../src/store/write.js';
import { ROOT, tempDir, writeFiles } from './helpers.js';

const tempCorpus = (files: Record<string, string | Buffer>) => writeFiles(tempDir('cnfacts-store-'), files);

describe('extracting into the store', () => {
  test('the same folder twice keeps one copy of every fact', async () => {
    const dir = tempCorpus({ 'a.txt': fs.readFileSync(path.join(ROOT, 'corpus/000_17601023d1635538.txt')) });
    const db = path.join(dir, 'f.sqlite');
    const first = await runExtract({ inputs: [dir], db });
    const second = await runExtract({ inputs: [dir], db });
    expect(first.new).toBe(1);
    expect(second.skipped).toBe(1);
    expect(second.factsAdded).toBe(0);
    const store = openStore(db, { readonly: true });
    expect(countFacts(store)).toBe(first.factsAdded);
    expect((store.prepare('SELECT count(*) n FROM runs').get() as { n: number }).n).toBe(2);
    store.close();
  });

  test('whether a store holds documents is read without creating or changing it', async () => {
    // as a run asks it, before it opens the store for writing
    const storeHasDocuments = (file: string) => peekStore(file, hasDocuments) ?? false;
    const dir = tempCorpus({ 'a.txt': '全区新增企业5家。' });
    const db = path.join(dir, 'f.sqlite');
    expect(storeHasDocuments(db)).toBe(false);
    expect(fs.existsSync(db)).toBe(false);
    fs.writeFileSync(path.join(dir, 'not-a-store.sqlite'), 'plain text');
    expect(storeHasDocuments(path.join(dir, 'not-a-store.sqlite'))).toBe(false);
    openStore(db).close();
    expect(storeHasDocuments(db)).toBe(false);
    await runExtract({ inputs: [path.join(dir, 'a.txt')], db, concurrency: 0 });
    expect(storeHasDocuments(db)).toBe(true);
  });

  test('a new store is made with large pages; an existing store keeps its own', () => {
    const dir = tempDir('cnfacts-store-');
    const fresh = openStore(path.join(dir, 'new.sqlite'));
    fresh.exec('CREATE TABLE t (x)');
    expect(fresh.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    fresh.close();
    // a store made elsewhere with SQLite's default pages opens and migrates as it is
    const old = new Database(path.join(dir, 'old.sqlite'));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x)');
    const before = old.pragma('page_size', { simple: true });
    old.close();
    expect(before).not.toBe(PAGE_SIZE);
    const reopened = openStore(path.join(dir, 'old.sqlite'));
    expect(reopened.pragma('page_size', { simple: true })).toBe(before);
    expect(reopened.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'facts'").get()).toEqual({ n: 1 });
    reopened.close();
  });

  test('a changed file has its facts replaced', async () => {
    const dir = tempCorpus({ 'a.txt': '2023年，渝北区规上工业总产值3512.5亿元，增长10%。' });
    const db = path.join(dir, 'f.sqlite');
    await runExtract({ inputs: [dir], db });
    fs.writeFileSync(path.join(dir, 'a.txt'), '2024年，渝北区规上工业总产值3600亿元。');
    const s = await runExtract({ inputs: [dir], db });
    expect(s.changed).toBe(1);
    expect(s.factsRemoved).toBe(2);
    const store = openStore(db, { readonly: true });
    const rows = store.prepare('SELECT value, year FROM facts').all();
    expect(rows).toEqual([{ value: 360000000000, year: 2024 }]);
    store.close();
  });

  test('documents are named relative to the folder given', async () => {
    const dir = tempCorpus({ 'sub/b.txt': '新增企业5家。' });
    const db = path.join(dir, 'f.sqlite');
    await runExtract({ inputs: [dir], db });
    const store = openStore(db, { readonly: true });
    expect(store.prepare('SELECT path, encoding, chars FROM documents').all()).toEqual([{ path: 'sub/b.txt', encoding: 'utf-8', chars: 7 }]);
    store.close();
  });

  test('bad files are recorded with their reason and do not stop the batch', async () => {
    const dir = tempCorpus({
      'empty.txt': '',
      'binary.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a]),
      'bad.txt': Buffer.from([0xe4, 0xb8, 0x80, 0xff, 0xfe, 0x41, 0x80, 0x80]),
      'good.txt': '新增企业5家。',
    });
    const db = path.join(dir, 'f.sqlite');
    const s = await runExtract({ inputs: [dir], db });
    expect(s.new).toBe(1);
    expect(s.failed).toBe(3);
    const store = openStore(db, { readonly: true });
    const errors = store.prepare('SELECT path, reason FROM errors ORDER BY path').all();
    expect(errors).toEqual([
      { path: 'bad.txt', reason: 'undecodable' },
      { path: 'binary.txt', reason: 'binary' },
      { path: 'empty.txt', reason: 'empty' },
    ]);
    expect((store.prepare('SELECT count(*) n FROM documents').get() as { n: number }).n).toBe(1);
    store.close();
  });
});

describe('fact rows', () => {
  test('lists of rules and doubts are the JSON that JSON.stringify writes, whatever their strings hold', () => {
    const lists = [
      [],
      ['numeral.arabic', 'unit.count', 'metric.after-measure-word'],
      ['subject is what the article is about', 'no unit printed'],
      ['a "quoted" word', 'back\\slash', 'tab\there', 'line\nbreak', '\u0001'],
      ['lone \ud800 surrogate', 'pair \ud83d\ude00', '中文“引号”'],
      [''],
    ];
    for (const xs of lists) {
      expect(jsonList(xs)).toBe(JSON.stringify(xs));
      expect(JSON.parse(jsonList(xs))).toEqual(xs);
    }
  });
});

describe('the review indexes around a first load', () => {
  const indexNames = (file: string) => {
    const db = new Database(file, { readonly: true });
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'facts' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    db.close();
    return names;
  };
  const ALL = ['facts_confidence', 'facts_document', 'facts_subject'];

  test('a first load into an empty store ends with every index; a load into a store with facts keeps them throughout', async () => {
    const dir = tempCorpus({ 'a.txt': '渝北区规上工业总产值3512.5亿元，增长15.8%。' });
    const db = path.join(dir, 'f.sqlite');
    const indexing: number[] = [];
    const first = await runExtract({ inputs: [dir], db, concurrency: 0, onIndexing: (n) => indexing.push(n) });
    expect(first.factsAdded).toBeGreaterThan(0);
    expect(indexing).toEqual([first.factsAdded]);
    expect(indexNames(db)).toEqual(ALL);
    fs.writeFileSync(path.join(dir, 'b.txt'), '全区新增企业5家。');
    await runExtract({ inputs: [dir], db, concurrency: 0, onIndexing: (n) => indexing.push(n) });
    expect(indexing).toHaveLength(1); // the store held facts: nothing dropped, nothing to build
    expect(indexNames(db)).toEqual(ALL);
  });

  test('indexes a killed first load left dropped are built by the next writer to open the store', () => {
    const file = path.join(tempDir('cnfacts-store-'), 'f.sqlite');
    const db = openStore(file);
    expect(dropIndexesForFirstLoad(db)).toBe(true);
    db.close(); // as a run killed before its end leaves it
    expect(indexNames(file)).toEqual(['facts_document']);
    openStore(file).close();
    expect(indexNames(file)).toEqual(ALL);
  });

  test('a store that holds facts does not lose its indexes', async () => {
    const dir = tempCorpus({ 'a.txt': '全区新增企业5家。' });
    const file = path.join(dir, 'f.sqlite');
    await runExtract({ inputs: [dir], db: file, concurrency: 0 });
    const db = openStore(file);
    expect(dropIndexesForFirstLoad(db)).toBe(false);
    db.close();
    expect(indexNames(file)).toEqual(ALL);
  });
});
