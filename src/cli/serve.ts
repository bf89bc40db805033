// `cnfacts serve`: the review app on a local port.
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/schema.js';
import { extractDocument } from '../extract/document.js';
import { getRules } from '../rules/load.js';
import { isLoopback, startServer } from '../serve/server.js';
import { requireDb, UsageError } from './common.js';

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  readOnly?: boolean;
  reviewer?: string;
  rules?: string;
}

function defaultReviewer(): string | null {
  try {
    return os.userInfo().username || null;
  } catch {
    return null;
  }
}

export async function serveCommand(opts: ServeOptions): Promise<number> {
  const file = requireDb(opts.db);
  getRules(opts.rules); // a bad rules folder stops here, with file:line, not at the first document view
  const db = openStore(file, { readonly: !!opts.readOnly });
  let running;
  try {
    running = await startServer({
      db, port: opts.port, host: opts.host, readOnly: !!opts.readOnly, reviewer: opts.reviewer ?? defaultReviewer(),
      dbName: path.basename(file), rulesDir: opts.rules,
    });
  } catch (e) {
    db.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use (try --port 0 for a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${opts.host}: no such local address`);
    throw e;
  }
  console.log(`cnfacts review: ${running.url}  (${opts.readOnly ? 'read-only' : 'reviewing'} ${file}; Ctrl-C stops)`);
  if (!isLoopback(opts.host)) console.error(`cnfacts: warning: listening on ${opts.host}, not loopback: anyone who can reach this address can read the store${opts.readOnly ? '' : ' and change verdicts'}`);
  // load the word dictionary now rather than on the first document view
  setImmediate(() => extractDocument('2023年，新增企业5家。', { rules: getRules(opts.rules) }));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  db.close();
  return 0;
}
