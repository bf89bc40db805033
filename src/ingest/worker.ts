// An extraction worker thread (run by piscina): one set of compiled rules per
// thread, loaded when the thread starts; words come from the process's
// segmenting thread (nlp/segmenter.ts), or this thread's own jieba when no
// channel is left for it.
import { workerData } from 'piscina';
import { makeExtractor, type ExtractTask, type ExtractResult } from './extractor.js';
import { useSegmenter } from '../nlp/jieba.js';
import type { SegmenterShared } from '../nlp/segmenter.js';

const data = workerData as { rulesDir?: string; segmenter?: SegmenterShared } | undefined;
if (data?.segmenter) {
  try {
    useSegmenter(data.segmenter);
  } catch {
    // every channel taken (threads restarted after dying): this thread loads jieba itself
  }
}
const extract = makeExtractor(data?.rulesDir);

export default function run(task: ExtractTask): ExtractResult {
  return extract(task);
}
