// An extraction worker thread (run by piscina): one set of compiled rules per
// thread, compiled when the thread starts from the rules the run read and checked. jieba's dictionary is the process's one
// (nlp/jieba.ts), loaded by whichever thread asks first.
import { workerData } from 'piscina';
import { makeExtractor, type ExtractTask, type ExtractResult } from './extractor.js';
import type { RuleData } from '../rules/schema.js';

const data = workerData as { rulesDir?: string; ruleData: RuleData };
const extract = makeExtractor(data.ruleData, data.rulesDir);

/**
 * Each document is extracted in a callback of its own (setImmediate), not as the task
 * arrives. piscina hands the thread every queued task at once and posts each result
 * only after the microtasks that follow; with a synchronous handler all queued documents
 * (up to 32) were extracted first and their results held until the last was done. Those
 * held results outlived young-generation collections: measured, 7.5% of what the thread
 * allocated went to the old generation instead of 3.5%, with more full collections. After
 * each callback Node runs the microtasks, so each result is posted as soon as it is made.
 */
export default function run(task: ExtractTask): Promise<ExtractResult> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(extract(task));
      } catch (e) {
        reject(e);
      }
    }),
  );
}
