// The review app in a real browser: headless Chromium (Debian's package,
// installed by .ci/run) driven by playwright-core. It starts `cnfacts serve`
// on a store built from corpus/, moves with the keyboard, accepts one fact,
// corrects another, undoes a third, checks the verdicts in the store, and
// saves screenshots of the fact list, a fact card and the document view.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { CLI, ROOT, tempDir } from './helpers.js';
import { corpusStore } from './review-helpers.js';

const CHROMIUM = process.env.CNFACTS_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'output', 'screenshots');

let server: ChildProcess | undefined;
let context: BrowserContext | undefined;
let page: Page;
let url: string;
let dbFile: string;
const problems: string[] = [];

function startServe(db: string): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--reviewer', 'browser-test'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`cnfacts serve did not start: ${out}${err}`)), 30_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) (clearTimeout(timer), resolve({ proc, url: m[0] }));
    });
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('exit', (code) => reject(new Error(`cnfacts serve exited with ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Run .ci/run (it installs Debian's chromium), or: apt-get install -y chromium`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  ({ db: dbFile } = await corpusStore());
  const s = await startServe(dbFile);
  server = s.proc;
  url = s.url;
  context = await chromium.launchPersistentContext(tempDir('cnfacts-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
});

afterAll(async () => {
  await context?.close();
  server?.kill('SIGTERM');
});

/** The selected row and the card shown, once the card has caught up with the selection. */
async function selected(): Promise<{ index: number; row: number }> {
  await page.waitForFunction(() => {
    const sel = document.querySelector('tr.row.sel') as HTMLElement | null;
    const card = document.querySelector('article.card') as HTMLElement | null;
    return !!sel && !!card && sel.dataset.row === card.dataset.row;
  });
  return page.evaluate(() => {
    const sel = document.querySelector('tr.row.sel') as HTMLElement;
    return { index: Number(sel.dataset.i), row: Number(sel.dataset.row) };
  });
}

const badgeOf = (row: number) => page.locator(`tr.row[data-row="${row}"] .vbadge`);
const toastGone = () => page.waitForFunction(() => getComputedStyle(document.getElementById('toast')!).opacity === '0', undefined, { timeout: 10_000 });

/** The article reviewed: its first paragraphs hold many figures, and numbers that are not facts. */
const DOC = '003_463c405dc6c9a35b.txt';
function factsIn(doc: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.path = ?').get(doc) as { n: number }).n;
  } finally {
    db.close();
  }
}

function verdictsInStore(): { fact_id: number; verdict: string; corrections: string | null; reviewer: string }[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    // the store's own join, by content: document path, quote and span
    return db
      .prepare(`SELECT f.id AS fact_id, v.verdict, v.corrections, v.reviewer FROM verdicts v
                JOIN documents d ON d.path = v.doc JOIN facts f ON f.document_id = d.id AND f.quote = v.quote AND f.start = v.start
                ORDER BY v.id`)
      .all() as never;
  } finally {
    db.close();
  }
}

describe('reviewing in the browser', () => {
  test('keyboard review: filter, move, accept, correct, undo; both verdicts land in the store', async () => {
    await page.goto(url);
    await page.waitForSelector('article.card');
    await expect.poll(() => page.locator('#progress-text').textContent()).toMatch(/^Reviewed 0 of \d+/);
    expect(await page.locator('tr.row').count()).toBe(50);

    // one document, in reading order, through the filter controls
    await page.selectOption('select[name="doc"]', DOC);
    await page.waitForFunction((doc) => location.hash.includes(encodeURIComponent(doc)), DOC);
    await page.selectOption('select[name="sort"]', 'doc');
    await expect.poll(() => page.locator('.listhead .count').textContent()).toBe(`${factsIn(DOC)} facts`);
    await selected();

    // j j k: the second fact
    expect((await selected()).index).toBe(0);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect((await selected()).index).toBe(2);
    await page.keyboard.press('k');
    const first = await selected();
    expect(first.index).toBe(1);

    // a: accepted, and the selection moves on
    await page.keyboard.press('a');
    await expect.poll(() => badgeOf(first.row).textContent()).toBe('accepted');
    const second = await selected();
    expect(second.index).toBe(2);
    await expect.poll(() => page.locator('#progress-text').textContent()).toMatch(/^Reviewed 1 of/);

    // e: correct the metric, Enter saves
    await page.keyboard.press('e');
    const metric = page.locator('form.editform input[name="metric"]');
    await expect.poll(() => metric.evaluate((el) => el === document.activeElement)).toBe(true);
    await metric.fill('研发投入强度');
    await metric.press('Enter');
    await expect.poll(() => badgeOf(second.row).textContent()).toBe('corrected');
    const third = await selected();
    expect(third.index).toBe(3);

    // u undoes the last verdict only: accept the third, take it back
    await page.keyboard.press('a');
    await expect.poll(() => badgeOf(third.row).textContent()).toBe('accepted');
    await page.keyboard.press('u');
    await expect.poll(() => badgeOf(third.row).textContent()).toBe('unreviewed');
    await expect.poll(() => page.locator('#progress-text').textContent()).toMatch(/^Reviewed 2 of/);

    const stored = verdictsInStore();
    expect(stored.map((v) => [v.fact_id, v.verdict, v.reviewer])).toEqual([
      [first.row, 'accepted', 'browser-test'],
      [second.row, 'corrected', 'browser-test'],
    ]);
    expect(JSON.parse(stored[1].corrections!)).toEqual({ metric: '研发投入强度' });

    await toastGone();
    await page.screenshot({ path: path.join(SHOTS, 'fact-list.png') });

    // the corrected card, with its paragraph: what a reviewer sees
    await page.locator(`tr.row[data-row="${second.row}"]`).click();
    await selected();
    await page.keyboard.press('p');
    await page.waitForSelector('.paragraph:not([hidden])');
    await expect.poll(() => page.locator('article.card [data-field="metric"] .newval').textContent()).toBe('研发投入强度');
    await page.setViewportSize({ width: 1440, height: 1300 }); // the whole card in one picture
    await page.locator('article.card').screenshot({ path: path.join(SHOTS, 'fact-card.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    // d: the document, at this figure, with the facts and the other numbers marked
    await page.keyboard.press('d');
    await page.waitForSelector(`.doctext a.fig.cur[data-row="${second.row}"]`, { timeout: 30_000 });
    expect(await page.locator('.doctext a.fig.fact').count()).toBe(factsIn(DOC));
    expect(await page.locator('.doctext span.fig.number').count()).toBeGreaterThan(0);
    expect(await page.locator('.doctext a.fig.accepted').count()).toBe(1);
    expect(await page.locator('.doctext a.fig.corrected').count()).toBe(1);
    await page.evaluate(() => document.querySelector('.page')!.scrollTo(0, 0)); // the top: title, legend, both verdicts
    await page.waitForTimeout(1700); // the highlight's flash has faded
    await toastGone();
    await page.screenshot({ path: path.join(SHOTS, 'document-view.png') });

    for (const name of ['fact-list.png', 'fact-card.png', 'document-view.png']) expect(fs.statSync(path.join(SHOTS, name)).size).toBeGreaterThan(20_000);
  });

  test('the consistency view draws its chart with chart.js', async () => {
    await page.goto(`${url}#/consistency`);
    await page.waitForFunction(() => {
      const c = document.querySelector('#chart') as HTMLCanvasElement | null;
      return !!c && c.width > 0 && (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart?.getChart(c) !== undefined;
    });
    await page.screenshot({ path: path.join(SHOTS, 'consistency-view.png') });
  });

  test('no script errors, failed requests or blocked resources along the way', () => {
    expect(problems).toEqual([]);
  });
});
