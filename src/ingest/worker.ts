// An extraction worker thread (run by piscina): one set of compiled rules per
// thread, compiled when the thread starts from the rules the run read and checked. jieba's dictionary is the process's one
// (nlp/jieba.ts), loaded by whichever thread asks first.
import { workerData } from 'piscina';
import { makeExtractor, type ExtractTask, type ExtractResult } from './extractor.js';
import type { RuleData } from '../rules/schema.js';

const data = workerData as { rulesDir?: string; ruleData: RuleData };
const extract = makeExtractor(data.ruleData, data.rulesDir);

export default function run(task: ExtractTask): ExtractResult {
  return extract(task);
}
