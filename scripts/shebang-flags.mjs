// The node flags in a script's shebang (`#!/usr/bin/env -S node --max-semi-space-size=6`):
// the benchmark runs the command with them, as the installed command runs, and a test
// checks the command runs with them through the link npm installs.
import fs from 'node:fs';

/** The flags after `node` on the first line of `file`, or null when it has no node shebang. */
export function shebangNodeFlags(file) {
  const m = /^#!.*\bnode\b(.*)$/.exec(fs.readFileSync(file, 'utf8').split('\n', 1)[0]);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : null;
}
