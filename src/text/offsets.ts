// The one offset map: every character of the cleaned text remembers which
// characters of the original file it came from, so any span found in the
// cleaned text maps back to code-point offsets in the original file.

export class OffsetMap {
  /** original UTF-16 index where the source of clean char i starts */
  private readonly from: Int32Array;
  /** original UTF-16 index just after the source of clean char i */
  private readonly to: Int32Array;
  /** code-point index of each UTF-16 index of the original (only when it has astral chars) */
  private readonly cp: Int32Array | null;
  readonly originalLength: number;

  constructor(from: Int32Array, to: Int32Array, original: string) {
    this.from = from;
    this.to = to;
    this.originalLength = original.length;
    this.cp = /[\uD800-\uDFFF]/.test(original) ? codePointIndex(original) : null;
  }

  /** UTF-16 span in the original for the clean span [start, end). */
  toOriginalUtf16(start: number, end: number): [number, number] {
    if (end <= start) {
      const at = start < this.from.length ? this.from[start] : this.originalLength;
      return [at, at];
    }
    return [this.from[start], this.to[end - 1]];
  }

  /** Code-point span in the original for the clean span [start, end). */
  toOriginal(start: number, end: number): [number, number] {
    const [s, e] = this.toOriginalUtf16(start, end);
    return [this.utf16ToCodePoint(s), this.utf16ToCodePoint(e)];
  }

  utf16ToCodePoint(i: number): number {
    return this.cp ? this.cp[i] : i;
  }
}

function codePointIndex(s: string): Int32Array {
  const out = new Int32Array(s.length + 1);
  let cp = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = cp;
    const c = s.charCodeAt(i);
    // the low half of a surrogate pair shares the code point of its high half
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && isHigh(s.charCodeAt(i - 1)))) cp++;
    else out[i] = cp - 1;
  }
  out[s.length] = cp;
  return out;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** Code-point slice of a string, for quoting spans given in code points. */
export function sliceCodePoints(s: string, start: number, end: number): string {
  if (!/[\uD800-\uDFFF]/.test(s)) return s.slice(start, end);
  return Array.from(s).slice(start, end).join('');
}

/**
 * A growable array of 32-bit integers: 4 bytes a value, where a JS array of
 * numbers costs 8 and more while it grows. The builder below keeps two values
 * per character of a document, so this is most of its memory.
 */
class IntBuffer {
  private data: Int32Array;
  length = 0;

  /** `expected`: about how many values will come (a cleaned text is rarely longer than its original) */
  constructor(expected = 1024) {
    this.data = new Int32Array(Math.max(16, expected));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** The values pushed: a view when the buffer is nearly full, else a copy that lets the rest go. */
  toInt32Array(): Int32Array {
    return this.length >= this.data.length * 0.9 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

/** Builds a cleaned string and its OffsetMap piece by piece. */
export class CleanTextBuilder {
  private parts: string[] = [];
  private from: IntBuffer;
  private to: IntBuffer;

  /** `expectedLength`: the original's length, to size the offset buffers once */
  constructor(expectedLength = 1024) {
    this.from = new IntBuffer(expectedLength + 16);
    this.to = new IntBuffer(expectedLength + 16);
  }

  /** Emit text that stands for original[origStart, origEnd). Multi-char text maps each char to the whole source. */
  emit(text: string, origStart: number, origEnd: number): void {
    this.parts.push(text);
    for (let k = 0; k < text.length; k++) {
      this.from.push(origStart);
      this.to.push(origEnd);
    }
  }

  /** Emit original[i, j) unchanged. */
  copy(original: string, i: number, j: number): void {
    this.parts.push(original.slice(i, j));
    for (let k = i; k < j; k++) {
      this.from.push(k);
      this.to.push(k + 1);
    }
  }

  get length(): number {
    return this.from.length;
  }

  lastChar(): string {
    const p = this.parts[this.parts.length - 1];
    return p ? p[p.length - 1] : '';
  }

  build(original: string): { text: string; map: OffsetMap } {
    return {
      text: this.parts.join(''),
      map: new OffsetMap(this.from.toInt32Array(), this.to.toInt32Array(), original),
    };
  }
}
