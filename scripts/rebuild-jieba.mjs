// Run after `patch-package` on install: rebuild nodejieba when its source is newer than
// its binary, i.e. when patches/nodejieba+*.patch has just been applied.
//
// Why the patch: nodejieba's load() builds its TextRank keyword extractor from the
// dictionary files, a second copy of the whole dictionary (about 110 MB) that cnfacts
// never uses. cppjieba can build that extractor over the segmenter's own dictionary;
// the patch makes nodejieba do so. Segmentation is untouched.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve('nodejieba/package.json'));
const source = path.join(dir, 'lib', 'nodejieba.cpp');
const binary = path.join(dir, 'build', 'Release', 'nodejieba.node');
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);

if (mtime(binary) >= mtime(source)) {
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
