// The review app's HTTP API, endpoint by endpoint, on a real socket: what it
// returns, and what it refuses (hostile text, SQL metacharacters, oversized
// and malformed bodies, forged cross-site requests, writes when read-only).
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, ROOT } from './helpers.js';
import { openStore, type DB } from '../src/store/schema.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import { MAX_BODY_BYTES } from '../src/serve/app.js';
import { corpusStore, rawRequest, type RawResponse } from './review-helpers.js';

const HOSTILE = '2023年，<script>alert("x")</script>渝北区新增企业5家，"><img src=x onerror=alert(1)>增长10%。型号C919。';
const EXTRA = {
  'evil.txt': HOSTILE,
  'gdp-a.txt': '2023年，渝北区地区生产总值2000亿元。',
  'gdp-b.txt': '2023年，渝北区地区生产总值2100亿元。',
  'gdp-c.txt': '2022年，渝北区地区生产总值1900亿元。',
};

let file: string;
let db: DB; // the test's own connection, to check what the server wrote
let rw: RunningServer;
let ro: RunningServer;

beforeAll(async () => {
  ({ db: file } = await corpusStore(EXTRA));
  rw = await startServer({ db: openStore(file), port: 0, host: '127.0.0.1', reviewer: 'tester', dbName: 'facts.sqlite' });
  ro = await startServer({ db: openStore(file, { readonly: true }), port: 0, host: '127.0.0.1', readOnly: true });
  db = openStore(file, { readonly: true });
});

afterAll(async () => {
  await rw?.close();
  await ro?.close();
  db?.close();
});

const get = (path: string, headers: Record<string, string> = {}, server = rw) => rawRequest(server.port, { path, headers });
const write = (method: string, path: string, body: unknown, headers: Record<string, string> = {}, server = rw): Promise<RawResponse> =>
  rawRequest(server.port, {
    method,
    path,
    headers: { 'content-type': 'application/json', 'x-cnfacts-token': server.token, origin: `http://127.0.0.1:${server.port}`, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
const factId = (doc: string, quote: string) =>
  (db.prepare('SELECT f.id FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = ? AND f.quote = ? ORDER BY f.start').get(doc, quote) as { id: number }).id;
const verdictOf = (id: number) =>
  db.prepare(`SELECT v.verdict, v.corrections, v.note, v.reviewer FROM verdicts v WHERE v.doc = (SELECT d.path FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.id = ?)
              AND v.quote = (SELECT quote FROM facts WHERE id = ?) AND v.start = (SELECT start FROM facts WHERE id = ?)`).get(id, id, id);

describe('the page and its assets', () => {
  test('GET / is the page, with the token, strict headers and no article text', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain(`<meta name="cnfacts-token" content="${rw.token}">`);
    expect(r.body).not.toContain('渝北');
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  test('the assets are served with their types; anything else is 404', async () => {
    for (const [name, type] of [['app.js', /javascript/], ['app.css', /css/], ['chart.umd.js', /javascript/]] as const) {
      const r = await get(`/assets/${name}`);
      expect(r.status, name).toBe(200);
      expect(r.headers['content-type']).toMatch(type);
    }
    expect((await get('/assets/chart.umd.js')).body).toMatch(/Chart/);
    expect((await get('/assets/..%2Fapp.ts')).status).toBe(404);
    expect((await get('/nope')).status).toBe(404);
  });

  test('the page script never puts text into innerHTML', async () => {
    const js = (await get('/assets/app.js')).body;
    expect(js).not.toMatch(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(js).toMatch(/textContent|createTextNode/);
  });
});

describe('GET /api/meta and /api/progress', () => {
  test('progress over the whole store, and what the filters offer', async () => {
    const m = (await get('/api/meta')).json();
    expect(m.readOnly).toBe(false);
    expect(m.reviewer).toBe('tester');
    expect(m.progress.facts).toBe(count('SELECT count(*) AS n FROM facts'));
    expect(m.options.documents).toContain('evil.txt');
    expect(m.options.subjects[0]).toHaveProperty('n');
    expect(m.options.rules.map((r: { name: string }) => r.name)).toContain('unit.percent');
    expect((await get('/api/progress')).json()).toEqual(m.progress);
  });
});

describe('GET /api/facts', () => {
  test('lowest confidence first by default, paginated without overlap', async () => {
    const total = count('SELECT count(*) AS n FROM facts');
    const first = (await get('/api/facts?limit=30')).json();
    expect(first.total).toBe(total);
    expect(first.facts).toHaveLength(30);
    const conf = first.facts.map((f: { confidence: number }) => f.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => a - b));
    expect(conf[0]).toBe((db.prepare('SELECT min(confidence) AS m FROM facts').get() as { m: number }).m);
    const second = (await get('/api/facts?limit=30&offset=30')).json();
    const rows = (p: { facts: { row: number }[] }) => p.facts.map((f) => f.row);
    expect(rows(second).filter((r: number) => rows(first).includes(r))).toEqual([]);
    expect(second.facts[0].confidence).toBeGreaterThanOrEqual(conf[29]);
  });

  test('each record carries the sentence split around the figure', async () => {
    const f = (await get('/api/facts?doc=gdp-a.txt')).json().facts[0];
    expect(f).toMatchObject({ doc: 'gdp-a.txt', quote: '2000亿元', verdict: null, context: { before: '2023年，渝北区地区生产总值', quote: '2000亿元', after: '。' } });
  });

  test('every filter narrows as the store says', async () => {
    const cases: [string, string, unknown[]][] = [
      ['doc=gdp-b.txt', "SELECT count(*) AS n FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = 'gdp-b.txt'", []],
      ['subject=渝北区', "SELECT count(*) AS n FROM facts WHERE subject = '渝北区'", []],
      ['metric=研发', "SELECT count(*) AS n FROM facts WHERE metric LIKE '%研发%'", []],
      ['year=2023', 'SELECT count(*) AS n FROM facts WHERE year = 2023', []],
      ['kind=share', "SELECT count(*) AS n FROM facts WHERE kind = 'share'", []],
      ['modality=planned', "SELECT count(*) AS n FROM facts WHERE modality = 'planned'", []],
      ['minConfidence=0.6&maxConfidence=0.85', 'SELECT count(*) AS n FROM facts WHERE confidence >= 0.6 AND confidence <= 0.85', []],
      ['rule=subject.topic', `SELECT count(*) AS n FROM facts WHERE rules LIKE '%"subject.topic"%'`, []],
      ['subject=渝北区&year=2023&kind=amount', "SELECT count(*) AS n FROM facts WHERE subject = '渝北区' AND year = 2023 AND kind = 'amount'", []],
    ];
    for (const [q, sql] of cases) {
      const r = (await get(`/api/facts?${encodeURI(q)}&limit=500`)).json();
      const n = count(sql);
      expect(n, q).toBeGreaterThan(0);
      expect(r.total, q).toBe(n);
      expect(r.facts.length, q).toBe(Math.min(n, 500));
    }
    const y = (await get('/api/facts?year=2023&kind=amount&limit=500')).json();
    expect(y.facts.every((f: { year: number; kind: string }) => f.year === 2023 && f.kind === 'amount')).toBe(true);
  });

  test('every sort, both ways', async () => {
    const sorted = async (sort: string, dir: string, key: (f: any) => unknown) => {
      const r = (await get(`/api/facts?sort=${sort}&dir=${dir}&limit=500`)).json();
      const keys = r.facts.map(key);
      const cmp = (a: any, b: any) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
      const want = [...keys].sort((a, b) => (dir === 'desc' ? -cmp(a, b) : cmp(a, b)));
      expect(keys, `${sort} ${dir}`).toEqual(want);
    };
    for (const dir of ['asc', 'desc']) {
      await sorted('confidence', dir, (f) => f.confidence);
      await sorted('subject', dir, (f) => f.subject);
      await sorted('metric', dir, (f) => f.metric);
      await sorted('year', dir, (f) => f.year);
    }
    const byDoc = (await get('/api/facts?doc=000_17601023d1635538.txt&sort=doc&limit=500')).json().facts.map((f: { start: number }) => f.start);
    expect(byDoc).toEqual([...byDoc].sort((a, b) => a - b));
  });

  test('focus opens the page holding a fact', async () => {
    const all = (await get('/api/facts?limit=500')).json().facts;
    const target = all[123];
    const r = (await get(`/api/facts?limit=50&focus=${target.row}`)).json();
    expect(r.offset).toBe(100);
    expect(r.facts.map((f: { row: number }) => f.row)).toContain(target.row);
  });

  test('SQL metacharacters are plain text', async () => {
    const total = count('SELECT count(*) AS n FROM facts');
    for (const q of ["subject=' OR 1=1 --", "metric=' OR '1'='1", 'metric=%', 'metric=_', 'metric=\\', "doc=x' OR 'a'='a", 'subject=渝北区"; DROP TABLE facts; --', 'rule=%']) {
      const r = await get(`/api/facts?${q.split('=')[0]}=${encodeURIComponent(q.slice(q.indexOf('=') + 1))}`);
      expect(r.status, q).toBe(200);
      expect(r.json().total, q).toBe(0);
    }
    expect(count('SELECT count(*) AS n FROM facts')).toBe(total);
  });

  test('bad parameters are 400, not errors', async () => {
    for (const q of ['sort=confidence;DROP TABLE facts', 'sort=f.id', 'dir=sideways', 'limit=100000', 'limit=0', 'offset=-1', 'year=abc', 'year=99',
      'kind=<script>', 'verdict=maybe', 'minConfidence=2', 'focus=1 OR 1', 'unknown=1', `subject=${'x'.repeat(300)}`]) {
      const r = await get(`/api/facts?${q.replace(/ /g, '%20')}`);
      expect(r.status, q).toBe(400);
      expect(r.json().error, q).toBeTruthy();
    }
  });
});

describe('hostile article text', () => {
  test('script and markup in an article come back as text, escaped in the JSON itself', async () => {
    const r = await get('/api/facts?doc=evil.txt&sort=doc');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.body).not.toMatch(/[<>]/);
    expect(r.body).toContain('\\u003cscript\\u003e');
    const facts = r.json().facts;
    expect(facts.map((f: { quote: string }) => f.quote)).toEqual(['5家', '10%']);
    expect(facts[0].context.before).toContain('<script>alert("x")</script>');
    expect(facts[1].context.before).toContain('"><img src=x onerror=alert(1)>');
  });

  test('the document view returns the whole text in segments, escaped the same way', async () => {
    const r = await get('/api/document?path=evil.txt');
    expect(r.status).toBe(200);
    expect(r.body).not.toMatch(/[<>]/);
    const d = r.json();
    expect(d.segments.map((s: { text: string }) => s.text).join('')).toBe(HOSTILE);
    expect(d.segments.filter((s: { type: string }) => s.type === 'fact').map((s: { text: string }) => s.text)).toEqual(['5家', '10%']);
    // numbers that are not facts are there too, with the reason: the year, the 1 in the markup, the model number
    const numbers = d.segments.filter((s: { type: string }) => s.type === 'number');
    expect(numbers.map((s: { text: string }) => s.text)).toEqual(['2023年', '1', '919']);
    expect(numbers[0].reason).toBe('time.year');
    expect(numbers[2].reason).toBe('nonfact.model-name');
    expect(d).toMatchObject({ path: 'evil.txt', facts: 2, numbers: 3 });
  });
});

describe('GET /api/facts/:id and its paragraph', () => {
  test('one fact with every field, its verdict and its document', async () => {
    const id = factId('gdp-a.txt', '2000亿元');
    const f = (await get(`/api/facts/${id}`)).json();
    expect(f).toMatchObject({ row: id, quote: '2000亿元', subject: '渝北区', metric: '地区生产总值', year: 2023, value: 200000000000, unit: '元', review: null });
    expect(f.rule).toBeTruthy();
    expect(Array.isArray(f.rules) && Array.isArray(f.doubts)).toBe(true);
    expect(f.document).toHaveProperty('published');
    const p = (await get(`/api/facts/${id}/paragraph`)).json();
    expect(p).toEqual({ before: '2023年，渝北区地区生产总值', quote: '2000亿元', after: '。' });
  });

  test('a paragraph stops at blank lines', async () => {
    const id = factId('000_17601023d1635538.txt', '3512.5亿元');
    const p = (await get(`/api/facts/${id}/paragraph`)).json();
    expect(p.before.startsWith('2023年')).toBe(true);
    expect(p.after.endsWith('……')).toBe(true);
  });

  test('bad and unknown ids', async () => {
    expect((await get('/api/facts/abc')).status).toBe(400);
    expect((await get('/api/facts/0')).status).toBe(400);
    expect((await get('/api/facts/1%20OR%201=1')).status).toBe(400);
    expect((await get('/api/facts/99999999')).status).toBe(404);
    expect((await get('/api/facts/99999999/paragraph')).status).toBe(404);
  });
});

describe('PUT and DELETE /api/facts/:id/verdict', () => {
  test('accept, correct, reject, withdraw: each lands in the verdicts table', async () => {
    const five = factId('evil.txt', '5家');
    const pct = factId('evil.txt', '10%');
    const before = (await get('/api/progress')).json().reviewed;

    let r = await write('PUT', `/api/facts/${five}/verdict`, { verdict: 'accepted', note: '<b>checked</b>' });
    expect(r.status).toBe(200);
    expect(r.json().verdict).toMatchObject({ verdict: 'accepted', note: '<b>checked</b>', reviewer: 'tester' });
    expect(r.body).not.toMatch(/[<>]/);
    expect(r.json().progress.reviewed).toBe(before + 1);
    expect(verdictOf(five)).toEqual({ verdict: 'accepted', corrections: null, note: '<b>checked</b>', reviewer: 'tester' });

    r = await write('PUT', `/api/facts/${pct}/verdict`, { verdict: 'corrected', corrections: { metric: '企业数量增长', direction: 'up', year: 2022 } });
    expect(r.status).toBe(200);
    expect(JSON.parse((verdictOf(pct) as { corrections: string }).corrections)).toEqual({ metric: '企业数量增长', year: 2022 });
    const card = (await get(`/api/facts/${pct}`)).json();
    expect(card).toMatchObject({ verdict: 'corrected', corrections: { metric: '企业数量增长', year: 2022 }, review: { reviewer: 'tester' } });

    r = await write('PUT', `/api/facts/${pct}/verdict`, { verdict: 'rejected' });
    expect((verdictOf(pct) as { verdict: string }).verdict).toBe('rejected');
    expect((await get('/api/facts?doc=evil.txt&verdict=rejected')).json().facts.map((f: { row: number }) => f.row)).toEqual([pct]);
    expect((await get('/api/facts?doc=evil.txt&verdict=accepted')).json().facts.map((f: { row: number }) => f.row)).toEqual([five]);
    expect((await get('/api/facts?doc=evil.txt&verdict=reviewed')).json().total).toBe(2);
    expect((await get('/api/facts?doc=evil.txt&verdict=unreviewed')).json().total).toBe(0);

    r = await write('DELETE', `/api/facts/${pct}/verdict`, undefined);
    expect(r.status).toBe(200);
    expect(r.json().withdrawn.verdict).toBe('rejected');
    expect(verdictOf(pct)).toBeUndefined();
    expect(count("SELECT count(*) AS n FROM verdict_log WHERE action = 'clear'")).toBeGreaterThan(0);
    expect((await write('DELETE', `/api/facts/${pct}/verdict`, undefined)).json().withdrawn).toBeNull();
  });

  test('invalid verdicts are 400; unknown facts 404; a re-extracted fact 409', async () => {
    const id = factId('gdp-c.txt', '1900亿元');
    const bad: unknown[] = [
      { verdict: 'maybe' },
      {},
      { verdict: 'accepted', corrections: { metric: 'x' } },
      { verdict: 'corrected' },
      { verdict: 'corrected', corrections: { metric: '地区生产总值' } }, // no change
      { verdict: 'corrected', corrections: { owner: 'me' } },
      { verdict: 'corrected', corrections: { year: '2023' } },
      { verdict: 'corrected', corrections: { kind: 'guess' } },
      { verdict: 'accepted', note: 'x'.repeat(2001) },
      { verdict: 'accepted', extra: 1 },
      ['accepted'],
      'accepted',
      null,
    ];
    for (const body of bad) {
      const r = await write('PUT', `/api/facts/${id}/verdict`, JSON.stringify(body));
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect(verdictOf(id)).toBeUndefined();
    expect((await write('PUT', '/api/facts/99999999/verdict', { verdict: 'accepted' })).status).toBe(404);
    expect((await write('PUT', '/api/facts/abc/verdict', { verdict: 'accepted' })).status).toBe(400);
    expect((await write('PUT', `/api/facts/${id}/verdict`, { verdict: 'accepted', fact_key: 'ffff:1-2' })).status).toBe(409);
  });

  test('malformed and oversized bodies are refused', async () => {
    const id = factId('gdp-c.txt', '1900亿元');
    for (const body of ['{"verdict": "accepted"', '{verdict: accepted}', '', '\u0000\u0001']) {
      expect((await write('PUT', `/api/facts/${id}/verdict`, body)).status, JSON.stringify(body)).toBe(400);
    }
    const huge = JSON.stringify({ verdict: 'accepted', note: 'x'.repeat(MAX_BODY_BYTES) });
    expect((await write('PUT', `/api/facts/${id}/verdict`, huge)).status).toBe(413);
    // without a content-length (chunked), the size is counted while reading
    const chunked = await write('PUT', `/api/facts/${id}/verdict`, huge, { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    expect((await write('PUT', `/api/facts/${id}/verdict`, { verdict: 'accepted' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await write('PUT', `/api/facts/${id}/verdict`, 'verdict=accepted', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(verdictOf(id)).toBeUndefined();
  });

  test('an oversized request line is refused before any handler runs', async () => {
    const r = await get(`/api/facts?metric=${'x'.repeat(20_000)}`);
    expect(r.status).toBe(431);
  });
});

describe('forged requests', () => {
  const target = () => factId('gdp-c.txt', '1900亿元');

  test('a write without the token, with a wrong one, or from another origin is refused', async () => {
    const id = target();
    const forged: Record<string, string>[] = [
      { 'x-cnfacts-token': '' },
      { 'x-cnfacts-token': 'guess' },
      { 'x-cnfacts-token': rw.token.slice(0, -1) + (rw.token.endsWith('A') ? 'B' : 'A') },
      { origin: 'http://evil.example' },
      { origin: `http://127.0.0.1:${rw.port + 1}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const h of forged) {
      const r = await write('PUT', `/api/facts/${id}/verdict`, { verdict: 'rejected' }, h);
      expect(r.status, JSON.stringify(h)).toBe(403);
    }
    // a plain cross-site form post: no token, a form content type
    const form = await rawRequest(rw.port, { method: 'POST', path: `/api/facts/${id}/verdict`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, body: 'verdict=rejected' });
    expect(form.status).toBe(403);
    expect((await write('DELETE', `/api/facts/${id}/verdict`, undefined, { 'x-cnfacts-token': 'guess' })).status).toBe(403);
    expect(verdictOf(id)).toBeUndefined();
  });

  test('the Host header must name this server, for reads and writes (no DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${rw.port}`, `127.0.0.1:${rw.port + 1}`, '']) {
      expect((await get('/', { host })).status, host).toBe(403);
      expect((await get('/api/facts', { host })).status, host).toBe(403);
      expect((await write('PUT', `/api/facts/${target()}/verdict`, { verdict: 'rejected' }, { host })).status, host).toBe(403);
    }
    expect((await get('/api/meta', { host: `localhost:${rw.port}` })).status).toBe(200);
    expect(verdictOf(target())).toBeUndefined();
  });

  test('a request that passes every check does write', async () => {
    const r = await write('PUT', `/api/facts/${target()}/verdict`, { verdict: 'accepted' }, { origin: `http://localhost:${rw.port}`, host: `localhost:${rw.port}` });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    await write('DELETE', `/api/facts/${target()}/verdict`, undefined);
  });
});

describe('--read-only', () => {
  test('reads work, every write is refused, and the page says so', async () => {
    expect((await get('/api/meta', {}, ro)).json().readOnly).toBe(true);
    expect((await get('/', {}, ro)).body).toContain('<meta name="cnfacts-read-only" content="true">');
    expect((await get('/api/facts?limit=5', {}, ro)).json().facts).toHaveLength(5);
    const id = factId('gdp-a.txt', '2000亿元');
    const put = await write('PUT', `/api/facts/${id}/verdict`, { verdict: 'accepted' }, {}, ro);
    expect(put.status).toBe(403);
    expect(put.json().error).toMatch(/read-only/);
    expect((await write('DELETE', `/api/facts/${id}/verdict`, undefined, {}, ro)).status).toBe(403);
    expect(verdictOf(id)).toBeUndefined();
  });
});

describe('documents, consistency, charts, orphans, stats', () => {
  test('GET /api/documents lists every document with its counts', async () => {
    const r = (await get('/api/documents')).json();
    expect(r.total).toBe(9);
    expect(r.documents.find((d: { path: string }) => d.path === 'gdp-a.txt')).toMatchObject({ facts: 1, reviewed: 0 });
    expect((await get('/api/documents?limit=2&offset=1')).json().documents).toHaveLength(2);
    expect((await get('/api/documents?limit=x')).status).toBe(400);
  });

  test('GET /api/document: unknown paths are 404, hostile ones plain text', async () => {
    expect((await get('/api/document?path=nope.txt')).status).toBe(404);
    expect((await get(`/api/document?path=${encodeURIComponent("evil.txt' OR '1'='1")}`)).status).toBe(404);
    expect((await get('/api/document')).status).toBe(400);
    const d = (await get('/api/document?path=000_17601023d1635538.txt')).json();
    const facts = d.segments.filter((s: { type: string }) => s.type === 'fact');
    expect(facts.length).toBe(count("SELECT count(*) AS n FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = '000_17601023d1635538.txt'"));
    expect(facts[0]).toHaveProperty('row');
    expect(d.numbers).toBeGreaterThan(0);
  });

  test('GET /api/consistency: the same subject, metric and year with different values across documents', async () => {
    const r = (await get('/api/consistency?subject=渝北区&metric=地区生产总值')).json();
    const g = r.groups.find((x: { year: number }) => x.year === 2023);
    expect(g).toMatchObject({ subject: '渝北区', metric: '地区生产总值', kind: 'amount', unit: '元', documents: 2, values: 2 });
    expect(g.facts.map((f: { doc: string; value: number }) => [f.doc, f.value])).toEqual([['gdp-a.txt', 200000000000], ['gdp-b.txt', 210000000000]]);
    expect(g.facts[0].context.quote).toBe('2000亿元');
    // a rejected figure no longer disagrees
    const b = factId('gdp-b.txt', '2100亿元');
    await write('PUT', `/api/facts/${b}/verdict`, { verdict: 'rejected' });
    expect((await get('/api/consistency?subject=渝北区&metric=地区生产总值')).json().groups.some((x: { year: number }) => x.year === 2023)).toBe(false);
    // and a correction that makes them agree is applied
    await write('PUT', `/api/facts/${b}/verdict`, { verdict: 'corrected', corrections: { value: 200000000000 } });
    expect((await get('/api/consistency?subject=渝北区&metric=地区生产总值')).json().groups).toEqual([]);
    await write('DELETE', `/api/facts/${b}/verdict`, undefined);
    expect((await get(`/api/consistency?metric=${encodeURIComponent("%' OR 1=1 --")}`)).json().total).toBe(0);
    expect((await get('/api/consistency?limit=1000')).status).toBe(400);
  });

  test('GET /api/series and /api/chartable: one subject and metric across years', async () => {
    const s = (await get(`/api/series?subject=${encodeURIComponent('渝北区')}&metric=${encodeURIComponent('地区生产总值')}`)).json();
    const points = s.points.filter((p: { doc: string }) => p.doc.startsWith('gdp-')).map((p: { year: number; value: number; doc: string }) => [p.year, p.value, p.doc]);
    expect(points).toEqual([[2022, 190000000000, 'gdp-c.txt'], [2023, 200000000000, 'gdp-a.txt'], [2023, 210000000000, 'gdp-b.txt']]);
    expect((await get('/api/series?subject=渝北区')).status).toBe(400);
    const c = (await get(`/api/chartable?subject=${encodeURIComponent('渝北区')}`)).json();
    expect(c.series.find((x: { metric: string }) => x.metric === '地区生产总值')).toMatchObject({ years: expect.any(Number) });
    expect((await get('/api/chartable')).json().series.length).toBeGreaterThan(0);
  });

  test('GET /api/stats and /api/orphans', async () => {
    const id = factId('gdp-c.txt', '1900亿元');
    await write('PUT', `/api/facts/${id}/verdict`, { verdict: 'rejected' });
    const s = (await get('/api/stats')).json();
    expect(s.reviewed).toBeGreaterThan(0);
    expect(s.rules[0].acceptance).toBe(0);
    expect(s.rules.every((r: { rule: string }) => typeof r.rule === 'string')).toBe(true);
    // an orphan: a verdict whose figure is not in the store (as after a re-extraction that lost it)
    const w = openStore(file);
    w.prepare(`INSERT INTO verdicts (doc, quote, sentence, start, end, sentence_start, text_before, text_after, fact_key, verdict, note, reviewer, at)
               VALUES ('gdp-a.txt', '1999亿元', '2023年，渝北区地区生产总值1999亿元。', 15, 21, 0, '', '', 'x:15-21', 'accepted', '<i>old</i>', 'ann', '2024-01-01T00:00:00Z')`).run();
    w.close();
    const o = await get('/api/orphans');
    expect(o.body).not.toMatch(/[<>]/);
    expect(o.json()).toMatchObject({ total: 1, orphans: [{ doc: 'gdp-a.txt', quote: '1999亿元', verdict: 'accepted', note: '<i>old</i>' }] });
    expect((await get('/api/progress')).json().orphans).toBe(1);
    expect((await get('/api/orphans?limit=0')).status).toBe(400);
  });
});

describe('cnfacts serve on the command line', () => {
  const serve = (args: string[]) => spawnSync(process.execPath, [CLI, 'serve', ...args], { encoding: 'utf8', cwd: ROOT, timeout: 20_000 });

  test('a missing store, a bad port and a busy port are clear messages with status 2', async () => {
    let r = serve(['--db', '/nonexistent/facts.sqlite']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no database at/);
    r = serve(['--db', file, '--port', '70000']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port expects a port number/);
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    r = serve(['--db', file, '--port', String(port)]);
    busy.close();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
