// Shared by the review, serve and browser tests: stores built from text, and
// raw HTTP requests (node:http, so a test can send any Host or Origin).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { runExtract } from '../src/ingest/run.js';
import { ROOT, tempDir, writeFiles } from './helpers.js';

export function reviewDir(): string {
  return tempDir('cnfacts-review-');
}

/** Write files into a fresh folder and extract them into a store there. */
export async function storeFrom(files: Record<string, string>, opts: { published?: string } = {}): Promise<{ dir: string; corpus: string; db: string }> {
  const dir = reviewDir();
  const corpus = writeFiles(path.join(dir, 'corpus'), files);
  const db = path.join(dir, 'facts.sqlite');
  await runExtract({ inputs: [corpus], db, published: opts.published ?? null });
  return { dir, corpus, db };
}

/** The sample corpus, plus any extra files, extracted into a fresh store. */
export async function corpusStore(extra: Record<string, string> = {}): Promise<{ dir: string; corpus: string; db: string }> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(ROOT, 'corpus'))) files[name] = fs.readFileSync(path.join(ROOT, 'corpus', name), 'utf8');
  return storeFrom({ ...files, ...extra });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => any;
}

/** One HTTP request with exactly the headers given (Host defaults to the server's own). */
export function rawRequest(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...opts.headers };
    if (opts.body !== undefined && !headers['transfer-encoding']) headers['content-length'] ??= String(Buffer.byteLength(opts.body));
    // percent-encode what a browser would (Chinese in a query), leave the rest exactly as given
    const target = opts.path.replace(/[^\x21-\x7e]+/gu, (c) => encodeURIComponent(c));
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: target, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
