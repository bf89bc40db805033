// An extraction worker thread (run by piscina): one jieba and one set of
// compiled rules per thread, loaded when the thread starts.
import { workerData } from 'piscina';
import { makeExtractor, type ExtractTask, type ExtractResult } from './extractor.js';

const extract = makeExtractor((workerData as { rulesDir?: string } | undefined)?.rulesDir);

export default function run(task: ExtractTask): ExtractResult {
  return extract(task);
}
