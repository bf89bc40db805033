// What a run knows about the files it read before, so that it can skip one without
// reading it. A file's stamp (discover.ts, fileStamp) changes with every write to it.
// - A text file is one document: the document keeps its file's stamp (documents.file_stamp).
// - A feed gives many documents, named by their ids: the feed's stamp is kept with the name,
//   hash and length of each document it gave (feed_stamps), and the feed is skipped only
//   while every one of them is still stored with that hash (another input may have replaced
//   one since: then the feed is read, and gives its text back, as a run that reads it would).
// Everything here only saves reading: when in doubt, the file is read.
import type { DB } from '../store/schema.js';
import type { InputFile } from './discover.js';

export interface StoredDocument {
  sha256: string;
  extractor_version: string;
  chars: number;
  file_stamp: string | null;
}

/** A document a feed gave: its name, the sha256 of its text, its code points. */
export type FeedEntry = [doc: string, sha256: string, chars: number];

/** Stamps are saved in batches of this many, each batch one transaction. */
const STAMP_BATCH = 512;

export class StampBook {
  private readonly findDocument;
  private readonly findFeed;
  private readonly saveFeed;
  private readonly dropFeed;
  private readonly writeStamps;
  private readonly restamps: [stamp: string, doc: string, sha256: string, version: string][] = [];

  constructor(
    db: DB,
    private readonly version: string,
  ) {
    // from the index alone (migrations 5 and 6; SQLite would pick the unique index on path, then
    // read the row, whose extractor_version lies after the text, across its overflow pages)
    this.findDocument = db.prepare('SELECT sha256, extractor_version, chars, file_stamp FROM documents INDEXED BY documents_stored WHERE path = ?');
    this.findFeed = db.prepare('SELECT stamp, extractor_version, documents FROM feed_stamps WHERE path = ?');
    this.saveFeed = db.prepare(
      'INSERT INTO feed_stamps (path, stamp, extractor_version, documents) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET stamp = excluded.stamp, extractor_version = excluded.extractor_version, documents = excluded.documents',
    );
    this.dropFeed = db.prepare('DELETE FROM feed_stamps WHERE path = ?');
    const restamp = db.prepare('UPDATE documents SET file_stamp = ? WHERE path = ? AND sha256 = ? AND extractor_version = ?');
    this.writeStamps = db.transaction((rows: [string, string, string, string][]) => {
      for (const r of rows) restamp.run(...r);
    });
  }

  /** The stored document of this name, or undefined. */
  stored(doc: string): StoredDocument | undefined {
    return this.findDocument.get(doc) as StoredDocument | undefined;
  }

  /** The stored document's code points when the text file has not been written to since it was stored by this extractor version, else null. */
  unreadText(input: InputFile): number | null {
    if (!input.stamp || input.kind !== 'text') return null;
    const old = this.stored(input.doc);
    return old && old.file_stamp === input.stamp && old.extractor_version === this.version ? old.chars : null;
  }

  /**
   * The documents of a feed not written to since this extractor version stored every one of
   * them, when each is still stored with the hash the feed gave it; else null. `busy`: a
   * document of that name is in flight in this run (the feed is then read, and waits for it).
   */
  unreadFeed(input: InputFile, busy: (doc: string) => boolean): FeedEntry[] | null {
    if (!input.stamp || input.kind !== 'jsonl') return null;
    const row = this.findFeed.get(input.doc) as { stamp: string; extractor_version: string; documents: string } | undefined;
    if (!row || row.stamp !== input.stamp || row.extractor_version !== this.version) return null;
    const entries = JSON.parse(row.documents) as FeedEntry[];
    for (const [doc, sha256] of entries) {
      if (busy(doc)) return null;
      const old = this.stored(doc);
      if (!old || old.sha256 !== sha256 || old.extractor_version !== this.version) return null;
    }
    return entries;
  }

  /**
   * A text file read and found unchanged by its hash, whose stamp is not the stored one (a store
   * from before stamps, a file touched or copied again): its stamp is saved (in a batch), so that
   * the next run need not read it; only where the document still holds the text hashed.
   */
  restampLater(input: InputFile, sha256: string): void {
    if (!input.stamp || input.kind !== 'text' || this.stored(input.doc)?.file_stamp === input.stamp) return;
    this.restamps.push([input.stamp, input.doc, sha256, this.version]);
    if (this.restamps.length >= STAMP_BATCH) this.flush();
  }

  /** A feed read to its end, every document of it stored or found unchanged: what it gave, under its stamp. */
  recordFeed(input: InputFile, entries: FeedEntry[]): void {
    if (!input.stamp) return this.forgetFeed(input);
    this.saving(() => this.saveFeed.run(input.doc, input.stamp, this.version, JSON.stringify(entries)));
  }

  /** A feed that failed in part, or changed too recently for a stamp: read again next time. */
  forgetFeed(input: InputFile): void {
    this.saving(() => this.dropFeed.run(input.doc));
  }

  /** Save the stamps waiting. */
  flush(): void {
    const rows = this.restamps.splice(0);
    if (rows.length) this.saving(() => this.writeStamps.immediate(rows));
  }

  // only a saving for the next run, which reads these files again if it fails (a store busy
  // past the timeout, a full disk: the run's own writes report that)
  private saving(write: () => unknown): void {
    try {
      write();
    } catch {
      // read again next time
    }
  }
}
