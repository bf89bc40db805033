// Starting the review app on a socket: the Host names it answers to, and a clean stop.
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { DB } from '../store/schema.js';
import { createApp, type AppOptions } from './app.js';

export interface ServerOptions extends Omit<AppOptions, 'allowedHosts'> {
  db: DB;
  /** 0 picks a free port */
  port: number;
  host: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  app: Hono;
  close: () => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The Host values a browser may send to reach this server: the address bound, and the other names of loopback or of this machine. */
export function hostNames(host: string, port: number): string[] {
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  const names = new Set<string>([bracket(host)]);
  if (isLoopback(host)) ['127.0.0.1', 'localhost', '[::1]'].forEach((h) => names.add(h));
  if (host === '0.0.0.0' || host === '::') {
    names.add('localhost').add(os.hostname());
    for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) names.add(bracket(i.address));
  }
  return [...names].map((h) => `${h}:${port}`.toLowerCase());
}

export function startServer(opts: ServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let app: Hono | undefined;
    // the app is built once the port is known (port 0), before any request can arrive
    const server = serve({ fetch: (req, env) => app!.fetch(req, env), port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      const { app: a, token } = createApp({ ...opts, allowedHosts: hostNames(opts.host, info.port) });
      app = a;
      const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${shown}:${info.port}/`,
        port: info.port,
        host: opts.host,
        token,
        app: a,
        close: () =>
          new Promise<void>((res) => {
            (server as Server).closeAllConnections?.();
            server.close(() => res());
          }),
      });
    }) as Server;
    server.once('error', reject);
  });
}
