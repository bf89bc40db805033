// An extract run: find the inputs, read each document on the main thread,
// skip the ones the store already holds in this version, extract the others
// on worker threads, and write each one back in its own transaction from the
// main thread. One bad input never stops the batch; every failure is kept in
// the errors table. A run that is stopped (signal) finishes the documents in
// flight and is recorded as interrupted; a run that is killed leaves every
// document either fully written or untouched, and the next run picks up the rest.
import os from 'node:os';
import { discover, type InputFile } from './discover.js';
import { StampBook, type FeedEntry } from './stamps.js';
import { readInput, DEFAULT_MAX_BYTES, type SourceDocument } from './read.js';
import { defaultConcurrency, openExtractors, type Extractors } from './pool.js';
import type { ExtractResult } from './extractor.js';
import { cachedRules, cacheRules, ruleCacheKey } from '../rules/cache.js';
import { defaultRulesDir } from '../rules/compile.js';
import { extractorVersion } from '../version.js';
import { buildIndexes, dropIndexesForFirstLoad, hasDocuments, openStore, peekStore, type DB } from '../store/schema.js';
import { preloadDictionary } from '../nlp/jieba.js';
import { StoreWriter, type DocumentRow } from '../store/write.js';

export { DEFAULT_MAX_BYTES } from './read.js';

export interface ExtractRunOptions {
  inputs: string[];
  db: string;
  /** re-extract documents even when their content and extractor version are unchanged */
  force?: boolean;
  /** read and hash every file, even one whose stamp (discover.ts) says it has not been written to since it was stored */
  rehash?: boolean;
  /** publication date for plain-text inputs (JSON Lines feeds carry their own) */
  published?: string | null;
  rulesDir?: string;
  /** worker threads extracting; 0 extracts on the calling thread. Default: one per core */
  concurrency?: number;
  /** largest document in bytes, a text file or one line of a feed; larger ones fail as too-large */
  maxBytes?: number;
  /** when aborted, no new document is started; the ones in flight are finished and written */
  signal?: AbortSignal;
  onDocument?: (e: DocumentEvent) => void;
  /** called as the run advances, with the live counts (read them, do not keep them) */
  onProgress?: (p: RunProgress) => void;
  /** called when the documents are in and a first load starts building the store's indexes over its facts */
  onIndexing?: (facts: number) => void;
}

export interface DocumentEvent {
  doc: string;
  outcome: 'new' | 'changed' | 'skipped' | 'failed';
  facts: number;
  chars: number;
  reason?: string;
}

export interface RunError {
  path: string;
  reason: string;
  detail: string;
}

export interface RunProgress {
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  documents: number;
  /** code points of the documents read so far */
  chars: number;
  failed: number;
  facts: number;
  startedAt: number;
}

export interface RunSummary {
  runId: number;
  status: 'done' | 'interrupted';
  files: number;
  documents: number;
  new: number;
  changed: number;
  skipped: number;
  /** of the skipped, those whose files were not even read: their stamps matched the stored ones */
  skippedUnread: number;
  failed: number;
  factsAdded: number;
  factsRemoved: number;
  /** code points of every document read */
  chars: number;
  /** code points of the documents extracted (not skipped) */
  extractedChars: number;
  seconds: number;
  /** time the threads spent extracting, added up (over seconds × concurrency: how busy they were) */
  extractSeconds: number;
  /** worker threads used (0: the calling thread; none were started when nothing needed extracting) */
  concurrency: number;
  extractorVersion: string;
  errors: RunError[];
  missing: string[];
}

/** How many errors the summary lists in full; the errors table holds all of them. */
const SUMMARY_ERRORS = 1000;
/** The runs row is brought up to date this often, so a killed run still shows how far it got. */
const RUN_UPDATE_MS = 2000;
/** Documents written per transaction, and how long an extracted document may wait for its batch. */
const WRITE_BATCH = 32;
const WRITE_DELAY_MS = 250;
/** A feed giving more documents than this is read every time (about 200 bytes a document are held to stamp it). */
const FEED_STAMP_MAX_DOCUMENTS = 100_000;

export async function runExtract(opts: ExtractRunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  // Into a store with no documents yet, or with --force, every document found will be extracted:
  // jieba's dictionary starts loading now, on a thread of its own (about half a second, while
  // the rules are read), and the extraction threads start before the inputs are found.
  // Otherwise they start when the first document needs them: a run with nothing new starts none.
  // (and the rules the last run read and checked, if the files and the checking code are the same)
  const rulesDir = opts.rulesDir ?? defaultRulesDir();
  const rulesKey = ruleCacheKey(rulesDir);
  const peek = peekStore(opts.db, (d) => ({ hasDocuments: hasDocuments(d), rules: rulesKey ? cachedRules(d, rulesKey) : null }));
  const extractsAll = !!opts.force || !peek?.hasDocuments;
  if (extractsAll) preloadDictionary();
  // the rules as data are enough for the version: compiling them is the extraction threads' work,
  // from this data (read and checked once here, not again in every thread); the YAML parser and
  // the schemas are loaded only when the rules must be read
  const ruleData = peek?.rules ?? (await import('../rules/load.js')).loadRuleData(rulesDir);
  const version = extractorVersion(ruleData);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const concurrency = opts.concurrency ?? defaultConcurrency();
  const db = openStore(opts.db);
  // checkpoint the WAL every 8192 pages rather than SQLite's 1000 (128 MB with the 16 KB pages of a
  // new store, 32 MB with 4 KB ones): index pages written again and again by consecutive batches
  // are copied to the database once (measured with 4 KB pages: a third less write time)
  db.pragma('wal_autocheckpoint = 8192');
  // and a 16 MB page cache for this connection: the fact indexes take inserts all over as the store
  // grows, and the default 2 MB makes each insert read index pages back; 16 MB keeps the three
  // indexes' hot pages without weighing on the run's memory (64 MB did, for a few percent of write time)
  db.pragma('cache_size = -16384');
  const writer = new StoreWriter(db);
  if (rulesKey && !peek?.rules) {
    try {
      cacheRules(db, rulesKey, ruleData);
    } catch {
      // only a saving for the next run (the store may be busy with another one past the timeout)
    }
  }
  closeAbandonedRuns(db);
  // a first load builds the review indexes once at the end (see LOAD_INDEXES)
  const indexesDropped = dropIndexesForFirstLoad(db);
  const runId = startRun(db, opts.inputs, version);
  let pool: Extractors | null = extractsAll ? openExtractors(concurrency, maxBytes, ruleData, opts.rulesDir) : null;
  const { files, missing, unusable } = await discover(opts.inputs).catch(async (e) => {
    await pool?.close(); // or its threads would keep the process alive
    throw e;
  });
  const s: RunSummary = {
    runId, status: 'done', files: files.length, documents: 0, new: 0, changed: 0, skipped: 0, skippedUnread: 0, failed: 0, factsAdded: 0, factsRemoved: 0,
    chars: 0, extractedChars: 0, seconds: 0, extractSeconds: 0, concurrency: 0, extractorVersion: version, errors: [], missing,
  };
  const progress: RunProgress = {
    filesTotal: files.length, filesDone: 0, bytesTotal: files.reduce((n, f) => n + f.size, 0), bytesDone: 0, documents: 0, chars: 0, failed: 0, facts: 0, startedAt: Date.now(),
  };
  const insertError = db.prepare('INSERT INTO errors (run_id, path, reason, detail, at) VALUES (?, ?, ?, ?, ?)');
  // what the store holds of each input: its documents, and the stamps that let a file go unread
  const book = new StampBook(db, version);
  const trustStamps = !opts.force && !opts.rehash;
  let lastUpdate = Date.now();
  const advanced = () => {
    progress.documents = s.documents;
    progress.chars = s.chars;
    progress.failed = s.failed;
    progress.facts = s.factsAdded;
    opts.onProgress?.(progress);
    if (Date.now() - lastUpdate > RUN_UPDATE_MS) {
      lastUpdate = Date.now();
      updateRun(db, s, 'running');
    }
  };
  const fail = (doc: string, reason: string, detail: string) => {
    s.failed++;
    if (s.errors.length < SUMMARY_ERRORS) s.errors.push({ path: doc, reason, detail });
    insertError.run(runId, doc, reason, detail, new Date().toISOString());
    opts.onDocument?.({ doc, outcome: 'failed', facts: 0, chars: 0, reason });
    advanced();
  };
  for (const m of missing) fail(m, 'vanished', 'no such file or folder, and no file matches it as a pattern');
  for (const u of unusable) fail(u.doc, u.reason, u.detail);

  let failure: unknown = null;
  const stopped = () => !!opts.signal?.aborted || !!failure;

  // Extracted documents wait here to be written, a batch per transaction (each document
  // whole or absent, fewer commits): at most WRITE_BATCH of them, or for WRITE_DELAY_MS.
  const ready: { item: SourceDocument; result: ExtractResult & { ok: true }; written: () => void }[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!ready.length) return;
    const batch = ready.splice(0);
    try {
      const results = writer.writeDocuments(batch.map(({ item, result }) => ({ doc: documentRow(item, result.version), facts: result.facts })), opts.force);
      results.forEach((res, k) => {
        const { item } = batch[k];
        s[res.outcome]++;
        s.factsAdded += res.added;
        s.factsRemoved += res.removed;
        if (res.outcome !== 'skipped') s.extractedChars += item.chars;
        opts.onDocument?.({ doc: item.doc, outcome: res.outcome, facts: res.added, chars: item.chars });
      });
      advanced();
    } catch (e) {
      failure ??= e; // the store cannot be written (disk full, locked too long): stop reading, finish what is in flight
    } finally {
      for (const b of batch) {
        // Written (or failed): let go of the facts and the text now. What still refers to this
        // result or this document (a promise, a closure context) may have been promoted to the
        // old generation, where it lingers dead until a full collection; meanwhile every
        // young-generation collection treats its references as live and copies what they
        // reach, then promotes it. Measured on 20 MB (--trace-gc-nvp, main thread): 154-161 MB of
        // its 273 MB promoted to the old generation before, 19-22 MB with these two lines (its
        // scavenge pauses 0.72-0.78 -> 0.34-0.52 s, their helper threads 0.57-0.70 -> 0.12-0.17 s).
        b.result.facts = [];
        b.item.text = '';
        b.written();
      }
    }
  };
  const queueWrite = (item: SourceDocument, result: ExtractResult & { ok: true }) =>
    new Promise<void>((written) => {
      ready.push({ item, result, written });
      if (ready.length >= WRITE_BATCH) flush();
      else flushTimer ??= setTimeout(flush, WRITE_DELAY_MS);
    });

  const extract = async (extractors: Extractors, item: SourceDocument): Promise<ExtractResult> => {
    const task = { doc: item.doc, text: item.text, published: item.published, sha256: item.sha256 };
    try {
      return await extractors.run(task);
    } catch {
      // the thread died, out of memory, maybe because of another document it held: once more, alone
      try {
        return await extractors.runAlone(task);
      } catch (e) {
        return { ok: false, error: `the extraction thread died on this document: ${(e as Error)?.message ?? e}` };
      }
    }
  };

  // documents handed to the threads and not yet back, and their characters (bounded by the pool's capacity)
  const extracting = new Set<Promise<ExtractResult>>();
  let extractingChars = 0;
  // documents not yet written; a path given twice in one run (a feed id repeated) waits for
  // the earlier one, so the later text wins as it would in a sequential run
  const unwritten = new Set<Promise<void>>();
  const lastOfPath = new Map<string, Promise<void>>();
  // A file is done when every document it gave is written, skipped or failed; progress and
  // the time left count those, not what has merely been read (which runs ahead).
  const settle = (f: FileTrack, bytes: number) => {
    f.bytes += bytes;
    progress.bytesDone += bytes;
    if (f.read && f.pending === 0 && !f.done) {
      f.done = true;
      progress.filesDone++;
      progress.bytesDone += Math.max(0, f.size - f.bytes); // what failed or held no document
      // a feed whose every document is stored (or was found unchanged): skipped unread next time while that holds
      if (f.gave && !failure) {
        if (f.failed) book.forgetFeed(f.input);
        else book.recordFeed(f.input, f.gave);
      }
    }
    advanced();
  };
  /** the code points of the stored document when it holds this content from this extractor version, else null */
  const unchangedChars = (doc: string, sha256: string): number | null => {
    const old = book.stored(doc);
    return old && old.sha256 === sha256 && old.extractor_version === version ? old.chars : null;
  };
  const busy = (doc: string) => lastOfPath.has(doc);
  /** the documents of a file not written to since they were stored (with their code points), or null: read it */
  const unread = (input: InputFile): { doc: string; chars: number }[] | null => {
    if (!trustStamps) return null;
    if (input.kind === 'jsonl') return book.unreadFeed(input, busy)?.map(([doc, , chars]) => ({ doc, chars })) ?? null;
    const chars = busy(input.doc) ? null : book.unreadText(input);
    return chars === null ? null : [{ doc: input.doc, chars }];
  };
  // the same name in flight: decide after it, below
  const storedChars = (doc: string, sha256: string): number | null => (busy(doc) ? null : unchangedChars(doc, sha256));
  const readOpts = { published: opts.published ?? null, maxBytes, storedChars: opts.force ? undefined : storedChars };
  // a document already stored with this content and this extractor version: counted, not extracted
  const skip = (item: { doc: string; chars: number; size: number }, track: FileTrack) => {
    s.documents++;
    s.chars += item.chars;
    s.skipped++;
    opts.onDocument?.({ doc: item.doc, outcome: 'skipped', facts: 0, chars: item.chars });
    settle(track, item.size);
  };
  try {
    files: for (const input of files) {
      const track: FileTrack = { input, size: input.size, pending: 0, read: false, bytes: 0, done: false, failed: false, gave: null };
      const known = unread(input);
      if (known) {
        if (stopped()) break files;
        for (const d of known) {
          s.skippedUnread++;
          skip({ doc: d.doc, chars: d.chars, size: 0 }, track);
        }
        track.read = true;
        settle(track, 0);
        continue;
      }
      if (input.kind === 'jsonl') track.gave = [];
      for (const item of readInput(input, readOpts)) {
        if (stopped()) break files;
        if (item.kind === 'error') {
          track.failed = true;
          fail(item.doc, item.reason, item.detail);
          continue;
        }
        if (item.kind === 'unchanged') {
          skip(item, track);
          book.restampLater(input, item.sha256);
          continue;
        }
        if (track.gave) {
          // what a feed gave is held until the feed is done: a larger feed is not stamped, only read (memory stays bounded)
          if (track.gave.length < FEED_STAMP_MAX_DOCUMENTS) track.gave.push([item.doc, item.sha256, item.chars]);
          else track.gave = null;
        }
        const earlier = lastOfPath.get(item.doc);
        if (earlier) await earlier;
        // the hash is checked here, before any thread sees the document: an unchanged corpus costs a read and a hash per file
        if (!opts.force && unchangedChars(item.doc, item.sha256) !== null) {
          skip(item, track);
          book.restampLater(input, item.sha256);
          continue;
        }
        pool ??= openExtractors(concurrency, maxBytes, ruleData, opts.rulesDir);
        s.concurrency = pool.threads;
        const p = pool;
        const full = () => extracting.size >= p.capacity || (extracting.size > 0 && extractingChars + item.chars > p.capacityChars);
        while (full()) await Promise.race(extracting);
        if (stopped()) break files; // read but not taken on: not counted, the next run does it
        s.documents++;
        s.chars += item.chars;
        const extracted = extract(pool, item);
        extracting.add(extracted);
        extractingChars += item.chars;
        track.pending++;
        const done: Promise<void> = extracted
          .then((r) => {
            extracting.delete(extracted);
            extractingChars -= item.chars;
            if (r.ok) s.extractSeconds += r.ms / 1000;
            else track.failed = true;
            return r.ok ? queueWrite(item, r) : fail(item.doc, 'extract-failed', r.error);
          })
          .catch((e) => {
            failure ??= e; // recording the failure failed: the store cannot be written
          })
          .finally(() => {
            unwritten.delete(done);
            if (lastOfPath.get(item.doc) === done) lastOfPath.delete(item.doc);
            track.pending--;
            settle(track, item.size);
          });
        unwritten.add(done);
        lastOfPath.set(item.doc, done);
      }
      track.read = true;
      settle(track, 0);
    }
  } catch (e) {
    failure ??= e;
  } finally {
    // finish and write what is in flight, whatever stopped the loop
    await Promise.allSettled(extracting);
    flush();
    await Promise.allSettled(unwritten);
    book.flush();
    await (pool as Extractors | null)?.close();
    if (indexesDropped) {
      try {
        opts.onIndexing?.(s.factsAdded);
        // the extraction threads are done: SQLite may sort with a helper thread per spare core
        // (building the two indexes over 660,628 facts: 1.19-1.21 s alone, 1.03-1.08 s with one)
        db.pragma(`threads = ${Math.max(0, concurrency - 1)}`);
        buildIndexes(db);
      } catch (e) {
        failure ??= e; // the facts are in; the next run that opens the store builds the indexes
      }
    }
    s.seconds = (performance.now() - t0) / 1000;
    if (opts.signal?.aborted && !failure) s.status = 'interrupted';
    try {
      updateRun(db, s, failure ? 'failed' : s.status, true);
    } catch (e) {
      failure ??= e;
    }
    db.close();
  }
  if (failure) throw failure;
  return s;
}

interface FileTrack {
  input: InputFile;
  size: number;
  /** documents of the file handed to the threads and not yet written */
  pending: number;
  /** all of the file has been read */
  read: boolean;
  /** bytes counted so far (documents done) */
  bytes: number;
  done: boolean;
  /** a document of the file could not be read or extracted */
  failed: boolean;
  /** a feed's documents, as read: kept with its stamp when all of them are stored */
  gave: FeedEntry[] | null;
}

function documentRow(item: SourceDocument, version: string): DocumentRow {
  return {
    path: item.doc, source: item.source, sha256: item.sha256, size: item.size, encoding: item.encoding, chars: item.chars,
    published: item.published, title: item.title, url: item.url, text: item.text, extractor_version: version, file_stamp: item.stamp,
  };
}

function startRun(db: DB, inputs: string[], version: string): number {
  return Number(
    db
      .prepare("INSERT INTO runs (started_at, updated_at, status, inputs, extractor_version, pid, host) VALUES (?, ?, 'running', ?, ?, ?, ?)")
      .run(new Date().toISOString(), new Date().toISOString(), JSON.stringify(inputs), version, process.pid, os.hostname()).lastInsertRowid,
  );
}

function updateRun(db: DB, s: RunSummary, status: string, finished = false) {
  const now = new Date().toISOString();
  db.prepare(
    `UPDATE runs SET finished_at = ?, updated_at = ?, status = ?, files_seen = ?, files_new = ?, files_changed = ?, files_skipped = ?, files_failed = ?, facts_added = ?, facts_removed = ? WHERE id = ?`,
  ).run(finished ? now : null, now, status, s.documents + s.failed, s.new, s.changed, s.skipped, s.failed, s.factsAdded, s.factsRemoved, s.runId);
}

/** Runs still marked running whose process on this machine is gone were killed: say so. */
function closeAbandonedRuns(db: DB) {
  const host = os.hostname();
  const running = db.prepare("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?").all(host) as { id: number; pid: number | null }[];
  for (const r of running) {
    if (r.pid !== null && r.pid !== process.pid && !alive(r.pid)) db.prepare("UPDATE runs SET status = 'killed' WHERE id = ? AND status = 'running'").run(r.id);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
