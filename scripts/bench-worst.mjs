// Worst cases: documents of the default largest size (1 MB) made of what has no full stop
// and no end of a run (a flattened table, a list of thousands of figures, a million
// digits, a web address of a megabyte...), each extracted on this thread, with the
// seconds it took. Extraction time must grow with a document's length, not faster:
// before the bounds on sentences, clauses, numerals and non-fact patterns, these took
// minutes to hours each. Exits 1 when one takes longer than the limit.
//
//   npm run build && npm run bench:worst [-- --limit 60 --json]
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { extractDocument } = await import(path.join(ROOT, 'dist', 'index.js'));

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const limitAt = argv.indexOf('--limit');
const LIMIT_S = limitAt >= 0 ? Number(argv[limitAt + 1]) : 60;
if (!(LIMIT_S > 0)) {
  console.error('usage: node scripts/bench-worst.mjs [--limit seconds] [--json]');
  process.exit(2);
}
const BYTES = 1024 * 1024;

// a seeded generator: the same documents every time
let seed = 12345;
const rnd = (k) => (seed = (seed * 48271) % 2147483647) % k;
const pick = (xs) => xs[rnd(xs.length)];
/** pieces from `next` until the document holds about a megabyte of UTF-8 */
function fill(next) {
  const parts = [];
  let bytes = 0;
  while (bytes < BYTES - 64) {
    const p = next();
    parts.push(p);
    bytes += Buffer.byteLength(p);
  }
  return parts.join('');
}

const CASES = {
  'a million digits': () => '1234567890',
  'Latin letters': () => 'abcdefghij',
  'Chinese without punctuation': () => pick([...'渝北区规上工业总产值增长亿元万人全市第一的和在']),
  'Chinese numerals': () => pick([...'一二三四五六七八九十百千万亿']),
  'blank lines between figures': () => '增长5%\n \n',
  'changes in one sentence': () => `增长${rnd(99)}.${rnd(10)}%，`,
  'amounts in one sentence': () => `${rnd(999)}亿元、`,
  'names and amounts, no punctuation': () => `${pick(['渝北区', '重庆市', '两江新区', '某某公司'])}${pick(['产值', '增长', '达到'])}${rnd(99)}亿元`,
  'figures in brackets': () => '（12个）',
  'a flattened table': () => `${rnd(9999)}\t${rnd(99)}.${rnd(9)}%\t${rnd(999)}\n`,
  'one web address': () => 'a1/',
  'figures and punctuation': () => pick([...'1%亿元，。、（）：; ']),
  'an article with its full stops lost': () => ARTICLE,
};
const ARTICLE =
  '2023年渝北区规上工业总产值3512.5亿元增长15.8%占全市25.4%国家高新技术企业506家科技型企业超4.7万家研发投入强度居全市第一每家补贴2万元—20万元';

extractDocument('2023年，渝北区规上工业总产值增长15.8%。'); // load the rules and the dictionary before the clock
const rows = [];
for (const [name, next] of Object.entries(CASES)) {
  const text = (name === 'one web address' ? 'http://' : '') + fill(next);
  const t0 = performance.now();
  const facts = extractDocument(text).facts.length;
  const seconds = (performance.now() - t0) / 1000;
  rows.push({ name, chars: text.length, facts, seconds, ok: seconds <= LIMIT_S });
  if (!json) console.log(`${name.padEnd(36)} ${text.length.toLocaleString('en').padStart(9)} chars ${facts.toLocaleString('en').padStart(8)} facts ${seconds.toFixed(1).padStart(6)} s${seconds > LIMIT_S ? `  over ${LIMIT_S} s` : ''}`);
}
const failed = rows.filter((r) => !r.ok);
if (json) console.log(JSON.stringify({ limitSeconds: LIMIT_S, rows }));
else console.log(`\n${failed.length ? 'FAIL' : 'PASS'}  every 1 MB worst case within ${LIMIT_S} s (slowest ${Math.max(...rows.map((r) => r.seconds)).toFixed(1)} s)`);
process.exit(failed.length ? 1 : 0);
