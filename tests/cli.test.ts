// The command line: every command and option is documented in the README,
// and bad input gives a clear message and a documented exit status.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { formatSummary } from '../src/cli/extract.js';
import { CLI, ROOT, tempDir } from './helpers.js';
import { shebangNodeFlags } from '../scripts/shebang-flags.mjs';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, cwd: ROOT });

describe('every command is documented', () => {
  for (const cmd of buildProgram().commands) {
    test(`cnfacts ${cmd.name()} and its options are in the README`, () => {
      expect(readme).toContain(`cnfacts ${cmd.name()}`);
      for (const opt of cmd.options) expect(readme, `${cmd.name()} ${opt.long}`).toContain(opt.long!);
    });
  }
});

describe('the installed command', () => {
  test('runs through a link named cnfacts, as npm installs it, with the flags of its shebang', () => {
    const link = path.join(tempDir(), 'cnfacts');
    fs.symlinkSync(CLI, link);
    const flags = shebangNodeFlags(CLI);
    expect(flags).not.toBeNull();
    const r = spawnSync(process.execPath, [...flags!, link, '--version'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('parse', () => {
  test('prints facts as JSON lines with doc "-"', () => {
    const r = run(['parse', '从业人员总量超4.7万人，增长22%。']);
    expect(r.status).toBe(0);
    const facts = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(facts.map((f) => [f.doc, f.quote, f.value, f.unit, f.qualifier, f.kind])).toEqual([
      ['-', '4.7万人', 47000, '人', 'over', 'amount'],
      ['-', '22%', 22, '%', 'exact', 'change'],
    ]);
  });

  test('reads standard input line by line and numbers the lines', () => {
    const r = run(['parse', '--all'], '一千二百三十四\n\n第一百一十九\n');
    const items = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(items.map((i) => [i.line, i.quote, i.value])).toEqual([
      [1, '一千二百三十四', 1234],
      [3, '第一百一十九', 119],
    ]);
  });

  test('--all shows numbers that are not facts, with the reason', () => {
    const items = run(['parse', '--all', '2023年，成功装配C919。']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(items.map((i) => [i.quote, i.fact, i.reason])).toEqual([
      ['2023年', false, 'time.year'],
      ['919', false, 'nonfact.model-name'],
    ]);
  });
});

describe('bad input', () => {
  test('a missing database is a clear message and status 2', () => {
    const r = run(['export', '--db', '/nonexistent/x.sqlite']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no database at/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('an unknown export format is refused', () => {
    const r = run(['export', '--format', 'xml']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/xml/);
  });

  test('an empty file and a binary file fail with status 1, the good file goes in', () => {
    const dir = tempDir('cnfacts-cli-');
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    fs.writeFileSync(path.join(dir, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    fs.writeFileSync(path.join(dir, 'good.txt'), '新增企业5家。');
    // no periodic progress line, however slow the machine: standard error must stay empty
    const r = run(['extract', dir, '--db', path.join(dir, 'f.sqlite'), '--progress-interval', '3600']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/empty\.txt: empty/);
    expect(r.stdout).toMatch(/image\.txt: binary/);
    expect(r.stdout).toMatch(/1 new/);
    expect(r.stderr).toBe('');
  });

  test('the summary gives the time once (seconds under a minute), counts in the singular for one, and groups thousands', () => {
    const dir = tempDir('cnfacts-cli-');
    fs.writeFileSync(path.join(dir, 'good.txt'), '新增企业5家。');
    const r = run(['extract', dir, '--db', path.join(dir, 'f.sqlite'), '--concurrency', '1', '--progress-interval', '3600']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^extracted 1 document from 1 file in \d+\.\ds: 1 new,/m);
    expect(r.stdout).toMatch(/characters\/s, 1 worker thread\)/);
    const summary = { runId: 1, status: 'done', files: 9, documents: 9, new: 9, changed: 0, skipped: 0, skippedUnread: 0, failed: 0, factsAdded: 12345, factsRemoved: 0, chars: 1000, extractedChars: 1000, seconds: 245.2, extractSeconds: 400, concurrency: 2, extractorVersion: 'v', errors: [], missing: [] } as const;
    expect(formatSummary(summary)).toMatch(/^extracted 9 documents from 9 files in 4m05s: .*\nfacts: 12,345 added, .*, 2 worker threads\)/);
    expect(formatSummary({ ...summary, concurrency: 0 })).toMatch(/no worker threads\)/);
    expect(formatSummary(summary)).toMatch(/ 0 unchanged \(skipped\), /);
    expect(formatSummary({ ...summary, documents: 10188, new: 0, skipped: 10188, skippedUnread: 9685 })).toMatch(
      /^extracted 10,188 documents from 9 files in 4m05s: 0 new, 0 changed, 10,188 unchanged \(skipped; 9,685 of them by their files' stamps, not read\), /,
    );
  });

  test('a path that does not exist is reported, not thrown', () => {
    const dir = tempDir('cnfacts-cli-');
    const r = run(['extract', path.join(dir, 'nope'), '--db', path.join(dir, 'f.sqlite')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/nope: vanished/);
  });
});
