// What a batch reads: every encoding real archives hold gives the same facts as
// its UTF-8 twin; feeds give one document per line with their own dates; and
// each kind of bad input is recorded with its reason while the rest goes in.
// These run the library on the test's own thread (concurrency 0); the CLI tests
// in ingest-batch.test.ts run the same inputs through worker threads.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { runExtract, type ExtractRunOptions } from '../src/ingest/run.js';
import { readInput } from '../src/ingest/read.js';
import { decodeUtf8 } from '../src/ingest/decode.js';
import { fileStamp } from '../src/ingest/discover.js';
import { openStore } from '../src/store/schema.js';
import { extractDocument, sha256 } from '../src/index.js';
import { encodeGb18030, encodeUtf16be, encodeUtf16le } from './encodings.js';
import { ROOT, tempDir, writeFiles } from './helpers.js';

const ARTICLE = fs.readFileSync(path.join(ROOT, 'corpus/000_17601023d1635538.txt'), 'utf8');

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

const inputDir = (files: Record<string, string | Buffer> = {}) => writeFiles(tempDir('cnfacts-ingest-'), files);

const extract = (dir: string, more: Partial<ExtractRunOptions> = {}) => runExtract({ inputs: [dir], db: path.join(dir, 'f.sqlite'), concurrency: 0, ...more });

function query<T>(dir: string, sql: string, ...params: unknown[]): T[] {
  const db = openStore(path.join(dir, 'f.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every field of every fact of a document, except the database's own row ids. */
const factsOf = (dir: string, doc: string) =>
  query<Record<string, unknown>>(dir, 'SELECT f.* FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = ? ORDER BY f.start, f.end', doc).map(
    ({ id, document_id, ...rest }) => rest,
  );

describe('encodings', () => {
  test('GB18030, UTF-16LE, UTF-16BE and UTF-8 with a BOM give the same facts as the UTF-8 file, and the encoding is stored', async () => {
    const dir = inputDir({
      'utf8.txt': ARTICLE,
      'utf8-bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ARTICLE)]),
      'gb18030.txt': encodeGb18030(ARTICLE),
      'utf16le.txt': encodeUtf16le(ARTICLE),
      'utf16be.txt': encodeUtf16be(ARTICLE),
    });
    const s = await extract(dir);
    expect(s.failed).toBe(0);
    expect(s.new).toBe(5);
    const docs = query<{ path: string; encoding: string; sha256: string; chars: number }>(dir, 'SELECT path, encoding, sha256, chars FROM documents ORDER BY path');
    expect(docs.map((d) => [d.path, d.encoding])).toEqual([
      ['gb18030.txt', 'gb18030'],
      ['utf16be.txt', 'utf-16be'],
      ['utf16le.txt', 'utf-16le'],
      ['utf8-bom.txt', 'utf-8-bom'],
      ['utf8.txt', 'utf-8'],
    ]);
    // one decoded text, hence one hash and the same fact ids
    expect(new Set(docs.map((d) => d.sha256)).size).toBe(1);
    expect(new Set(docs.map((d) => d.chars))).toEqual(new Set([[...ARTICLE].length]));
    const twin = factsOf(dir, 'utf8.txt');
    expect(twin.length).toBeGreaterThan(20);
    for (const d of docs) expect(factsOf(dir, d.path), d.path).toEqual(twin);
    // the extraction step takes the hash the reader made instead of hashing again: fact ids are the text's own
    expect(docs[0].sha256).toBe(sha256(ARTICLE));
    expect(twin.map((f) => f.fact_key).sort()).toEqual(extractDocument(ARTICLE).facts.map((f) => f.id).sort());
    // run again: UTF-8 files are recognised from their bytes, the others after decoding; all are unchanged
    const again = await extract(dir);
    expect(again).toMatchObject({ new: 0, changed: 0, skipped: 5, failed: 0, chars: s.chars, documents: 5 });
  });

  test('a text that is valid UTF-8 is read as UTF-8 even when it would also decode as GB18030', async () => {
    const dir = inputDir({ 'a.txt': '新增企业5家。' });
    await extract(dir);
    expect(query(dir, 'SELECT encoding FROM documents')).toEqual([{ encoding: 'utf-8' }]);
  });
});

describe('JSON Lines feeds', () => {
  const feedLine = (o: unknown) => JSON.stringify(o) + '\n';
  const TEXT = '今年，渝北区规上工业总产值3512.5亿元，比去年增长15.8%。';

  test('a feed not written to since all it gave was stored is not read again; it is when another input replaced one of its documents, or when a line failed', async () => {
    const dir = inputDir({
      'a.jsonl': feedLine({ id: 'x', text: TEXT, published: '2024-03-01' }) + feedLine({ id: 'y', text: '新增企业5家。' }),
      'bad.jsonl': feedLine({ id: 'z', text: '新增企业7家。' }) + 'not json\n',
    });
    const settle = () => new Promise((r) => setTimeout(r, 2100)); // files changed in the last two seconds get no stamp
    await settle();
    expect(await extract(dir)).toMatchObject({ new: 3, failed: 1, skippedUnread: 0 });
    // a.jsonl unread; bad.jsonl read again, and its bad line reported again
    expect(await extract(dir)).toMatchObject({ skipped: 3, skippedUnread: 2, failed: 1 });

    // another feed gives y another text: a.jsonl is read again, and gives its own back
    const other = inputDir({ 'b.jsonl': feedLine({ id: 'y', text: '新增企业6家。' }) });
    expect(await runExtract({ inputs: [other], db: path.join(dir, 'f.sqlite'), concurrency: 0 })).toMatchObject({ changed: 1 });
    const yFacts = () => query(dir, "SELECT f.quote FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = 'y'");
    expect(yFacts()).toEqual([{ quote: '6家' }]);
    expect(await extract(dir)).toMatchObject({ changed: 1, skipped: 2, skippedUnread: 0 });
    expect(yFacts()).toEqual([{ quote: '5家' }]);
    expect(await extract(dir)).toMatchObject({ skipped: 3, skippedUnread: 2 });

    // a line added: read
    fs.appendFileSync(path.join(dir, 'a.jsonl'), feedLine({ id: 'w', text: '新增企业9家。' }));
    expect(await extract(dir)).toMatchObject({ new: 1, skipped: 3, skippedUnread: 0 });
    await settle();
    await extract(dir); // stamps it, if the run before came too soon after the write to
    expect(await extract(dir)).toMatchObject({ skipped: 4, skippedUnread: 3 });
    // --force and --rehash read every feed
    expect(await extract(dir, { rehash: true })).toMatchObject({ skipped: 4, skippedUnread: 0 });
    expect(await extract(dir, { force: true })).toMatchObject({ changed: 4, skippedUnread: 0 });
  }, 60_000);

  test('each line is a document named by its id; published resolves 今年 and 去年; url and title are kept', async () => {
    const dir = inputDir({
      'feed.jsonl':
        feedLine({ id: 'cq-2023-001', text: TEXT, published: '2023-05-01', url: 'https://news.example/1', title: '渝北工业' }) +
        '\n' + // a blank line is no document and no error
        feedLine({ id: 'cq-2024-001', text: TEXT, published: '2024-03-01' }) +
        feedLine({ id: 'cq-2024-002', text: '去年，渝北区规上工业总产值3512.5亿元。', published: '2024-03-01' }),
    });
    const s = await extract(dir);
    expect(s.failed).toBe(0);
    expect(s.new).toBe(3);
    expect(query(dir, 'SELECT path, published, url, title, source FROM documents ORDER BY path')).toEqual([
      { path: 'cq-2023-001', published: '2023-05-01', url: 'https://news.example/1', title: '渝北工业', source: path.join(dir, 'feed.jsonl') },
      { path: 'cq-2024-001', published: '2024-03-01', url: null, title: null, source: path.join(dir, 'feed.jsonl') },
      { path: 'cq-2024-002', published: '2024-03-01', url: null, title: null, source: path.join(dir, 'feed.jsonl') },
    ]);
    const years = (doc: string) => factsOf(dir, doc).map((f) => [f.quote, f.year, f.time_text]);
    expect(years('cq-2023-001')).toEqual([
      ['3512.5亿元', 2023, '今年'],
      ['15.8%', 2023, '今年'],
    ]);
    expect(years('cq-2024-001')).toEqual([
      ['3512.5亿元', 2024, '今年'],
      ['15.8%', 2024, '今年'],
    ]);
    expect(years('cq-2024-002')).toEqual([['3512.5亿元', 2023, '去年']]);
  });

  test('a line that is not JSON, lacks text, or is not an object is recorded as feed:line; the good lines go in', async () => {
    const dir = inputDir({
      'feed.jsonl': [
        feedLine({ id: 'good-1', text: '新增企业5家。' }),
        '{"id": "broken", "text": "新增企业\n',
        feedLine({ id: 'no-text', title: '只有标题' }),
        feedLine({ id: 'empty-text', text: '  ' }),
        'null\n',
        '[1, 2]\n',
        feedLine({ text: '新增企业6家。' }), // no id: named by its place in the feed
      ].join(''),
    });
    const s = await extract(dir);
    expect(s.new).toBe(2);
    expect(s.failed).toBe(5);
    expect(query(dir, 'SELECT path, reason FROM errors ORDER BY id')).toEqual([
      { path: 'feed.jsonl:2', reason: 'bad-json' },
      { path: 'feed.jsonl:3', reason: 'no-text' },
      { path: 'feed.jsonl:4', reason: 'no-text' },
      { path: 'feed.jsonl:5', reason: 'no-text' },
      { path: 'feed.jsonl:6', reason: 'no-text' },
    ]);
    expect(query(dir, 'SELECT path FROM documents ORDER BY path')).toEqual([{ path: 'feed.jsonl:7' }, { path: 'good-1' }]);
  });

  test('feeds in UTF-16 (with a BOM) and GB18030 give the same documents as in UTF-8', async () => {
    const body = feedLine({ id: 'x', text: ARTICLE, published: '2024-01-10' });
    for (const [name, bytes, encoding] of [
      ['utf16.jsonl', encodeUtf16le(body), 'utf-16le'],
      ['utf16be.jsonl', encodeUtf16be(body + body.replace('"x"', '"y"')), 'utf-16be'],
      ['gb.jsonl', encodeGb18030(body), 'gb18030'],
    ] as const) {
      const dir = inputDir({ [name]: bytes, 'twin/feed.jsonl': body.replace('"x"', '"twin"') });
      const s = await extract(dir);
      expect(s.failed, name).toBe(0);
      expect(query(dir, 'SELECT encoding FROM documents WHERE path = ?', 'x'), name).toEqual([{ encoding }]);
      const strip = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, doc: undefined }));
      expect(strip(factsOf(dir, 'x')), name).toEqual(strip(factsOf(dir, 'twin')));
    }
  });

  test('a feed is read in pieces: a line longer than --max-size fails alone, and lines across read chunks are whole', async () => {
    const long = 'x'.repeat(3 * 1024 * 1024);
    const lines = [
      feedLine({ id: 'before', text: '新增企业5家。' }),
      feedLine({ id: 'huge', text: `新增企业7家。${long}` }),
      feedLine({ id: 'after', text: `新增企业9家。${'。'.repeat(400_000)}` }), // spans the 1 MB read chunks
    ];
    const dir = inputDir({ 'feed.jsonl': lines.join('') });
    const s = await extract(dir, { maxBytes: 2 * 1024 * 1024 });
    expect(query(dir, 'SELECT path, reason FROM errors')).toEqual([{ path: 'feed.jsonl:2', reason: 'too-large' }]);
    expect(s.new).toBe(2);
    expect(query(dir, 'SELECT path, length(text) AS n FROM documents ORDER BY path')).toEqual([
      { path: 'after', n: 400_007 },
      { path: 'before', n: 7 },
    ]);
  });
});

describe('bad inputs are recorded and never stop the batch', () => {
  test('binary, undecodable, empty, blank, and over the size limit: each with its reason, nothing half-written', async () => {
    const big = Buffer.from('渝北区规上工业总产值3512.5亿元，增长15.8%。\n'.repeat(900_000)); // 54 MB of real text
    expect(big.length).toBeGreaterThan(50 * 1000 * 1000);
    const dir = inputDir({
      'binary.txt': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(2000, 7)]),
      'undecodable.txt': Buffer.from([0xe4, 0xb8, 0x80, 0xff, 0xfe, 0x41, 0x80, 0x80, 0xc3, 0x28]),
      'empty.txt': '',
      'blank.txt': ' \n\u3000\n\t\n',
      'big.txt': big,
      'binary.jsonl': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0]),
      'empty.jsonl': '',
      'good.txt': '新增企业5家。',
    });
    const s = await extract(dir);
    expect(s.new).toBe(1);
    expect(s.failed).toBe(7);
    const errors = query<{ path: string; reason: string; detail: string }>(dir, 'SELECT path, reason, detail FROM errors ORDER BY path');
    expect(errors.map((e) => [e.path, e.reason])).toEqual([
      ['big.txt', 'too-large'],
      ['binary.jsonl', 'binary'],
      ['binary.txt', 'binary'],
      ['blank.txt', 'empty'],
      ['empty.jsonl', 'empty'],
      ['empty.txt', 'empty'],
      ['undecodable.txt', 'undecodable'],
    ]);
    expect(errors[0].detail).toMatch(/has \d+ bytes; the limit is 1048576/);
    // the summary lists them too, and only the good file is stored
    expect(s.errors.map((e) => e.path).sort()).toEqual(errors.map((e) => e.path));
    expect(query(dir, 'SELECT path FROM documents')).toEqual([{ path: 'good.txt' }]);
  });

  test('a file that vanishes, or turns into something unreadable, between finding and reading is recorded; the rest goes in', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`doc-${String(i).padStart(2, '0')}.txt`] = `新增企业${i + 1}家。`;
    const dir = inputDir(files);
    let struck = false;
    const s = await extract(dir, {
      // as soon as the first file is done, the last two change under the run's feet
      onProgress: () => {
        if (struck) return;
        struck = true;
        fs.rmSync(path.join(dir, 'doc-10.txt'));
        fs.rmSync(path.join(dir, 'doc-11.txt'));
        fs.mkdirSync(path.join(dir, 'doc-11.txt'));
        // a named pipe, which a plain open would wait on for ever
        fs.rmSync(path.join(dir, 'doc-09.txt'));
        mkfifo(path.join(dir, 'doc-09.txt'));
      },
    });
    expect(query(dir, 'SELECT path, reason FROM errors ORDER BY path')).toEqual([
      { path: 'doc-09.txt', reason: 'unreadable' },
      { path: 'doc-10.txt', reason: 'vanished' },
      { path: 'doc-11.txt', reason: 'unreadable' },
    ]);
    expect(s.new).toBe(9);
    expect(s.failed).toBe(3);
  });

  test('a link to a file is read as the file; a named pipe, a link to nothing and a loop of links are recorded, never opened', async () => {
    const dir = inputDir({ 'in/a.txt': '新增企业5家。', 'elsewhere/b.txt': '新增企业7家。', 'elsewhere/c.txt': '新增企业9家。' });
    const input = path.join(dir, 'in');
    fs.symlinkSync(path.join(dir, 'elsewhere', 'b.txt'), path.join(input, 'b.txt'));
    fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(input, 'linked-folder')); // not followed: no folder read twice
    fs.symlinkSync(path.join(dir, 'nowhere.txt'), path.join(input, 'dangling.txt'));
    fs.symlinkSync('loop-2.txt', path.join(input, 'loop-1.txt'));
    fs.symlinkSync('loop-1.txt', path.join(input, 'loop-2.txt'));
    fs.mkdirSync(path.join(input, 'folder.txt')); // a folder is walked, not read
    mkfifo(path.join(input, 'pipe.txt'));
    const db = path.join(dir, 'f.sqlite');
    const s = await runExtract({ inputs: [input], db, concurrency: 0 });
    expect(s).toMatchObject({ files: 2, new: 2, failed: 4 });
    expect(query(dir, 'SELECT path FROM documents ORDER BY path')).toEqual([{ path: 'a.txt' }, { path: 'b.txt' }]);
    expect(query(dir, 'SELECT path, reason, detail FROM errors ORDER BY path')).toEqual([
      { path: 'dangling.txt', reason: 'vanished', detail: `a symbolic link to nothing (${path.join(dir, 'nowhere.txt')})` },
      { path: 'loop-1.txt', reason: 'unreadable', detail: 'a loop of symbolic links' },
      { path: 'loop-2.txt', reason: 'unreadable', detail: 'a loop of symbolic links' },
      { path: 'pipe.txt', reason: 'unreadable', detail: 'not a regular file but a named pipe' },
    ]);
    // named on the command line, or matched by a pattern, the same
    const named = await runExtract({ inputs: [path.join(input, 'pipe.txt'), path.join(input, 'l*.txt')], db: path.join(dir, 'g.sqlite'), concurrency: 0 });
    expect(named.errors.map((e) => [path.basename(e.path), e.reason])).toEqual([
      ['pipe.txt', 'unreadable'],
      ['loop-1.txt', 'unreadable'],
      ['loop-2.txt', 'unreadable'],
    ]);
  });

  test('a path that matches nothing is recorded as vanished', async () => {
    const dir = inputDir({ 'a.txt': '新增企业5家。' });
    const s = await runExtract({ inputs: [dir, path.join(dir, 'nope'), path.join(dir, '*.none')], db: path.join(dir, 'f.sqlite'), concurrency: 0 });
    expect(s.missing.sort()).toEqual([path.join(dir, '*.none'), path.join(dir, 'nope')].sort());
    expect(s.failed).toBe(2);
    expect(s.new).toBe(1);
  });

  test('the size limit is an option: a file just over it fails, one at it goes in', async () => {
    const text = '新增企业5家。';
    const size = Buffer.byteLength(text);
    const dir = inputDir({ 'a.txt': text });
    expect((await extract(dir, { maxBytes: size - 1 })).errors.map((e) => e.reason)).toEqual(['too-large']);
    expect((await extract(dir, { maxBytes: size })).new).toBe(1);
  });
});

describe('reading', () => {
  test("a file's stamp: device, inode, size and both times; none for a file changed in the last two seconds, or for a folder", () => {
    const dir = tempDir('cnfacts-stamp-');
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, '新增企业5家。');
    const st = fs.statSync(file, { bigint: true });
    const later = st.ctimeNs + 3_000_000_000n;
    expect(fileStamp(st, later)).toBe(`${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
    expect(fileStamp(st, st.ctimeNs + 1_000_000_000n)).toBeNull();
    expect(fileStamp(st)).toBeNull(); // just written
    expect(fileStamp(fs.statSync(dir, { bigint: true }), later)).toBeNull();
    expect(fileStamp(undefined, later)).toBeNull();
    // a modification time in the future (a clock set wrong, an archive's dates) is not trusted either
    fs.utimesSync(file, new Date(), new Date(Date.now() + 3_600_000));
    const future = fs.statSync(file, { bigint: true });
    expect(fileStamp(future, future.ctimeNs + 3_000_000_000n)).toBeNull();
  });

  test('UTF-8 is decoded as strictly as a fatal TextDecoder: the same bytes refused, the same text', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const reference = (b: Uint8Array) => {
      try {
        return strict.decode(b);
      } catch {
        return null;
      }
    };
    const cases = [
      [0xe6, 0x96, 0xb0, 0xe5, 0xa2, 0x9e], // 新增
      [0xef, 0xbb, 0xbf, 0x41], // a byte-order mark stays a character here
      [0xc0, 0xaf], // overlong
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // a surrogate
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0xf0, 0x9f, 0x98, 0x80], // 😀
      [0xe6, 0x96], // cut short
      [0x80],
      [0xff, 0xfe, 0x41, 0x00],
      [],
    ].map((c) => Uint8Array.from(c));
    for (const c of cases) expect(decodeUtf8(c), Buffer.from(c).toString('hex')).toBe(reference(c));
  });

  test('a text file is hashed as its decoded text, so a re-encoded copy is the same document', () => {
    const utf8 = [...readInput({ file: writeTemp('a.txt', ARTICLE), doc: 'a.txt', kind: 'text', size: 0, stamp: null }, { published: null, maxBytes: 1e7 })];
    const gb = [...readInput({ file: writeTemp('b.txt', encodeGb18030(ARTICLE)), doc: 'b.txt', kind: 'text', size: 0, stamp: null }, { published: null, maxBytes: 1e7 })];
    expect(utf8[0].kind === 'document' && gb[0].kind === 'document').toBe(true);
    if (utf8[0].kind !== 'document' || gb[0].kind !== 'document') return;
    expect(gb[0].sha256).toBe(utf8[0].sha256);
    expect(gb[0].text).toBe(utf8[0].text);
  });
});

function writeTemp(name: string, body: string | Buffer): string {
  const file = path.join(inputDir(), name);
  fs.writeFileSync(file, body);
  return file;
}
