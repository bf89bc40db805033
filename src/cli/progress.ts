// Progress of an extract run on standard error: a bar with files/s, facts and
// the time left on a terminal; a plain line every few seconds otherwise (logs,
// CI, pipes), so a long run is never silent and never floods the log.
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { RunProgress } from '../ingest/run.js';

// loaded for a terminal only: logs, pipes and --quiet runs never draw a bar (20-30 ms of a re-run)
const loadCliProgress = () => createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;

export interface ProgressReporter {
  update(p: RunProgress): void;
  /** a line saying what the run does now, when it is not counting files */
  note(message: string): void;
  stop(): void;
}

const si = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}K` : String(Math.round(n)));

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

/** The share of the work done: by bytes when sizes are known (files differ in size), else by files. */
function fraction(p: RunProgress): number {
  if (p.bytesTotal > 0) return Math.min(1, p.bytesDone / p.bytesTotal);
  return p.filesTotal ? p.filesDone / p.filesTotal : 1;
}

/** One plain progress line, e.g. `1234/7000 files (17.6%), 98.5 files/s, 1.21M chars/s, 45.6K facts, 3 failed, 1m05s left`. */
export function progressLine(p: RunProgress, now = Date.now()): string {
  const elapsed = Math.max(0.001, (now - p.startedAt) / 1000);
  const f = fraction(p);
  const left = f > 0 ? (elapsed * (1 - f)) / f : NaN;
  return (
    `${p.filesDone}/${p.filesTotal} files (${(f * 100).toFixed(1)}%), ${(p.filesDone / elapsed).toFixed(1)} files/s, ` +
    `${si(p.chars / elapsed)} chars/s, ${si(p.facts)} facts, ${p.failed} failed, ${formatDuration(left)} left`
  );
}

/** A bar when standard error is a terminal; plain lines every `intervalSeconds` otherwise. */
export function progressReporter(stream: NodeJS.WriteStream, intervalSeconds: number): ProgressReporter {
  if (stream.isTTY) return barReporter(stream);
  let last = Date.now();
  return {
    update(p) {
      const now = Date.now();
      if (now - last < intervalSeconds * 1000) return;
      last = now;
      stream.write(`cnfacts extract: ${progressLine(p, now)}\n`);
    },
    note(message) {
      stream.write(`cnfacts extract: ${message}\n`);
    },
    stop() {},
  };
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'extract {bar} {percentage}% | {files}/{filesTotal} files | {rate} files/s | {facts} facts | {failed} failed | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const total = p.bytesTotal || p.filesTotal;
      const value = p.bytesTotal ? p.bytesDone : p.filesDone;
      const elapsed = Math.max(0.001, (Date.now() - p.startedAt) / 1000);
      const payload = { files: p.filesDone, filesTotal: p.filesTotal, rate: (p.filesDone / elapsed).toFixed(1), facts: si(p.facts), failed: p.failed };
      if (!started) {
        bar.start(total, value, payload);
        started = true;
      } else bar.update(Math.min(value, total), payload);
    },
    note(message) {
      if (started) bar.stop();
      started = false;
      stream.write(`${message}\n`);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
