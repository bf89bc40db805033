// Run after `patch-package` on install: rebuild nodejieba when its source is newer than
// its binary, i.e. when patches/nodejieba+*.patch has just been applied.
//
// What the patch does (patches/nodejieba+*.patch), segmentation itself untouched:
// - one dictionary per process: threads that load the same files share one
//   cppjieba::Jieba (about 120 MB) instead of loading one each; cutting only reads it;
// - cutLengths(text, hmm): cut's words as UTF-16 lengths in an Int32Array, about
//   twice as fast as cut(), which makes a string of every word; cutTagged(text, hmm)
//   the same with each word's tag as a number (the tag tag() gives, read from the
//   dictionary entry of the word's characters, decoded once for cutting and tagging),
//   and tagNames() the names of those numbers;
// - load() builds the TextRank keyword extractor, which cnfacts never uses, over
//   the segmenter's dictionary instead of reading a second copy (about 110 MB);
// - cutTagged walks a flattened copy of the dictionary's trie (each node's children in one
//   sorted array, the root's in a table by character; shared by the threads, about 20 MB)
//   instead of cppjieba's hash map per node: the same words and tags, about a third faster;
//   cut() still walks cppjieba's own;
// - loading the dictionary takes its least, greatest and middle weights without
//   sorting a copy of every entry (the same weights; load() a fifth faster);
// - built with NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: a thread stopped inside a
//   call (a run ends while a thread warms up) no longer aborts the whole process.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve('nodejieba/package.json'));
// the files the patch changes
const sources = ['binding.gyp', 'lib/nodejieba.cpp', 'lib/nodejieba.h', 'submodules/cppjieba/include/cppjieba/DictTrie.hpp', 'submodules/cppjieba/include/cppjieba/Trie.hpp'].map((f) => path.join(dir, f));
const binary = path.join(dir, 'build', 'Release', 'nodejieba.node');
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);

if (mtime(binary) >= Math.max(...sources.map(mtime))) {
  console.log('nodejieba: binary up to date with its (patched) source');
} else {
  console.log('nodejieba: rebuilding with the patched source (about 15 s)');
  const preGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const r = spawnSync(process.execPath, [preGyp, 'rebuild'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('nodejieba: rebuild failed; see the compiler output above');
    process.exit(r.status ?? 1);
  }
}
