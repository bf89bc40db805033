// One jieba for a whole process. A loaded jieba holds about 120 MB (its
// dictionary as a trie; patches/nodejieba+*.patch keeps nodejieba from building
// a second copy for its TextRank extractor), and a worker thread cannot share
// another's. So in a batch run one thread owns jieba and the extraction threads
// ask it, synchronously, through shared memory: each thread has a channel, a
// request is text, the answer is the lengths of its words. The segmenting thread
// only cuts: the asking thread looks the tags up itself (jieba.ts), so the one
// thread everyone waits on does as little as it can. Each document costs two
// requests (its line breaks, then all its clauses worth tagging), plus one for
// each clause asked about later that was not foreseen (about eight per article).
//
// Channel layout (one SharedArrayBuffer per extraction thread):
//   Int32 [0] state: 0 idle, 1 asked, 2 answered, 3 failed
//   Int32 [1] request length (UTF-16 code units)   Int32 [2] words in the answer
//   Uint16 × TEXT_UNITS   the request
//   Int32 × WORDS         the answer: the length of each word (negative: units jieba left out)
// The doorbell (Int32 [0]) is bumped by every request; [1] = 1 asks the server to stop.

const HEADER_BYTES = 16;
export const TEXT_UNITS = 1 << 20; // a request of up to a million code units; longer ones go in pieces
const WORDS = TEXT_UNITS; // no text has more words than code units
const IDLE = 0, ASKED = 1, ANSWERED = 2, FAILED = 3;
const WAIT_MS = 60_000;

export interface SegmenterShared {
  doorbell: SharedArrayBuffer;
  channels: SharedArrayBuffer[];
  /** how many channels have been taken: each thread takes the next */
  taken: SharedArrayBuffer;
}

export function createShared(channels: number): SegmenterShared {
  return {
    doorbell: new SharedArrayBuffer(8),
    channels: Array.from({ length: channels }, () => new SharedArrayBuffer(HEADER_BYTES + 2 * TEXT_UNITS + 4 * WORDS)),
    taken: new SharedArrayBuffer(4),
  };
}

interface Views {
  ctl: Int32Array;
  text: Uint16Array;
  answer: Int32Array;
}

function views(sab: SharedArrayBuffer): Views {
  return {
    ctl: new Int32Array(sab, 0, 4),
    text: new Uint16Array(sab, HEADER_BYTES, TEXT_UNITS),
    answer: new Int32Array(sab, HEADER_BYTES + 2 * TEXT_UNITS, WORDS),
  };
}

/** The segmenting thread's side: wait for requests, answer them, until asked to stop. */
export function serve(shared: SegmenterShared, cutLengths: (text: string) => Int32Array): void {
  const bell = new Int32Array(shared.doorbell);
  const channels = shared.channels.map(views);
  const decoder = new TextDecoder('utf-16le');
  for (;;) {
    const rung = Atomics.load(bell, 0);
    if (Atomics.load(bell, 1) !== 0) return;
    for (const ch of channels) {
      if (Atomics.load(ch.ctl, 0) !== ASKED) continue;
      try {
        // decoded from a copy: decoders refuse shared memory
        const lengths = cutLengths(decoder.decode(ch.text.slice(0, ch.ctl[1])));
        ch.answer.set(lengths);
        ch.ctl[2] = lengths.length;
        Atomics.store(ch.ctl, 0, ANSWERED);
      } catch {
        Atomics.store(ch.ctl, 0, FAILED);
      }
      Atomics.notify(ch.ctl, 0);
    }
    Atomics.wait(bell, 0, rung);
  }
}

const STOP = 1, DEAD = 2;

/** Ask the server to stop after the requests it is answering. */
export function stopServer(shared: SegmenterShared): void {
  const bell = new Int32Array(shared.doorbell);
  Atomics.store(bell, 1, STOP);
  Atomics.add(bell, 0, 1);
  Atomics.notify(bell, 0);
}

/** Tell the clients the server is gone, so they fail at once instead of waiting. */
export function markServerDead(shared: SegmenterShared): void {
  const bell = new Int32Array(shared.doorbell);
  Atomics.store(bell, 1, DEAD);
  for (const ch of shared.channels) Atomics.notify(new Int32Array(ch, 0, 4), 0);
}

/** An extraction thread's side: send text, wait for the lengths of its words. */
export class SegmenterClient {
  private readonly ch: Views;
  private readonly bell: Int32Array;

  constructor(shared: SegmenterShared) {
    const k = Atomics.add(new Int32Array(shared.taken), 0, 1);
    if (k >= shared.channels.length) throw new Error('no segmenter channel left for this thread');
    this.ch = views(shared.channels[k]);
    this.bell = new Int32Array(shared.doorbell);
  }

  /** Long texts go in pieces cut at line breaks, which jieba never joins across. */
  cutLengths(text: string): Int32Array {
    if (text.length <= TEXT_UNITS) return this.ask(text);
    const parts: Int32Array[] = [];
    let from = 0;
    while (from < text.length) {
      let to = Math.min(text.length, from + TEXT_UNITS);
      if (to < text.length) {
        const nl = text.lastIndexOf('\n', to - 1);
        if (nl > from) to = nl + 1;
      }
      parts.push(this.ask(text.slice(from, to)));
      from = to;
    }
    const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private ask(text: string): Int32Array {
    const { ctl, text: buf, answer } = this.ch;
    for (let i = 0; i < text.length; i++) buf[i] = text.charCodeAt(i);
    ctl[1] = text.length;
    Atomics.store(ctl, 0, ASKED);
    Atomics.add(this.bell, 0, 1);
    Atomics.notify(this.bell, 0);
    const deadline = Date.now() + WAIT_MS;
    while (Atomics.load(ctl, 0) === ASKED) {
      if (Atomics.load(this.bell, 1) === DEAD) throw new Error('the segmenting thread has stopped');
      Atomics.wait(ctl, 0, ASKED, 1000);
      if (Date.now() >= deadline) throw new Error('the segmenting thread did not answer within a minute');
    }
    const state = Atomics.load(ctl, 0);
    Atomics.store(ctl, 0, IDLE);
    if (state === FAILED) throw new Error('the segmenting thread failed on this text');
    return answer.slice(0, ctl[2]);
  }
}
