// Verdicts: storing them, and finding the fact each one is about.
//
// A verdict names its figure by content (document path, quote, sentence, the
// text around it, the span as a tie-breaker), because re-extraction replaces
// the rows of the facts table. Which fact row a verdict belongs to right now
// is derived, not stored: `verdict_links`, a TEMP table of this connection,
// rebuilt for a document whenever that document was extracted again (or the
// verdicts changed) since the last look. A verdict whose figure is not found
// again has no link: it is an orphan, kept and listed, never deleted.
import { migrate, type DB } from '../store/schema.js';
import { dice } from '../eval/score.js';
import { effectiveCorrections, parseCorrections, type Corrections, type Verdict, type VerdictInput } from './corrections.js';

/** Code points of original text kept on each side of a figure, to recognise it when sentences are split differently. */
export const CONTEXT_CHARS = 12;
/** Sentences this alike (Dice on character pairs) are the same sentence edited: another figure in it was fixed, a word changed. */
export const SIMILAR_SENTENCE = 0.8;

export interface StoredVerdict {
  id: number;
  doc: string;
  quote: string;
  sentence: string;
  start: number;
  end: number;
  fact_key: string;
  verdict: Verdict;
  corrections: Corrections | null;
  note: string | null;
  reviewer: string | null;
  at: string;
}

interface VerdictRow extends Omit<StoredVerdict, 'corrections'> {
  corrections: string | null;
  sentence_start: number;
  text_before: string;
  text_after: string;
}

export function toStoredVerdict(r: VerdictRow): StoredVerdict {
  return {
    id: r.id, doc: r.doc, quote: r.quote, sentence: r.sentence, start: r.start, end: r.end, fact_key: r.fact_key,
    verdict: r.verdict, corrections: parseCorrections(r.corrections), note: r.note, reviewer: r.reviewer, at: r.at,
  };
}

/** A figure as the matcher sees it, on either side. */
export interface Figure {
  id: number;
  fact_key: string;
  quote: string;
  sentence: string;
  start: number;
  end: number;
  sentence_start: number;
}

/**
 * Pair verdicts with the facts of one document, each fact with at most one verdict:
 * first the same fact_key (same content, same span: certainly the same figure), then the
 * same quote in the same sentence, then between the same words, then in a sentence that
 * differs only a little (another figure in it corrected at the source). Among
 * several candidates (10% twice in one sentence, a sentence repeated) the one at the same
 * place inside its sentence wins, then the one nearest in the document. Returns verdict id → fact id.
 */
export function matchFigures(
  verdicts: (Figure & { text_before: string; text_after: string })[],
  facts: Figure[],
  contextOf: (f: Figure) => { before: string; after: string },
): Map<number, number> {
  const out = new Map<number, number>();
  const taken = new Set<number>();
  const byKey = new Map(facts.map((f) => [f.fact_key, f]));
  const link = (v: Figure, f: Figure) => (out.set(v.id, f.id), taken.add(f.id));
  for (const v of verdicts) {
    const f = byKey.get(v.fact_key);
    if (f && f.quote === v.quote && !taken.has(f.id)) link(v, f);
  }
  const distance = (v: Figure, f: Figure) => [Math.abs(f.start - f.sentence_start - (v.start - v.sentence_start)), Math.abs(f.start - v.start) + Math.abs(f.end - v.end)];
  const nearest = (v: Figure, candidates: Figure[]) => {
    let best: Figure | undefined;
    let bestD: number[] = [];
    for (const f of candidates) {
      if (taken.has(f.id)) continue;
      const d = distance(v, f);
      if (!best || d[0] < bestD[0] || (d[0] === bestD[0] && d[1] < bestD[1])) (best = f), (bestD = d);
    }
    return best;
  };
  const passes: ((v: (typeof verdicts)[number], f: Figure) => boolean)[] = [
    (v, f) => f.sentence === v.sentence,
    (v, f) => {
      const c = contextOf(f);
      return c.before === v.text_before && c.after === v.text_after;
    },
    (v, f) => dice(v.sentence, f.sentence) >= SIMILAR_SENTENCE,
  ];
  for (const same of passes) {
    for (const v of verdicts) {
      if (out.has(v.id)) continue;
      const f = nearest(v, facts.filter((f) => f.quote === v.quote && same(v, f)));
      if (f) link(v, f);
    }
  }
  return out;
}

export class NotFoundError extends Error {}
export class ConflictError extends Error {}
export class InvalidVerdictError extends Error {}

export interface Progress {
  facts: number;
  reviewed: number;
  accepted: number;
  rejected: number;
  corrected: number;
  orphans: number;
}

/** The verdicts of one store, kept attached to its facts. */
export class Review {
  readonly writable: boolean;
  private dataVersion = -1;
  /** Goes up whenever another connection changed the store: what callers key their caches on. */
  generation = 0;
  private verdictsStamp = '';
  private readonly docStamps = new Map<string, string>();

  constructor(readonly db: DB) {
    this.writable = !db.readonly;
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'verdicts'").get();
    if (!has) {
      // an older store opened read-only: no verdicts yet, and none can be written
      if (db.readonly) db.exec(`CREATE TEMP TABLE verdicts (id INTEGER PRIMARY KEY, doc TEXT, quote TEXT, sentence TEXT, start INTEGER, end INTEGER,
        sentence_start INTEGER, text_before TEXT, text_after TEXT, fact_key TEXT, verdict TEXT, corrections TEXT, note TEXT, reviewer TEXT, at TEXT)`);
      else migrate(db);
    }
    db.exec('CREATE TEMP TABLE IF NOT EXISTS verdict_links (fact_id INTEGER PRIMARY KEY, verdict_id INTEGER NOT NULL UNIQUE)');
    this.sync();
  }

  /**
   * Bring the links up to date with what other connections (an extract run, another
   * server) committed since the last call. Cheap when nothing changed: one pragma.
   */
  sync(): void {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    this.generation++;
    const stamp = this.verdictsState();
    const docs = this.documentStates();
    let changed: string[];
    if (stamp !== this.verdictsStamp) {
      this.db.exec('DELETE FROM verdict_links');
      this.docStamps.clear();
      changed = docs.map((d) => d.doc);
    } else {
      changed = docs.filter((d) => this.docStamps.get(d.doc) !== d.stamp).map((d) => d.doc);
    }
    this.verdictsStamp = stamp;
    const unlink = this.db.prepare('DELETE FROM verdict_links WHERE verdict_id IN (SELECT id FROM verdicts WHERE doc = ?)');
    this.db.transaction(() => {
      // unlink every changed document before relinking any: a fact id freed by one may be reused by another
      for (const doc of changed) unlink.run(doc);
      for (const doc of changed) this.relinkDocument(doc);
    })();
    for (const d of docs) this.docStamps.set(d.doc, d.stamp);
  }

  private relinkDocument(doc: string): void {
    const verdicts = this.db.prepare('SELECT * FROM verdicts WHERE doc = ?').all(doc) as VerdictRow[];
    const d = this.db.prepare('SELECT id, text FROM documents WHERE path = ?').get(doc) as { id: number; text: string } | undefined;
    if (!d || !verdicts.length) return;
    const facts = this.db.prepare('SELECT id, fact_key, quote, sentence, start, end, sentence_start FROM facts WHERE document_id = ? ORDER BY start').all(d.id) as Figure[];
    let cps: string[] | undefined;
    const contextOf = (f: Figure) => {
      cps ??= Array.from(d.text);
      return { before: cps.slice(Math.max(0, f.start - CONTEXT_CHARS), f.start).join(''), after: cps.slice(f.end, f.end + CONTEXT_CHARS).join('') };
    };
    const insert = this.db.prepare('INSERT INTO verdict_links (fact_id, verdict_id) VALUES (?, ?)');
    for (const [verdictId, factId] of matchFigures(verdicts, facts, contextOf)) insert.run(factId, verdictId);
  }

  /** The verdict on a fact row, if any. */
  verdictFor(factId: number): StoredVerdict | null {
    const r = this.db.prepare('SELECT v.* FROM verdict_links l JOIN verdicts v ON v.id = l.verdict_id WHERE l.fact_id = ?').get(factId) as VerdictRow | undefined;
    return r ? toStoredVerdict(r) : null;
  }

  /** Record (or replace) the verdict on a fact row. */
  setVerdict(factId: number, input: VerdictInput, reviewer: string | null): StoredVerdict {
    if (!this.writable) throw new InvalidVerdictError('this store is open read-only');
    const f = this.db
      .prepare(`SELECT f.id, f.fact_key, f.quote, f.sentence, f.start, f.end, f.sentence_start, d.path AS doc,
                  f.value, f.min, f.max, f.unit, f.kind, f.qualifier, f.modality, f.year, f.subject, f.metric, f.scope, f.direction,
                  substr(d.text, max(1, f.start - ${CONTEXT_CHARS} + 1), min(${CONTEXT_CHARS}, f.start)) AS text_before,
                  substr(d.text, f.end + 1, ${CONTEXT_CHARS}) AS text_after
                FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.id = ?`)
      .get(factId) as (Figure & Record<string, unknown> & { doc: string; text_before: string; text_after: string }) | undefined;
    if (!f) throw new NotFoundError(`no fact ${factId}`);
    if (input.fact_key !== undefined && input.fact_key !== f.fact_key) throw new ConflictError(`fact ${factId} is now ${f.fact_key}, not ${input.fact_key}: the document was extracted again`);
    let corrections: Corrections | null = null;
    if (input.verdict === 'corrected') {
      corrections = effectiveCorrections(f as never, input.corrections ?? {});
      if (!Object.keys(corrections).length) throw new InvalidVerdictError('a correction must change at least one field');
    }
    const at = new Date().toISOString();
    const note = input.note?.trim() || null;
    const row = {
      doc: f.doc, quote: f.quote, sentence: f.sentence, start: f.start, end: f.end, sentence_start: f.sentence_start,
      text_before: f.text_before, text_after: f.text_after,
      fact_key: f.fact_key, verdict: input.verdict, corrections: corrections ? JSON.stringify(corrections) : null, note, reviewer, at,
    };
    const id = this.db.transaction(() => {
      const linked = this.db.prepare('SELECT verdict_id FROM verdict_links WHERE fact_id = ?').get(factId) as { verdict_id: number } | undefined;
      let id: number;
      if (linked) {
        id = linked.verdict_id;
        this.db
          .prepare(`UPDATE verdicts SET doc = @doc, quote = @quote, sentence = @sentence, start = @start, end = @end,
                    sentence_start = @sentence_start, text_before = @text_before,
                    text_after = @text_after, fact_key = @fact_key, verdict = @verdict, corrections = @corrections, note = @note, reviewer = @reviewer, at = @at
                    WHERE id = @id`)
          .run({ ...row, id });
      } else {
        id = Number(
          this.db
            .prepare(`INSERT INTO verdicts (doc, quote, sentence, start, end, sentence_start, text_before, text_after, fact_key, verdict, corrections, note, reviewer, at)
                      VALUES (@doc, @quote, @sentence, @start, @end, @sentence_start, @text_before, @text_after, @fact_key, @verdict, @corrections, @note, @reviewer, @at)`)
            .run(row).lastInsertRowid,
        );
        this.db.prepare('INSERT INTO verdict_links (fact_id, verdict_id) VALUES (?, ?)').run(factId, id);
      }
      this.log(id, 'set', row);
      return id;
    })();
    this.ownWrite();
    return toStoredVerdict(this.db.prepare('SELECT * FROM verdicts WHERE id = ?').get(id) as VerdictRow);
  }

  /** Withdraw the verdict on a fact row (what undo does when there was none before). Returns the verdict withdrawn. */
  clearVerdict(factId: number, reviewer: string | null): StoredVerdict | null {
    if (!this.writable) throw new InvalidVerdictError('this store is open read-only');
    const exists = this.db.prepare('SELECT 1 FROM facts WHERE id = ?').get(factId);
    if (!exists) throw new NotFoundError(`no fact ${factId}`);
    const old = this.verdictFor(factId);
    if (!old) return null;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM verdict_links WHERE verdict_id = ?').run(old.id);
      this.db.prepare('DELETE FROM verdicts WHERE id = ?').run(old.id);
      this.log(old.id, 'clear', { doc: old.doc, fact_key: old.fact_key, verdict: null, corrections: null, note: null, reviewer, at: new Date().toISOString() });
    })();
    this.ownWrite();
    return old;
  }

  private log(verdictId: number, action: 'set' | 'clear', r: { doc: string; fact_key: string; verdict: string | null; corrections: string | null; note: string | null; reviewer: string | null; at: string }) {
    this.db
      .prepare('INSERT INTO verdict_log (verdict_id, action, doc, fact_key, verdict, corrections, note, reviewer, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(verdictId, action, r.doc, r.fact_key, r.verdict, r.corrections, r.note, r.reviewer, r.at);
  }

  /** Our own writes keep the links right as they go; only the stamp needs to follow. */
  private ownWrite() {
    this.verdictsStamp = this.verdictsState();
    for (const d of this.documentStates()) this.docStamps.set(d.doc, d.stamp);
  }

  /** Changes whenever a verdict is added, changed or withdrawn. */
  private verdictsState(): string {
    return (this.db.prepare("SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(max(at), '') AS s FROM verdicts").get() as { s: string }).s;
  }

  /** For each document with verdicts, what changes when it is extracted again (or removed). */
  private documentStates(): { doc: string; stamp: string }[] {
    return this.db
      .prepare(`SELECT v.doc AS doc, coalesce(d.id || ':' || d.sha256 || ':' || d.extractor_version || ':' || d.extracted_at, 'missing') AS stamp
                FROM (SELECT DISTINCT doc FROM verdicts) v LEFT JOIN documents d ON d.path = v.doc`)
      .all() as { doc: string; stamp: string }[];
  }

  progress(): Progress {
    const facts = (this.db.prepare('SELECT count(*) AS n FROM facts').get() as { n: number }).n;
    const by = this.db.prepare('SELECT v.verdict AS verdict, count(*) AS n FROM verdict_links l JOIN verdicts v ON v.id = l.verdict_id GROUP BY v.verdict').all() as { verdict: Verdict; n: number }[];
    const n = (v: Verdict) => by.find((b) => b.verdict === v)?.n ?? 0;
    const orphans = (this.db.prepare('SELECT count(*) AS n FROM verdicts WHERE id NOT IN (SELECT verdict_id FROM verdict_links)').get() as { n: number }).n;
    return { facts, reviewed: n('accepted') + n('rejected') + n('corrected'), accepted: n('accepted'), rejected: n('rejected'), corrected: n('corrected'), orphans };
  }

  /** Verdicts whose figure was not found again, newest first. */
  orphans(limit = 200, offset = 0): { total: number; orphans: StoredVerdict[] } {
    const total = (this.db.prepare('SELECT count(*) AS n FROM verdicts WHERE id NOT IN (SELECT verdict_id FROM verdict_links)').get() as { n: number }).n;
    const rows = this.db
      .prepare('SELECT * FROM verdicts WHERE id NOT IN (SELECT verdict_id FROM verdict_links) ORDER BY at DESC, id DESC LIMIT ? OFFSET ?')
      .all(limit, offset) as VerdictRow[];
    return { total, orphans: rows.map(toStoredVerdict) };
  }
}
