// The patched nodejieba (patches/nodejieba+*.patch): cutLengths must cut exactly as cut() does,
// and cutTagged tag exactly as tag() does.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { cutLengths, cut, tag } from '../src/nlp/jieba.js';
import { ROOT } from './helpers.js';

const nodejieba = createRequire(import.meta.url)('nodejieba') as {
  cut(t: string, hmm?: boolean): string[];
  tag(t: string): { word: string; tag: string }[];
  cutLengths?: unknown;
  cutTagged?: unknown;
};
const articles = fs
  .readdirSync(path.join(ROOT, 'corpus'))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => fs.readFileSync(path.join(ROOT, 'corpus', f), 'utf8'));

describe('jieba through the patch', () => {
  test('install applied the patch: the library answers cutLengths and cutTagged', () => {
    expect(typeof nodejieba.cutLengths).toBe('function');
    expect(typeof nodejieba.cutTagged).toBe('function');
  });

  test('a thread stopped while jieba cuts does not bring the process down', () => {
    // a run stops its extraction threads when it is done, and one may still be warming up inside
    // jieba: node-addon-api aborted the process when the thread's error could not be thrown
    const script = `
      const { Worker } = require('node:worker_threads');
      const code = \`
        const jieba = require(\${JSON.stringify(require.resolve('nodejieba'))});
        jieba.load();
        require('node:worker_threads').parentPort.postMessage('cutting');
        const text = '2023年，渝北区规上工业总产值3512.5亿元，增长15.8%。'.repeat(300);
        for (;;) jieba.cutTagged(text, true);
      \`;
      (async () => {
        for (let i = 0; i < 30; i++) {
          const w = new Worker(code, { eval: true });
          await new Promise((r) => w.once('message', r));
          await new Promise((r) => setTimeout(r, i % 7));
          await w.terminate();
        }
        console.log('survived');
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toMatch(/terminate called/);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('survived');
  }, 150_000);

  test("words and tags are jieba.tag's, with offsets into the text, on every sample article", () => {
    for (const text of articles) {
      const tokens = tag(text);
      expect(tokens.map((t) => `${t.word}/${t.tag}`)).toEqual(nodejieba.tag(text).filter((t) => t.word !== '\n').map((t) => `${t.word}/${t.tag}`));
      for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
    }
  });

  test('word lengths are the lengths of the words cut() gives, on every sample article', () => {
    expect(articles.length).toBeGreaterThan(0);
    for (const text of articles) {
      const lengths = Array.from(cutLengths(text));
      expect(lengths).toEqual(nodejieba.cut(text, true).map((w) => w.length));
      expect(lengths.reduce((n, l) => n + Math.abs(l), 0)).toBe(text.length);
    }
  });

  test('characters outside the Basic Multilingual Plane and lone surrogates keep their UTF-16 lengths', () => {
    const text = '渝北区😀增长15.8%，𠮷野家\uD800开业';
    const words = cut(text);
    expect(words.join('')).toBe(text);
    expect(words).toContain('😀');
    // no word boundary falls between the two halves of a surrogate pair
    let at = 0;
    for (const w of words) {
      at += w.length;
      const c = text.charCodeAt(at);
      expect(at < text.length && c >= 0xdc00 && c <= 0xdfff && text.charCodeAt(at - 1) >= 0xd800 && text.charCodeAt(at - 1) <= 0xdbff).toBe(false);
    }
  });

  test('words inserted after loading are words to cutTagged too (its flattened trie is made again)', () => {
    // in a process of its own: insertWord changes the dictionary every thread of a process shares
    const script = `
      const jieba = require('nodejieba');
      jieba.load();
      const text = '渝北区建成瑞驰霁月坊产业园和铭朗栖云谷';
      const words = () => { const out = []; const p = jieba.cutTagged(text, true); let at = 0; for (let k = 0; k < p.length; k += 2) { const n = Math.abs(p[k]); out.push(text.slice(at, at + n)); at += n; } return out; };
      const before = words();
      jieba.insertWord('瑞驰霁月坊', 'nz');
      jieba.insertWord('铭朗栖云谷', 'nz');
      console.log(JSON.stringify({ before, after: words(), cut: jieba.cut(text, true) }));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { before, after, cut: stock } = JSON.parse(r.stdout);
    expect(before).not.toContain('瑞驰霁月坊');
    expect(before).not.toContain('铭朗栖云谷');
    expect(after).toContain('瑞驰霁月坊');
    expect(after).toContain('铭朗栖云谷');
    expect(after).toEqual(stock);
  });
});
