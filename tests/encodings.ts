// Encoders for the test inputs that Node cannot write itself. Node decodes
// GB18030 but only encodes UTF-8 and UTF-16LE, so the GB18030 encoder is the
// decoder run backwards: every two-byte code (GBK) and every four-byte code of
// the Basic Multilingual Plane is decoded once, and the table inverted.
// Characters beyond the BMP follow GB18030's linear four-byte mapping.
import { TextDecoder } from 'node:util';

let table: Map<number, number[]> | null = null;

function gbTable(): Map<number, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030');
  const add = (codes: number[][]) => {
    // decode all codes in one go: each stands for exactly one UTF-16 unit here
    const bytes = Uint8Array.from(codes.flat());
    const text = decoder.decode(bytes);
    if (text.length !== codes.length) throw new Error('unexpected GB18030 decoding');
    for (let i = 0; i < codes.length; i++) if (!table!.has(text.charCodeAt(i))) table!.set(text.charCodeAt(i), codes[i]);
  };
  const two: number[][] = [];
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) two.push([a, b]);
  add(two);
  const four: number[][] = [];
  for (let a = 0x81; a <= 0x84; a++) for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c <= 0xfe; c++) for (let d = 0x30; d <= 0x39; d++) four.push([a, b, c, d]);
  // surrogates do not decode to themselves; keep only codes that decode to one non-surrogate unit
  const decoded = four.map((q) => [q, decoder.decode(Uint8Array.from(q))] as const).filter(([, t]) => t.length === 1 && (t.charCodeAt(0) < 0xd800 || t.charCodeAt(0) > 0xdfff));
  for (const [q, t] of decoded) if (!table.has(t.charCodeAt(0))) table.set(t.charCodeAt(0), q);
  return table;
}

export function encodeGb18030(text: string): Buffer {
  const t = gbTable();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp > 0xffff) {
      // linear: U+10000 is 0x90 0x30 0x81 0x30
      let n = cp - 0x10000;
      const d = n % 10;
      n = Math.floor(n / 10);
      const c = n % 126;
      n = Math.floor(n / 126);
      const b = n % 10;
      const a = Math.floor(n / 10);
      out.push(0x90 + a, 0x30 + b, 0x81 + c, 0x30 + d);
    } else {
      const bytes = t.get(cp);
      if (!bytes) throw new Error(`no GB18030 code for U+${cp.toString(16)}`);
      out.push(...bytes);
    }
  }
  const buf = Buffer.from(out);
  // never trust the encoder blindly: it must decode back to the same text
  if (new TextDecoder('gb18030').decode(buf) !== text) throw new Error('GB18030 round trip failed');
  return buf;
}

export function encodeUtf16le(text: string, bom = true): Buffer {
  return Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
}

export function encodeUtf16be(text: string, bom = true): Buffer {
  return encodeUtf16le(text, bom).swap16();
}
