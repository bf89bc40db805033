// Where documents are extracted: a pool of worker threads (they share the process's
// one jieba dictionary, nlp/jieba.ts), or the calling thread when concurrency is 0.
// The run hands over at most `capacity` documents and `capacityChars` characters at
// a time, so nothing is read far ahead of what the threads can take.
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Extract, ExtractResult, ExtractTask } from './extractor.js';
import type { RuleData } from '../rules/schema.js';

export interface Extractors {
  /** how many documents may be handed over at once */
  readonly capacity: number;
  /** how many characters may be handed over at once (one document more is always allowed) */
  readonly capacityChars: number;
  /** worker threads (0: the calling thread) */
  readonly threads: number;
  run(task: ExtractTask): Promise<ExtractResult>;
  /**
   * Extract a document in a thread of its own, one document at a time. When a thread dies
   * (out of memory), every document queued on it is lost with it; retried alone, the
   * innocent ones go through and only the one that kills a thread fails.
   */
  runAlone(task: ExtractTask): Promise<ExtractResult>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Worker threads need the compiled worker; running from TypeScript sources (tests) extracts on the calling thread. */
export function workersAvailable(): boolean {
  return fs.existsSync(WORKER_FILE);
}

export function defaultConcurrency(): number {
  return workersAvailable() ? os.availableParallelism() : 0;
}

// A heap limit per thread. With no limit V8 lets each thread's heap grow far past what it
// holds (about 60 MB of dictionary and rules, plus the document); a limit makes it collect
// sooner (measured: peak resident memory of a run 1.09 GB without, 0.94 GB with, no clear
// cost in time). 384 MB is enough for a 4 MB document; larger --max-size values raise it.
// A document that still needs more makes its thread die: it is retried alone, then recorded.
const MIN_OLD_GENERATION_MB = 384;
// The nursery of each extraction thread. Extraction makes many short-lived objects: a
// small young generation collects them too often and promotes more of them to the old
// one. Measured on the 20 MB synthetic corpus, three runs each, interleaved: 16 MB takes
// 14% less CPU than 4 MB (35.6 against 41.5 CPU-s) for 37 MB more peak memory. The
// command's own shebang (src/cli.ts) sets the semi-spaces of every thread, which V8
// puts before this limit; this one holds when the run is started some other way.
const YOUNG_GENERATION_MB = 16;
const OLD_GENERATION_MB_PER_DOCUMENT_MB = 128;
// Documents waiting in each thread: the main thread may be writing a batch for 50-100 ms,
// and the threads must not run dry meanwhile. About a third of a second of work per thread,
// bounded by count and by characters (one large document is enough).
const QUEUED_PER_THREAD = 32;
const QUEUED_CHARS_PER_THREAD = 256 * 1024;

export function openExtractors(concurrency: number, maxBytes: number, ruleData: RuleData, rulesDir?: string): Extractors {
  if (concurrency <= 0 || !workersAvailable()) return inThread(ruleData, rulesDir);
  const options = {
    filename: WORKER_FILE,
    workerData: { rulesDir, ruleData },
    resourceLimits: {
      maxOldGenerationSizeMb: Math.max(MIN_OLD_GENERATION_MB, Math.ceil((OLD_GENERATION_MB_PER_DOCUMENT_MB * maxBytes) / 2 ** 20)),
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    },
  };
  const pool = new Piscina<ExtractTask, ExtractResult>({
    ...options,
    minThreads: concurrency,
    maxThreads: concurrency,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: QUEUED_PER_THREAD,
  });
  // started only if a thread dies, and let go when idle
  let alone: Piscina<ExtractTask, ExtractResult> | null = null;
  return {
    capacity: concurrency * QUEUED_PER_THREAD,
    capacityChars: concurrency * QUEUED_CHARS_PER_THREAD,
    threads: concurrency,
    run: (task) => pool.run(task),
    runAlone: (task) => (alone ??= new Piscina({ ...options, minThreads: 0, maxThreads: 1, concurrentTasksPerWorker: 1, idleTimeout: 10_000 })).run(task),
    close: async () => {
      await pool.destroy();
      await alone?.destroy();
    },
  };
}

/** Extraction on the calling thread, one document at a time, yielding to the event loop between documents. */
function inThread(ruleData: RuleData, rulesDir?: string): Extractors {
  // the extraction modules are loaded on first use: a run that skips every document never needs them
  let extract: Promise<Extract> | null = null;
  const run = async (task: ExtractTask): Promise<ExtractResult> => {
    const ready = await (extract ??= import('./extractor.js').then(({ makeExtractor }) => makeExtractor(ruleData, rulesDir)));
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(ready(task));
        } catch (e) {
          reject(e);
        }
      }),
    );
  };
  return { capacity: 1, capacityChars: 0, threads: 0, run, runAlone: run, close: async () => {} };
}
