// An extract run: find the inputs, read and decode each, extract its facts,
// store each document in its own transaction, and record what could not be
// read. One bad file never stops the batch.
import fs from 'node:fs';
import { discover, type InputFile } from './discover.js';
import { decodeBytes, InputError } from './decode.js';
import { extractDocument } from '../extract/document.js';
import { getRules } from '../rules/compile.js';
import { extractorVersion } from '../version.js';
import { openStore, type DB } from '../store/schema.js';
import { StoreWriter, isCurrent } from '../store/write.js';
import { sha256 } from '../extract/document.js';

export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface ExtractRunOptions {
  inputs: string[];
  db: string;
  /** re-extract documents even when their content and extractor version are unchanged */
  force?: boolean;
  /** publication date for plain-text inputs (JSON Lines feeds carry their own) */
  published?: string | null;
  rulesDir?: string;
  onDocument?: (e: DocumentEvent) => void;
}

export interface DocumentEvent {
  doc: string;
  outcome: 'new' | 'changed' | 'skipped' | 'failed';
  facts: number;
  chars: number;
  reason?: string;
}

export interface RunError {
  path: string;
  reason: string;
  detail: string;
}

export interface RunSummary {
  runId: number;
  status: 'done' | 'interrupted';
  files: number;
  documents: number;
  new: number;
  changed: number;
  skipped: number;
  failed: number;
  factsAdded: number;
  factsRemoved: number;
  chars: number;
  seconds: number;
  errors: RunError[];
  missing: string[];
}

export interface SourceDocument {
  doc: string;
  source: string;
  text: string;
  encoding: string;
  size: number;
  published: string | null;
  title: string | null;
  url: string | null;
}

/** The documents of one input file: one for a text file, one per line for a JSON Lines feed. */
export function* readInput(input: InputFile, published: string | null): Generator<SourceDocument | InputError & { doc: string }> {
  let buf: Buffer;
  try {
    const stat = fs.statSync(input.file);
    if (stat.size > MAX_FILE_BYTES) {
      yield Object.assign(new InputError('too-large', `the file has ${stat.size} bytes; the limit is ${MAX_FILE_BYTES}`), { doc: input.doc });
      return;
    }
    buf = fs.readFileSync(input.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    yield Object.assign(new InputError(code === 'ENOENT' ? 'vanished' : 'unreadable', (e as Error).message), { doc: input.doc });
    return;
  }
  let decoded;
  try {
    decoded = decodeBytes(buf);
  } catch (e) {
    yield Object.assign(e instanceof InputError ? e : new InputError('undecodable', String(e)), { doc: input.doc });
    return;
  }
  if (input.kind === 'text') {
    yield { doc: input.doc, source: input.file, text: decoded.text, encoding: decoded.encoding, size: buf.length, published, title: null, url: null };
    return;
  }
  const lines = decoded.text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const where = `${input.doc}:${i + 1}`;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      yield Object.assign(new InputError('bad-json', `line ${i + 1} is not JSON: ${(e as Error).message}`), { doc: where });
      continue;
    }
    const r = rec as { id?: unknown; text?: unknown; published?: unknown; url?: unknown; title?: unknown };
    if (typeof r.text !== 'string' || !r.text.trim()) {
      yield Object.assign(new InputError('no-text', `line ${i + 1} has no "text" string`), { doc: where });
      continue;
    }
    const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : where;
    yield {
      doc: id,
      source: input.file,
      text: r.text,
      encoding: decoded.encoding,
      size: Buffer.byteLength(r.text, 'utf8'),
      published: typeof r.published === 'string' ? r.published : published,
      title: typeof r.title === 'string' ? r.title : null,
      url: typeof r.url === 'string' ? r.url : null,
    };
  }
}

export async function runExtract(opts: ExtractRunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const R = getRules(opts.rulesDir);
  const version = extractorVersion(R);
  const { files, missing } = await discover(opts.inputs);
  const db = openStore(opts.db);
  const writer = new StoreWriter(db);
  const runId = startRun(db, opts.inputs, version);
  const s: RunSummary = { runId, status: 'done', files: files.length, documents: 0, new: 0, changed: 0, skipped: 0, failed: 0, factsAdded: 0, factsRemoved: 0, chars: 0, seconds: 0, errors: [], missing };
  const fail = (doc: string, reason: string, detail: string) => {
    s.failed++;
    s.errors.push({ path: doc, reason, detail });
    db.prepare('INSERT INTO errors (run_id, path, reason, detail, at) VALUES (?, ?, ?, ?, ?)').run(runId, doc, reason, detail, new Date().toISOString());
    opts.onDocument?.({ doc, outcome: 'failed', facts: 0, chars: 0, reason });
  };
  for (const m of missing) fail(m, 'vanished', 'no such file or folder, and no file matches it as a pattern');
  try {
    for (const input of files) {
      for (const item of readInput(input, opts.published ?? null)) {
        if (item instanceof InputError) {
          fail(item.doc, item.reason, item.message);
          continue;
        }
        s.documents++;
        s.chars += item.text.length;
        const hash = sha256(item.text);
        if (!opts.force && isCurrent(db, item.doc, hash, version)) {
          s.skipped++;
          opts.onDocument?.({ doc: item.doc, outcome: 'skipped', facts: 0, chars: item.text.length });
          continue;
        }
        let facts;
        try {
          facts = extractDocument(item.text, { doc: item.doc, published: item.published, rules: R }).facts;
        } catch (e) {
          fail(item.doc, 'extract-failed', (e as Error).stack ?? String(e));
          continue;
        }
        const res = writer.writeDocument(
          { path: item.doc, source: item.source, sha256: hash, size: item.size, encoding: item.encoding, chars: [...item.text].length, published: item.published, title: item.title, url: item.url, text: item.text, extractor_version: version },
          facts,
          opts.force,
        );
        s[res.outcome]++;
        s.factsAdded += res.added;
        s.factsRemoved += res.removed;
        opts.onDocument?.({ doc: item.doc, outcome: res.outcome, facts: res.added, chars: item.text.length });
      }
    }
  } finally {
    s.seconds = (Date.now() - t0) / 1000;
    finishRun(db, s);
    db.close();
  }
  return s;
}

function startRun(db: DB, inputs: string[], version: string): number {
  return Number(
    db.prepare("INSERT INTO runs (started_at, status, inputs, extractor_version) VALUES (?, 'running', ?, ?)").run(new Date().toISOString(), JSON.stringify(inputs), version).lastInsertRowid,
  );
}

function finishRun(db: DB, s: RunSummary) {
  db.prepare(
    `UPDATE runs SET finished_at = ?, status = ?, files_seen = ?, files_new = ?, files_changed = ?, files_skipped = ?, files_failed = ?, facts_added = ?, facts_removed = ? WHERE id = ?`,
  ).run(new Date().toISOString(), s.status, s.documents + s.failed, s.new, s.changed, s.skipped, s.failed, s.factsAdded, s.factsRemoved, s.runId);
}
