// An extraction worker thread (run by piscina): one set of compiled rules per
// thread, loaded when the thread starts. jieba's dictionary is the process's one
// (nlp/jieba.ts), loaded by whichever thread asks first.
import { workerData } from 'piscina';
import { makeExtractor, type ExtractTask, type ExtractResult } from './extractor.js';
import type { RuleData } from '../rules/schema.js';

const data = workerData as { rulesDir?: string; ruleData?: RuleData } | undefined;
const extract = makeExtractor(data?.rulesDir, data?.ruleData);

export default function run(task: ExtractTask): ExtractResult {
  return extract(task);
}
