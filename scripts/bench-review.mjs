#!/usr/bin/env node
// Benchmark of the review app: builds a store of over 100,000 facts (corpus/
// extracted once, then its documents copied with varied subjects, years and
// confidences), marks a tenth of them reviewed, starts the app in this
// process and times the fact list and filtered lists over HTTP: median and
// worst of repeated requests, PASS when the worst answers under 200 ms.
// A few other endpoints are timed for information. Run after `npm run build`:
//   npm run bench:review [-- --facts 100000 --repeats 25 --keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runExtract, openStore } from '../dist/index.js';
import { startServer } from '../dist/serve/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: node scripts/bench-review.mjs [--facts 100000] [--repeats 25] [--keep]

  --facts N    grow a store from corpus/ to at least N facts (default 100000)
  --repeats N  times each listing query is timed; the median is compared with the budget (default 25)
  --keep       keep the store (its folder is printed)`;
let opts;
try {
  opts = parseArgs({ options: { facts: { type: 'string', default: '100000' }, repeats: { type: 'string', default: '25' }, keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } }).values;
} catch (e) {
  console.error(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const TARGET_FACTS = Number(opts.facts);
const REPEATS = Number(opts.repeats);
if (!(TARGET_FACTS > 0) || !(REPEATS > 0)) {
  console.error(`--facts and --repeats must be positive numbers\n\n${USAGE}`);
  process.exit(2);
}
const BUDGET_MS = 200;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnfacts-bench-review-'));
const file = path.join(dir, 'facts.sqlite');

console.log(`building a store of ≥${TARGET_FACTS.toLocaleString('en-US')} facts in ${dir}`);
let t = Date.now();
await runExtract({ inputs: [path.join(ROOT, 'corpus')], db: file });
const db = openStore(file);
const base = db.prepare('SELECT count(*) AS n FROM facts').get().n;
const copies = Math.ceil(TARGET_FACTS / base) - 1;
const docCols = 'source, sha256, size, encoding, chars, published, title, url, text, extractor_version, extracted_at';
const factCols = db.prepare('SELECT name FROM pragma_table_info(\'facts\')').all().map((c) => c.name).filter((c) => c !== 'id' && c !== 'document_id');
const originals = db.prepare('SELECT id, path FROM documents').all();
const copyDoc = db.prepare(`INSERT INTO documents (path, ${docCols}) SELECT ?, ${docCols} FROM documents WHERE id = ? RETURNING id`);
// copies differ where the filters look: a subject in a tenth of them, the year shifted in a third, the confidence nudged
const varied = factCols.map((c) =>
  c === 'subject' ? `CASE WHEN @k % 10 = 0 AND subject IS NOT NULL THEN subject || '·' || (@k % 7) ELSE subject END`
  : c === 'year' ? `CASE WHEN year IS NOT NULL AND @k % 3 = 1 THEN year - 1 ELSE year END`
  : c === 'confidence' ? `max(0.05, min(1, round(confidence - (@k % 4) * 0.05, 2)))`
  : c).join(', ');
const copyFacts = db.prepare(`INSERT INTO facts (document_id, ${factCols.join(', ')}) SELECT @doc, ${varied} FROM facts WHERE document_id = @from`);
db.transaction(() => {
  for (let k = 1; k <= copies; k++) {
    for (const d of originals) {
      const { id } = copyDoc.get(`copy-${String(k).padStart(4, '0')}/${d.path}`, d.id);
      copyFacts.run({ doc: id, from: d.id, k });
    }
  }
  // a tenth reviewed: 8 in 10 accepted, 1 corrected, 1 rejected
  db.exec(`INSERT INTO verdicts (doc, quote, sentence, start, end, sentence_start, text_before, text_after, fact_key, verdict, corrections, reviewer, at)
           SELECT d.path, f.quote, f.sentence, f.start, f.end, f.sentence_start, '', '', f.fact_key,
             CASE f.id % 100 WHEN 0 THEN 'rejected' WHEN 10 THEN 'corrected' ELSE 'accepted' END,
             CASE f.id % 100 WHEN 10 THEN '{"metric":"改正的指标"}' END, 'bench', '2024-01-01T00:00:00Z'
           FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.id % 10 = 0`);
})();
db.exec('ANALYZE');
const facts = db.prepare('SELECT count(*) AS n FROM facts').get().n;
const docs = db.prepare('SELECT count(*) AS n FROM documents').get().n;
const verdicts = db.prepare('SELECT count(*) AS n FROM verdicts').get().n;
const someDoc = db.prepare("SELECT path FROM documents WHERE path LIKE 'copy-0100/%' ORDER BY path LIMIT 1").get()?.path ?? originals[0].path;
db.close();
console.log(`${facts.toLocaleString('en-US')} facts in ${docs.toLocaleString('en-US')} documents, ${verdicts.toLocaleString('en-US')} verdicts (${((Date.now() - t) / 1000).toFixed(1)}s)`);

t = Date.now();
const server = await startServer({ db: openStore(file), port: 0, host: '127.0.0.1', reviewer: 'bench' });
console.log(`app started, verdicts attached, in ${Date.now() - t} ms: ${server.url}\n`);

async function timeGet(url) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(server.url.replace(/\/$/, '') + url);
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${body.error}`);
  return { ms, body };
}

async function measure(url) {
  for (let i = 0; i < 2; i++) await timeGet(url); // warm the statement cache and the pages
  const times = [];
  let body;
  for (let i = 0; i < REPEATS; i++) ({ ms: times[i], body } = await timeGet(url));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], worst: times[times.length - 1], body };
}

const enc = encodeURIComponent;
const timed = [
  ['list, first page (lowest confidence first)', '/api/facts'],
  ['list, page 1,000 (offset 50,000)', '/api/facts?offset=50000'],
  ['list, last page', `/api/facts?offset=${facts - 50}`],
  ['subject = 渝北区', `/api/facts?subject=${enc('渝北区')}`],
  ['metric contains 研发', `/api/facts?metric=${enc('研发')}`],
  ['year 2023, amounts', '/api/facts?year=2023&kind=amount'],
  ['planned, by year descending', '/api/facts?modality=planned&sort=year&dir=desc'],
  ['confidence 0.5–0.8, by subject', '/api/facts?minConfidence=0.5&maxConfidence=0.8&sort=subject'],
  ['unreviewed', '/api/facts?verdict=unreviewed'],
  ['accepted', '/api/facts?verdict=accepted'],
  ['rejected, page 2', '/api/facts?verdict=rejected&offset=50'],
  ['rule subject.topic (any contributing rule)', `/api/facts?rule=${enc('subject.topic')}`],
  ['one document, in reading order', `/api/facts?doc=${enc(someDoc)}&sort=doc`],
  ['subject, unreviewed, metric sorted', `/api/facts?subject=${enc('渝北区')}&verdict=unreviewed&sort=metric`],
  ['opened at one fact (focus)', '/api/facts?focus=77777'],
];

let failed = 0;
const rows = [];
console.log(`fact list and filters, ${REPEATS} requests each (budget ${BUDGET_MS} ms):`);
for (const [name, url] of timed) {
  const r = await measure(url);
  const ok = r.worst < BUDGET_MS;
  if (!ok) failed++;
  rows.push({ name, ...r, ok });
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  median ${r.median.toFixed(1).padStart(6)} ms  worst ${r.worst.toFixed(1).padStart(6)} ms  ${String(r.body.total).padStart(7)} match  ${name}`);
}

const anyRow = (await timeGet('/api/facts?limit=1&offset=60000')).body.facts[0].row;
const info = [
  ['a fact card', `/api/facts/${anyRow}`],
  ['its paragraph', `/api/facts/${anyRow}/paragraph`],
  ['a document with every number marked', `/api/document?path=${enc(someDoc)}`],
  ['page setup (filter options, progress)', '/api/meta'],
  ['consistency groups', '/api/consistency'],
  ['a chart series', `/api/series?subject=${enc('渝北区')}&metric=${enc('科技型企业')}`],
  ['review statistics per rule', '/api/stats'],
];
console.log('\nother views, for information:');
for (const [name, url] of info) {
  const r = await measure(url);
  console.log(`        median ${r.median.toFixed(1).padStart(6)} ms  worst ${r.worst.toFixed(1).padStart(6)} ms  ${name}`);
}

await server.close();
if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
else console.log(`\nstore kept: ${file}`);
const worst = Math.max(...rows.map((r) => r.worst));
console.log(`\n${failed ? 'FAIL' : 'PASS'}: ${rows.length - failed} of ${rows.length} list and filter requests on ${facts.toLocaleString('en-US')} facts answered under ${BUDGET_MS} ms every time (slowest ${worst.toFixed(1)} ms)`);
process.exitCode = failed ? 1 : 0;
