// jieba's dictionary of part-of-speech tags, held compactly: two 32-bit hashes
// and a tag code per word in open-addressed typed arrays (about 5 MB for the
// 349,000 words, where a Map of strings takes about 105 MB per thread). Two
// independent hashes must both match, so a word not in the dictionary is
// mistaken for one about once in 10^18 look-ups.

const EMPTY = 0;

function fnv1a(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1; // 0 marks an empty slot
}

function murmurish(s: string, from: number, to: number): number {
  let h = 0x9747b28c ^ (to - from);
  for (let i = from; i < to; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = ((h << 13) | (h >>> 19)) * 5 + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class TagTable {
  private readonly keys: Uint32Array;
  private readonly checks: Uint32Array;
  private readonly values: Uint8Array;
  private readonly mask: number;
  /** tag names; values hold indexes into this list */
  readonly tags: string[] = [];
  size = 0;

  constructor(capacityWords: number) {
    let cap = 1;
    // filled to at most 0.7: a probe or two per look-up, and half the memory of a 0.35 fill
    while (cap < capacityWords / 0.7) cap <<= 1;
    this.keys = new Uint32Array(cap);
    this.checks = new Uint32Array(cap);
    this.values = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  private code(tag: string): number {
    let k = this.tags.indexOf(tag);
    if (k < 0) {
      if (this.tags.length >= 255) return 0;
      k = this.tags.push(tag) - 1;
    }
    return k;
  }

  /** Add s[from, to) with its tag; the first entry for a word wins, as in jieba. */
  add(s: string, from: number, to: number, tag: string): void {
    const h = fnv1a(s, from, to);
    const c = murmurish(s, from, to);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      if (this.keys[i] === EMPTY) {
        this.keys[i] = h;
        this.checks[i] = c;
        this.values[i] = this.code(tag);
        this.size++;
        return;
      }
      if (this.keys[i] === h && this.checks[i] === c) return;
    }
  }

  get(word: string): string | undefined {
    const h = fnv1a(word, 0, word.length);
    const c = murmurish(word, 0, word.length);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === EMPTY) return undefined;
      if (k === h && this.checks[i] === c) return this.tags[this.values[i]];
    }
  }

  /**
   * Read jieba's dictionary format, `word [freq] [tag]` per line, without
   * splitting the file into strings: only the tag of each line is sliced out.
   */
  addDictionary(body: string): void {
    const n = body.length;
    let i = 0;
    // up to three fields per line, found by position: no strings or arrays made per line
    const at = new Int32Array(6);
    while (i < n) {
      let eol = body.indexOf('\n', i);
      if (eol < 0) eol = n;
      let fields = 0;
      let j = i;
      while (j < eol && fields < 3) {
        while (j < eol && isBlank(body.charCodeAt(j))) j++;
        const s = j;
        while (j < eol && !isBlank(body.charCodeAt(j))) j++;
        if (j > s) {
          at[2 * fields] = s;
          at[2 * fields + 1] = j;
          fields++;
        }
      }
      // `word tag` or `word freq tag`; a lone `word freq` has no tag
      let tagField = -1;
      if (fields >= 3) tagField = 2;
      else if (fields === 2 && !allDigits(body, at[2], at[3])) tagField = 1;
      if (tagField >= 0) this.add(body, at[0], at[1], body.slice(at[2 * tagField], at[2 * tagField + 1]));
      i = eol + 1;
    }
  }
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 13;

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
