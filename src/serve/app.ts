// The review app: a Hono application over one store. Read endpoints list and
// show facts, documents and disagreements; write endpoints record verdicts.
//
// Safety, in the order a request meets it: the Host header must name this
// server (no DNS rebinding); writes must come from this server's page (same
// Origin when one is sent, not cross-site, the page's token in a header), be
// JSON under 64 KB, and are refused outright with --read-only. Every query
// takes its values as bound parameters. JSON escapes <, > and & so article
// text can never close a script or be sniffed as HTML.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { DB } from '../store/schema.js';
import { extractDocument } from '../extract/document.js';
import { getRules } from '../rules/load.js';
import { verdictInputSchema } from '../review/corrections.js';
import { ConflictError, InvalidVerdictError, NotFoundError, Review } from '../review/verdicts.js';
import {
  chartableSeries, consistency, consistencyQuerySchema, documentView, filterOptions, getFact, listDocuments, listFacts,
  listQuerySchema, pageOffsetOf, paragraphOf, series, seriesQuerySchema, type ExpressionSource,
} from '../review/query.js';
import { reviewStats } from '../review/audit.js';
import { page } from './html.js';

export const MAX_BODY_BYTES = 64 * 1024;
export const TOKEN_HEADER = 'x-cnfacts-token';

export interface AppOptions {
  db: DB;
  /** host:port values the Host header may carry (the address bound, and its loopback names) */
  allowedHosts: string[];
  readOnly?: boolean;
  reviewer?: string | null;
  /** name shown in the page title */
  dbName?: string;
  /** rules folder for recognising the numbers in a document that are not facts */
  rulesDir?: string;
  /** the numeric expressions of a text (defaults to the extractor, cached per document) */
  expressions?: ExpressionSource;
  token?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The page's assets: beside this module in src/, or back in src/ when running from dist/. */
function assetsDir(): string {
  for (const dir of [path.join(here, 'assets'), path.resolve(here, '..', '..', 'src', 'serve', 'assets')]) {
    if (fs.existsSync(path.join(dir, 'app.js'))) return dir;
  }
  throw new Error(`the review page's assets are missing (looked beside ${here})`);
}

function chartJsFile(): string {
  // chart.js exports no subpaths; its UMD build sits beside the main entry
  const main = createRequire(import.meta.url).resolve('chart.js');
  return path.join(path.dirname(main), 'chart.umd.js');
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** JSON that is also safe if it ever lands inside HTML: <, >, & and the JS line separators escaped. */
function safeJson(c: Context, body: unknown, status = 200) {
  const text = JSON.stringify(body).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return c.body(text, status as 200, { 'Content-Type': 'application/json; charset=utf-8' });
}

const fail = (c: Context, status: number, error: string) => safeJson(c, { error }, status);

function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
}

/** A cache of each document's numeric expressions, keyed by path and content. */
function cachedExpressions(rulesDir?: string): ExpressionSource {
  const cache = new Map<string, ReturnType<ExpressionSource>>();
  return (text, doc, published) => {
    const key = `${doc}\u0000${text.length}\u0000${crypto.createHash('sha1').update(text).digest('hex')}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = extractDocument(text, { doc, published, rules: getRules(rulesDir) }).expressions;
      cache.set(key, hit);
      if (cache.size > 64) cache.delete(cache.keys().next().value!);
    }
    return hit;
  };
}

function parseRowId(s: string): number | null {
  return /^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : null;
}

export function createApp(opts: AppOptions): { app: Hono; token: string; review: Review } {
  const { db } = opts;
  const readOnly = !!opts.readOnly || db.readonly;
  const token = opts.token ?? crypto.randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const review = new Review(db);
  const allowedHosts = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  const expressions = opts.expressions ?? cachedExpressions(opts.rulesDir);
  const dir = assetsDir();
  const assets: Record<string, { body: string; type: string }> = {
    'app.js': { body: fs.readFileSync(path.join(dir, 'app.js'), 'utf8'), type: 'text/javascript; charset=utf-8' },
    'app.css': { body: fs.readFileSync(path.join(dir, 'app.css'), 'utf8'), type: 'text/css; charset=utf-8' },
    'chart.umd.js': { body: fs.readFileSync(chartJsFile(), 'utf8'), type: 'text/javascript; charset=utf-8' },
  };
  const assetVersion = crypto.createHash('sha1').update(assets['app.js'].body).update(assets['app.css'].body).digest('hex').slice(0, 10);
  const pageHtml = page({ token, readOnly, dbName: opts.dbName ?? 'facts.sqlite', reviewer: opts.reviewer ?? null, assetVersion });

  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });

  // every request, reads included: a page reached through a rebound DNS name must not be able to read the token
  app.use('*', async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!allowedHosts.has(host)) return fail(c, 403, 'unexpected Host header');
    return next();
  });

  const writes = ['POST', 'PUT', 'PATCH', 'DELETE'];
  app.use('*', async (c, next) => {
    if (!writes.includes(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) return fail(c, 403, 'cross-site request refused');
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return fail(c, 403, 'cross-site request refused');
    const sent = Buffer.from(c.req.header(TOKEN_HEADER) ?? '');
    if (sent.length !== tokenBuf.length || !crypto.timingSafeEqual(sent, tokenBuf)) return fail(c, 403, 'missing or wrong request token');
    if (readOnly) return fail(c, 403, 'the server was started with --read-only');
    return next();
  });

  app.use('/api/*', async (c, next) => {
    review.sync();
    return next();
  });

  app.onError((err, c) => {
    if (process.env.CNFACTS_DEBUG) console.error(err);
    return fail(c, 500, 'internal error');
  });
  app.notFound((c) => fail(c, 404, 'not found'));

  app.get('/', (c) => c.html(pageHtml));
  app.get('/assets/:name', (c) => {
    const a = assets[c.req.param('name')];
    if (!a) return fail(c, 404, 'not found');
    return c.body(a.body, 200, { 'Content-Type': a.type });
  });

  const parseQuery = <S extends z.ZodType>(c: Context, schema: S): z.infer<S> | Response => {
    const r = schema.safeParse(c.req.query());
    return r.success ? r.data : fail(c, 400, zodMessage(r.error));
  };

  let options: { generation: number; value: ReturnType<typeof filterOptions> } | undefined;
  app.get('/api/meta', (c) => {
    if (options?.generation !== review.generation) options = { generation: review.generation, value: filterOptions(db) };
    return safeJson(c, { readOnly, reviewer: opts.reviewer ?? null, progress: review.progress(), options: options.value });
  });

  app.get('/api/progress', (c) => safeJson(c, review.progress()));

  app.get('/api/facts', (c) => {
    const { focus, ...rest } = c.req.query();
    const q = listQuerySchema.safeParse(rest);
    if (!q.success) return fail(c, 400, zodMessage(q.error));
    const focusId = focus === undefined || focus === '' ? null : parseRowId(focus);
    if (focus && focusId === null) return fail(c, 400, 'focus: expected a fact row id');
    const query = q.data;
    if (focusId !== null) {
      const offset = pageOffsetOf(db, query, focusId);
      if (offset !== null) query.offset = offset;
    }
    const { total, facts } = listFacts(db, query);
    return safeJson(c, { total, offset: query.offset, limit: query.limit, facts });
  });

  app.get('/api/facts/:id', (c) => {
    const id = parseRowId(c.req.param('id'));
    if (id === null) return fail(c, 400, 'expected a fact row id');
    const f = getFact(db, id);
    return f ? safeJson(c, f) : fail(c, 404, 'no such fact (the document may have been extracted again)');
  });

  app.get('/api/facts/:id/paragraph', (c) => {
    const id = parseRowId(c.req.param('id'));
    if (id === null) return fail(c, 400, 'expected a fact row id');
    const p = paragraphOf(db, id);
    return p ? safeJson(c, p) : fail(c, 404, 'no such fact');
  });

  const writeLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => fail(c, 413, `request body over ${MAX_BODY_BYTES} bytes`) });

  app.put('/api/facts/:id/verdict', writeLimit, async (c) => {
    const id = parseRowId(c.req.param('id'));
    if (id === null) return fail(c, 400, 'expected a fact row id');
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return fail(c, 415, 'send the verdict as application/json');
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return fail(c, 400, 'the body is not valid JSON');
    }
    const input = verdictInputSchema.safeParse(body);
    if (!input.success) return fail(c, 400, zodMessage(input.error));
    try {
      const verdict = review.setVerdict(id, input.data, opts.reviewer ?? null);
      return safeJson(c, { verdict, progress: review.progress() });
    } catch (e) {
      return verdictError(c, e);
    }
  });

  app.delete('/api/facts/:id/verdict', writeLimit, (c) => {
    const id = parseRowId(c.req.param('id'));
    if (id === null) return fail(c, 400, 'expected a fact row id');
    try {
      const withdrawn = review.clearVerdict(id, opts.reviewer ?? null);
      return safeJson(c, { withdrawn, progress: review.progress() });
    } catch (e) {
      return verdictError(c, e);
    }
  });

  app.get('/api/documents', (c) => {
    const q = z
      .strictObject({
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
      })
      .safeParse(c.req.query());
    if (!q.success) return fail(c, 400, zodMessage(q.error));
    return safeJson(c, listDocuments(db, q.data.limit, q.data.offset));
  });

  app.get('/api/document', (c) => {
    const q = parseQuery(c, z.strictObject({ path: z.string().min(1).max(1000) }));
    if (q instanceof Response) return q;
    const d = documentView(db, q.path, expressions);
    return d ? safeJson(c, d) : fail(c, 404, 'no such document');
  });

  app.get('/api/consistency', (c) => {
    const q = parseQuery(c, consistencyQuerySchema);
    if (q instanceof Response) return q;
    return safeJson(c, consistency(db, q));
  });

  app.get('/api/series', (c) => {
    const q = parseQuery(c, seriesQuerySchema);
    if (q instanceof Response) return q;
    return safeJson(c, series(db, q));
  });

  app.get('/api/chartable', (c) => {
    const q = parseQuery(c, z.strictObject({ subject: z.string().min(1).max(200).optional() }));
    if (q instanceof Response) return q;
    return safeJson(c, { series: chartableSeries(db, q.subject) });
  });

  app.get('/api/orphans', (c) => {
    const q = parseQuery(
      c,
      z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200), offset: z.coerce.number().int().min(0).default(0) }),
    );
    if (q instanceof Response) return q;
    return safeJson(c, review.orphans(q.limit, q.offset));
  });

  app.get('/api/stats', (c) => safeJson(c, reviewStats(review)));

  return { app, token, review };
}

function verdictError(c: Context, e: unknown) {
  if (e instanceof NotFoundError) return fail(c, 404, e.message);
  if (e instanceof ConflictError) return fail(c, 409, e.message);
  if (e instanceof InvalidVerdictError) return fail(c, 400, e.message);
  throw e;
}
