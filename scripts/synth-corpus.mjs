// A large synthetic corpus made from the articles in corpus/: each file is one
// article with some paragraphs dropped, every figure rewritten and the places
// renamed, all from a seeded PRNG, so the corpus is reproducible and no two
// files hold the same text. Used by `npm run bench` and by the ingest tests.
//
//   node scripts/synth-corpus.mjs <out-dir> [megabytes=100] [seed=1]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** mulberry32: small, fast, good enough to vary figures reproducibly. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DISTRICTS = ['渝北', '江北', '南岸', '沙坪坝', '九龙坡', '巴南', '北碚', '璧山', '江津', '合川', '永川', '大渡口', '长寿', '綦江', '荣昌'];
const CITIES = ['重庆', '成都', '西安', '武汉', '长沙', '郑州', '贵阳', '昆明'];

/** One varied article from a source text. */
export function vary(source, rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const district = pick(DISTRICTS);
  const other = pick(DISTRICTS.filter((d) => d !== district));
  const city = pick(CITIES);
  const lines = source.split('\n');
  // keep the head (title, lead) and most paragraphs, so articles differ in length and content
  const kept = lines.filter((l, i) => i < 6 || !l.trim() || rand() < 0.8);
  return kept
    .join('\n')
    .replace(/渝北/g, district)
    .replace(/涪陵/g, other)
    .replace(/重庆/g, city)
    .replace(/\d+/g, (run) => {
      if (run.length === 4 && /^(19|20)/.test(run)) return String(2012 + Math.floor(rand() * 13));
      let out = '';
      for (let i = 0; i < run.length; i++) out += i === 0 && run.length > 1 ? String(1 + Math.floor(rand() * 9)) : String(Math.floor(rand() * 10));
      return out;
    });
}

/**
 * Write at least `bytes` of varied articles under `out` (1000 files per folder).
 * A share of the articles (`feedShare`) goes into JSON Lines feeds of 50 articles instead.
 * Returns what was written.
 */
export function synthesize({ out, bytes, seed = 1, feedShare = 0, corpusDir = path.join(ROOT, 'corpus') }) {
  const rand = prng(seed);
  const sources = fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(corpusDir, f), 'utf8'));
  let written = 0;
  let files = 0;
  let documents = 0;
  let chars = 0;
  let feed = [];
  let lastDir = '';
  const flushFeed = () => {
    if (!feed.length) return;
    const body = feed.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const file = path.join(out, 'feeds', `feed-${String(files).padStart(6, '0')}.jsonl`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    written += Buffer.byteLength(body);
    files++;
    feed = [];
  };
  while (written < bytes) {
    const text = vary(sources[Math.floor(rand() * sources.length)], rand);
    documents++;
    chars += text.length;
    if (rand() < feedShare) {
      const day = 1 + Math.floor(rand() * 28);
      feed.push({ id: `feed-article-${documents}`, text, published: `2024-02-${String(day).padStart(2, '0')}`, url: `https://news.example/${documents}`, title: text.split('\n').find((l) => l.trim())?.trim().slice(0, 40) ?? '' });
      if (feed.length >= 50) flushFeed();
      continue;
    }
    const dir = path.join(out, `batch-${String(Math.floor(files / 1000)).padStart(3, '0')}`);
    if (dir !== lastDir) fs.mkdirSync((lastDir = dir), { recursive: true });
    fs.writeFileSync(path.join(dir, `article-${String(files).padStart(6, '0')}.txt`), text);
    written += Buffer.byteLength(text);
    files++;
  }
  flushFeed();
  return { files, documents, bytes: written, chars };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [out, mb = '100', seed = '1'] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node scripts/synth-corpus.mjs <out-dir> [megabytes=100] [seed=1]');
    process.exit(2);
  }
  const r = synthesize({ out, bytes: Number(mb) * 1024 * 1024, seed: Number(seed), feedShare: 0.05 });
  console.log(JSON.stringify(r));
}
