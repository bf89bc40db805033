// The two floors the benchmark compares extraction with, each run alone in its
// own process over the same corpus, printing one JSON line:
//
//   node scripts/bench-floors.mjs read <corpus>            reading alone: find, read, decode, hash every document
//   node scripts/bench-floors.mjs jieba <corpus> [threads]  jieba segmentation alone: cut(text, true) of every document
//
// Loading jieba's dictionary is left out of the jieba timing (it is paid once per
// thread); reading the documents is left out too. With threads > 1 the documents
// are shared out round robin and the clock runs from the moment all threads are ready.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(ROOT, 'dist', p));

async function documents(corpus, onDoc) {
  const { discover } = await dist('ingest/discover.js');
  const { readInput, DEFAULT_MAX_BYTES } = await dist('ingest/read.js');
  const { files } = await discover([corpus]);
  for (const input of files) for (const item of readInput(input, { published: null, maxBytes: DEFAULT_MAX_BYTES })) if (item.kind === 'document') onDoc(item);
}

async function readFloor(corpus) {
  const t0 = performance.now();
  let docs = 0;
  let chars = 0;
  await documents(corpus, (d) => {
    docs++;
    chars += d.chars;
  });
  const seconds = (performance.now() - t0) / 1000;
  return { floor: 'read', documents: docs, chars, seconds, charsPerSecond: chars / seconds };
}

function loadJieba() {
  const jieba = createRequire(path.join(ROOT, 'package.json'))('nodejieba');
  jieba.cut('渝北区规上工业总产值', true); // loads the dictionary
  return jieba;
}

async function jiebaFloor(corpus, threads) {
  const texts = [];
  await documents(corpus, (d) => texts.push(d.text));
  const chars = texts.reduce((n, t) => n + t.length, 0);
  if (threads <= 1) {
    const jieba = loadJieba();
    const t0 = performance.now();
    for (const t of texts) jieba.cut(t, true);
    const seconds = (performance.now() - t0) / 1000;
    return { floor: 'jieba', threads: 1, documents: texts.length, chars, seconds, charsPerSecond: chars / seconds };
  }
  const shares = Array.from({ length: threads }, (_, k) => texts.filter((_, i) => i % threads === k));
  const workers = shares.map((share) => new Worker(fileURLToPath(import.meta.url), { workerData: { share } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r)))); // all loaded
  const t0 = performance.now();
  workers.forEach((w) => w.postMessage('go'));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return { floor: 'jieba', threads, documents: texts.length, chars, seconds, charsPerSecond: chars / seconds };
}

if (!isMainThread) {
  const jieba = loadJieba();
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    for (const t of workerData.share) jieba.cut(t, true);
    parentPort.postMessage('done');
  });
} else {
  const [mode, corpus, threads = '1'] = process.argv.slice(2);
  if (!corpus || !['read', 'jieba'].includes(mode)) {
    console.error('usage: node scripts/bench-floors.mjs read|jieba <corpus> [threads]');
    process.exit(2);
  }
  const result = mode === 'read' ? await readFloor(corpus) : await jiebaFloor(corpus, Number(threads));
  console.log(JSON.stringify(result));
}
