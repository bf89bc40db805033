// The segmenting thread of a batch run: loads the process's one jieba and answers
// the extraction threads until told to stop (see segmenter.ts).
import { workerData, parentPort } from 'node:worker_threads';
import { serve, type SegmenterShared } from './segmenter.js';
import { cutLengths, warmJieba } from './jieba.js';

const shared = workerData as SegmenterShared;
warmJieba();
parentPort?.postMessage('ready');
serve(shared, cutLengths);
