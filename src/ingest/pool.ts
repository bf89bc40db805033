// Where documents are extracted: a pool of worker threads (one jieba each),
// or the calling thread when concurrency is 0. The run hands over at most
// `capacity` documents and `capacityChars` characters at a time, so nothing is
// read far ahead of what the threads can take.
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { makeExtractor, type Extract, type ExtractResult, type ExtractTask } from './extractor.js';

export interface Extractors {
  /** how many documents may be handed over at once */
  readonly capacity: number;
  /** how many characters may be handed over at once (one document more is always allowed) */
  readonly capacityChars: number;
  /** worker threads (0: the calling thread) */
  readonly threads: number;
  run(task: ExtractTask): Promise<ExtractResult>;
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

// Heap limits per thread. With no limit V8 lets each thread's heap grow far past what it
// holds (about 60 MB of dictionary and rules, plus the document); a limit makes it collect
// sooner (measured: peak resident memory of a run 1.09 GB without, 0.94 GB with, no clear
// cost in time). 384 MB is enough for a 4 MB document; larger --max-size values raise it.
// A document that still needs more makes its thread die: it is retried once, then recorded.
const YOUNG_GENERATION_MB = 16;
const MIN_OLD_GENERATION_MB = 384;
const OLD_GENERATION_MB_PER_DOCUMENT_MB = 128;
// Documents waiting in each thread: the main thread may be writing a batch for 50-100 ms,
// and the threads must not run dry meanwhile. About a third of a second of work per thread,
// bounded by count and by characters (one large document is enough).
const QUEUED_PER_THREAD = 32;
const QUEUED_CHARS_PER_THREAD = 256 * 1024;

export function openExtractors(concurrency: number, maxBytes: number, rulesDir?: string): Extractors {
  if (concurrency <= 0 || !workersAvailable()) return inThread(rulesDir);
  const pool = new Piscina<ExtractTask, ExtractResult>({
    filename: WORKER_FILE,
    minThreads: concurrency,
    maxThreads: concurrency,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: QUEUED_PER_THREAD,
    workerData: { rulesDir },
    resourceLimits: {
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      maxOldGenerationSizeMb: Math.max(MIN_OLD_GENERATION_MB, Math.ceil((OLD_GENERATION_MB_PER_DOCUMENT_MB * maxBytes) / 2 ** 20)),
    },
  });
  return {
    capacity: concurrency * QUEUED_PER_THREAD,
    capacityChars: concurrency * QUEUED_CHARS_PER_THREAD,
    threads: concurrency,
    run: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}

/** Extraction on the calling thread, one document at a time, yielding to the event loop between documents. */
function inThread(rulesDir?: string): Extractors {
  let extract: Extract | null = null;
  return {
    capacity: 1,
    capacityChars: 0,
    threads: 0,
    run: (task) =>
      new Promise((resolve) =>
        setImmediate(() => {
          extract ??= makeExtractor(rulesDir);
          resolve(extract(task));
        }),
      ),
    close: async () => {},
  };
}
