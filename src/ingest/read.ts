// Reading input files into documents, one at a time, so that memory stays
// bounded whatever the corpus: a text file is one document, read whole up to
// the size limit; a JSON Lines feed is read in chunks and gives one document
// per line, each line held to the same limit. Every input that cannot be used
// becomes a DocumentError with a reason; nothing here throws.
//
// Reads are synchronous on purpose: a page-cached article is read, decoded and
// hashed in a few tens of microseconds, far less than a libuv round trip per
// open/stat/read/close, and the extraction workers keep running meanwhile.
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { decodeBytes, decodeUtf8, InputError, type InputErrorReason } from './decode.js';
import type { InputFile } from './discover.js';

/**
 * Read-only, and without waiting: a named pipe put where a file was found would otherwise hold the
 * run until something writes to it (opened so, it is refused by the check that a file is regular).
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/** Largest document extracted by default: a text file, or one line of a feed (bytes). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface SourceDocument {
  kind: 'document';
  /** provenance name: path relative to the folder given, or the feed id */
  doc: string;
  /** the file it was read from (absolute) */
  source: string;
  text: string;
  encoding: string;
  /** bytes on disk: the file, or the feed line */
  size: number;
  /** code points of text */
  chars: number;
  /** of the decoded text, as extractDocument computes it */
  sha256: string;
  published: string | null;
  title: string | null;
  url: string | null;
  /** the text file's stamp when found (discover.ts), stored with the document; null for a feed's documents */
  stamp: string | null;
}

/** A text file whose bytes hash to what the store holds for it: not decoded at all. */
export interface UnchangedDocument {
  kind: 'unchanged';
  doc: string;
  /** of the bytes, which is the stored text's */
  sha256: string;
  size: number;
  /** code points, as stored */
  chars: number;
}

export interface DocumentError {
  kind: 'error';
  /** the file, or `feed.jsonl:12` for a line of a feed */
  doc: string;
  reason: InputErrorReason;
  detail: string;
}

export type ReadItem = SourceDocument | UnchangedDocument | DocumentError;

export interface ReadOptions {
  /** publication date of plain-text inputs (feeds carry their own, per line) */
  published: string | null;
  maxBytes: number;
  /**
   * The stored code points of a document whose stored text has this sha256 (in the current
   * extractor version), or null. Given, a UTF-8 text file whose bytes hash to the stored
   * text's hash is not decoded: valid UTF-8 bytes are exactly the UTF-8 of their text, so the
   * hashes of the two are one. A re-run over an unchanged archive then costs a read, a
   * validation and a hash per file.
   */
  storedChars?: (doc: string, sha256: string) => number | null;
}

const CHUNK = 1024 * 1024;

/** The documents of one input file, or the reasons it could not be used. */
export function readInput(input: InputFile, opts: ReadOptions): Generator<ReadItem> {
  return input.kind === 'jsonl' ? readFeed(input, opts) : readTextFile(input, opts);
}

function* readTextFile(input: InputFile, opts: ReadOptions): Generator<ReadItem> {
  let buf: Buffer;
  try {
    const got = readWhole(input.file, opts.maxBytes);
    if (typeof got === 'number') {
      yield fail(input.doc, 'too-large', `the file has ${got} bytes; the limit is ${opts.maxBytes} (--max-size)`);
      return;
    }
    buf = got;
  } catch (e) {
    yield fsError(input.doc, e);
    return;
  }
  if (opts.storedChars) {
    const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
    if (isUtf8(body)) {
      const sha256 = createHash('sha256').update(body).digest('hex');
      const chars = opts.storedChars(input.doc, sha256);
      if (chars !== null) {
        yield { kind: 'unchanged', doc: input.doc, sha256, size: buf.length, chars };
        return;
      }
    }
  }
  let decoded;
  try {
    decoded = decodeBytes(buf);
  } catch (e) {
    yield asError(input.doc, e);
    return;
  }
  yield {
    kind: 'document',
    doc: input.doc,
    source: input.file,
    text: decoded.text,
    encoding: decoded.encoding,
    size: buf.length,
    chars: countCodePoints(decoded.text),
    sha256: hashDecoded(buf, decoded.text, decoded.encoding),
    published: opts.published,
    title: null,
    url: null,
    stamp: input.stamp,
  };
}

/** The whole file, or its size when that is over the limit (then nothing is read). */
function readWhole(file: string, maxBytes: number): Buffer | number {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'ENOTFILE' });
    if (stat.size > maxBytes) return stat.size;
    // read to the end, not to the size stat gave: the file may be growing
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.size + 1));
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) return n > maxBytes ? n : readWhole(file, maxBytes);
    }
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * sha256 of the decoded text. Valid UTF-8 re-encodes to exactly its bytes, so
 * for UTF-8 files the bytes are hashed as they are, without encoding the text again.
 */
function hashDecoded(buf: Buffer, text: string, encoding: string): string {
  const h = createHash('sha256');
  if (encoding === 'utf-8') h.update(buf);
  else if (encoding === 'utf-8-bom') h.update(buf.subarray(3));
  else h.update(text, 'utf8');
  return h.digest('hex');
}

/** Code points of a string, counting a lone surrogate as one (as [...s].length does). */
export function countCodePoints(s: string): number {
  let n = s.length;
  if (!/[\uD800-\uDFFF]/.test(s)) return n;
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

interface FeedEncoding {
  name: string;
  /** bytes per code unit: the newline to split on is 0x0A in one or two bytes */
  unit: 1 | 2;
  bigEndian: boolean;
  /** a fixed decoder (after a byte-order mark; throws on bad bytes), or null to detect line by line */
  decoder: ((bytes: Buffer) => string) | null;
  bom: number;
}

function feedEncoding(head: Buffer): FeedEncoding {
  const fixed = (d: TextDecoder) => (bytes: Buffer) => d.decode(bytes);
  const utf8 = (bytes: Buffer) => {
    const text = decodeUtf8(bytes);
    if (text === null) throw new InputError('undecodable', 'the feed starts with a UTF-8 byte-order mark but this line is not valid UTF-8');
    return text;
  };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { name: 'utf-8-bom', unit: 1, bigEndian: false, decoder: utf8, bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { name: 'utf-16le', unit: 2, bigEndian: false, decoder: fixed(new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true })), bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { name: 'utf-16be', unit: 2, bigEndian: true, decoder: fixed(new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true })), bom: 2 };
  return { name: 'utf-8', unit: 1, bigEndian: false, decoder: null, bom: 0 };
}

/** Index of the next newline code unit at or after `from` in buf, whose first byte is at text offset `pos`; or -1. */
function newlineAt(buf: Buffer, from: number, enc: FeedEncoding, pos: number): number {
  if (enc.unit === 1) return buf.indexOf(0x0a, from);
  // UTF-16: only a whole code unit is a newline, never the high byte of another character
  for (let i = (pos + from) % 2 ? from + 1 : from; i + 1 < buf.length; i += 2) {
    if (enc.bigEndian ? buf[i] === 0 && buf[i + 1] === 0x0a : buf[i] === 0x0a && buf[i + 1] === 0) return i;
  }
  return -1;
}

function* readFeed(input: InputFile, opts: ReadOptions): Generator<ReadItem> {
  let fd: number;
  try {
    fd = fs.openSync(input.file, OPEN_FLAGS);
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      throw Object.assign(new Error(`${input.file} is not a regular file`), { code: 'ENOTFILE' });
    }
  } catch (e) {
    yield fsError(input.doc, e);
    return;
  }
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    let enc: FeedEncoding | null = null;
    let carry: Buffer | null = null; // the start of a line that runs into the next chunk
    let skipping = 0; // bytes dropped so far of a line over the limit (0: not skipping)
    let pos = 0; // text offset of the first byte of the buffer being scanned
    let lineNo = 0;
    let items = 0;
    let total = 0;
    const line = (bytes: Buffer | null, size: number): ReadItem | null => {
      lineNo++;
      const where = `${input.doc}:${lineNo}`;
      if (!bytes) return fail(where, 'too-large', `line ${lineNo} has ${size} bytes; the limit is ${opts.maxBytes} (--max-size)`);
      return feedLine(bytes, lineNo, where, input.file, enc!, opts.published);
    };
    for (;;) {
      let got: number;
      try {
        got = fs.readSync(fd, chunk, 0, CHUNK, null);
      } catch (e) {
        yield fsError(input.doc, e, lineNo + 1);
        return;
      }
      if (got === 0) break;
      total += got;
      let buf = chunk.subarray(0, got);
      if (!enc) {
        enc = feedEncoding(buf);
        // NUL bytes never occur in UTF-8 or GB18030 text: an image or an archive named .jsonl
        if (enc.unit === 1 && buf.subarray(0, 8192).includes(0)) {
          yield fail(input.doc, 'binary', 'the file holds binary data (NUL bytes), not text');
          return;
        }
        buf = buf.subarray(enc.bom);
      }
      if (carry) buf = Buffer.concat([carry, buf]);
      carry = null;
      let at = 0;
      for (let nl = newlineAt(buf, at, enc, pos); nl >= 0; nl = newlineAt(buf, at, enc, pos)) {
        const size = skipping + nl - at;
        const item = line(size > opts.maxBytes ? null : buf.subarray(at, nl), size);
        skipping = 0;
        at = nl + enc.unit;
        if (item) {
          items++;
          yield item;
        }
      }
      const rest = buf.length - at;
      if (skipping || rest > opts.maxBytes) skipping += rest;
      else if (rest) carry = Buffer.from(buf.subarray(at)); // a copy: the chunk is read into again
      pos = carry ? pos + at : pos + buf.length;
    }
    if (carry || skipping) {
      const item = line(skipping ? null : carry, skipping || carry!.length);
      if (item) {
        items++;
        yield item;
      }
    }
    if (total === 0) yield fail(input.doc, 'empty', 'the file is empty');
    else if (items === 0) yield fail(input.doc, 'empty', 'the feed holds only blank lines');
  } finally {
    fs.closeSync(fd);
  }
}

/** One line of a feed: decoded, parsed, checked; a document, an error, or null for a blank line. */
function feedLine(bytes: Buffer, lineNo: number, where: string, file: string, enc: FeedEncoding, published: string | null): ReadItem | null {
  let text: string;
  let encoding = enc.name;
  try {
    if (enc.decoder) text = enc.decoder(bytes);
    else if (isBlankAscii(bytes)) text = '';
    else {
      const d = decodeBytes(bytes);
      text = d.text;
      encoding = d.encoding;
    }
  } catch (e) {
    if (e instanceof InputError && e.reason === 'empty') return null; // a line of only (ideographic) spaces
    return asError(where, e, `line ${lineNo}: `);
  }
  const line = text.trim();
  if (!line) return null;
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch (e) {
    return fail(where, 'bad-json', `line ${lineNo} is not JSON: ${(e as Error).message}`);
  }
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return fail(where, 'no-text', `line ${lineNo} is not a JSON object with a "text" string`);
  const r = rec as { id?: unknown; text?: unknown; published?: unknown; url?: unknown; title?: unknown };
  if (typeof r.text !== 'string' || !r.text.trim()) return fail(where, 'no-text', `line ${lineNo} has no "text" string`);
  const id = typeof r.id === 'string' && r.id ? r.id : typeof r.id === 'number' ? String(r.id) : where;
  return {
    kind: 'document',
    doc: id,
    source: file,
    text: r.text,
    encoding,
    size: bytes.length,
    chars: countCodePoints(r.text),
    sha256: createHash('sha256').update(r.text, 'utf8').digest('hex'),
    published: typeof r.published === 'string' && r.published ? r.published : published,
    title: typeof r.title === 'string' ? r.title : null,
    url: typeof r.url === 'string' ? r.url : null,
    stamp: null,
  };
}

function isBlankAscii(b: Buffer): boolean {
  for (const c of b) if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  return true;
}

function fail(doc: string, reason: InputErrorReason, detail: string): DocumentError {
  return { kind: 'error', doc, reason, detail };
}

function asError(doc: string, e: unknown, prefix = ''): DocumentError {
  if (e instanceof InputError) return fail(doc, e.reason, prefix + e.message);
  return fail(doc, 'undecodable', prefix + String(e));
}

/** A file that is gone is `vanished`; one that cannot be opened or read is `unreadable`. */
function fsError(doc: string, e: unknown, line?: number): DocumentError {
  const err = e as NodeJS.ErrnoException;
  const where = line ? ` (reading line ${line})` : '';
  return fail(doc, err.code === 'ENOENT' ? 'vanished' : 'unreadable', `${err.code ?? 'error'}: ${err.message}${where}`);
}
