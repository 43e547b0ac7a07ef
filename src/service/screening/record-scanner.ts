/**
 * A byte-level reader for the one shape screening files use: one flat JSON object per line with
 * an `id` string and three numbers (`lon`, `lat` and `buffer_m` or `radius_m`).
 *
 * `JSON.parse` per line builds a string and an object for every record, which is most of the
 * time a straightforward screening spends. This scanner reads the bytes in place instead and
 * is exact: numbers are converted with the correctly rounded fast path (at most 15 significant
 * digits and no exponent: integer ÷ power of ten, both exact doubles) or else by `Number()` on
 * the validated JSON number text, which is what `JSON.parse` does. It accepts only lines it fully
 * understands — strict JSON grammar for everything it reads or skips — and hands anything else
 * (escapes in an id, nested values, repeated keys, anything malformed) back to the caller as
 * `FALLBACK`, to be decided by `JSON.parse` on that one line. So a line is accepted if and only
 * if `JSON.parse` accepts it, with the same values.
 */

/**
 * The line was read: the fields are in the scanner's properties (see the RecordScanner example).
 */
export const SCANNED = 0;
/** The line needs `JSON.parse` (unusual but maybe valid, or invalid: let it say why). */
export const FALLBACK = 1;
/** The line holds only whitespace. */
export const BLANK = 2;

/** Which number field besides lon and lat a record has. */
export type ThirdField = 'buffer_m' | 'radius_m';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const NEWLINE = 0x0a;

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Field bits, to notice a repeated key. */
const HAS_ID = 1;
const HAS_LON = 2;
const HAS_LAT = 4;
const HAS_THIRD = 8;
const ALL = 15;

/** What a template segment's value is. */
const K_ID = 1;
const K_LON = 2;
const K_LAT = 3;
const K_THIRD = 4;
const K_SKIP_STRING = 5;
const K_SKIP_VALUE = 6;
const MAX_SEGMENTS = 32;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d;
}

/**
 * FNV-1a over bytes: the id hash used to find duplicate ids (equal hashes are then compared).
 *
 * @example
 * fnv1a(new TextEncoder().encode('O1'), 0, 2);
 */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return h >>> 0;
}

/**
 * Scans lines of a byte buffer; see the module comment. After {@link RecordScanner.scanLine}
 * returns SCANNED, `idStart`/`idEnd` delimit the id's bytes (plain printable ASCII, no escapes),
 * `idHash` is their {@link fnv1a}, `seen` says which fields were present and `numbers` holds
 * lon, lat and the third number; `lineEnd` is the index of the line's newline (or the limit).
 *
 * @example
 * const s = new RecordScanner('radius_m');
 * const line = new TextEncoder().encode('{"id":"A1","lon":30.52,"lat":50.45,"radius_m":250}\n');
 * s.scanLine(line, 0, line.length); // SCANNED; s.numbers is [30.52, 50.45, 250]
 */
export class RecordScanner {
  idStart = 0;
  idEnd = 0;
  idHash = 0;
  /** Bits of the fields present: 1 id, 2 lon, 4 lat, 8 the third number. */
  seen = 0;
  lineEnd = 0;
  /** Set when a number field held a value of another type (a string, null…): the field name. */
  wrongType: 'lon' | 'lat' | 'id' | ThirdField | '' = '';
  private readonly thirdFirst: number;
  private readonly thirdName: Uint8Array;
  private buf: Uint8Array = new Uint8Array(0);
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private limit = 0;
  // The layout of the line being read generally…
  private segments = 0;
  private readonly segmentKinds = new Int32Array(MAX_SEGMENTS + 1);
  private readonly segmentLiteralEnd = new Int32Array(MAX_SEGMENTS + 1);
  private readonly segmentValueEnd = new Int32Array(MAX_SEGMENTS + 1);
  // …and of the last line read in full: literal bytes, where each literal ends, value kinds.
  private templateSegments = 0;
  private readonly templateBytes = new Uint8Array(1024);
  /** templateWords[i]: the template's bytes i..i+3 as a little-endian word. */
  private readonly templateWords = new Uint32Array(1024);
  private readonly templateLiteralEnd = new Int32Array(MAX_SEGMENTS + 1);
  private readonly templateKinds = new Int32Array(MAX_SEGMENTS + 1);

  /**
   * @param thirdField the number field besides lon and lat
   * @param numbers where lon, lat and the third number go (indexes 0, 1, 2): pass an index's
   *   query array to hand them over without a copy
   */
  constructor(
    readonly thirdField: ThirdField,
    readonly numbers: Float64Array = new Float64Array(3),
  ) {
    this.thirdName = new TextEncoder().encode(thirdField);
    this.thirdFirst = this.thirdName[0] as number;
  }

  /** Finds the end of the line starting at `start` (index of '\n', or `limit`). */
  static lineEnd(buf: Uint8Array, start: number, limit: number): number {
    const at = buf.indexOf(NEWLINE, start);
    return at === -1 || at > limit ? limit : at;
  }

  /**
   * Reads the line that starts at `start` and ends at the first '\n' before `limit` (or at
   * `limit`). Returns SCANNED, FALLBACK or BLANK.
   *
   * Lines written by one program share their layout: the same keys in the same order with the
   * same punctuation. After each fully read line the layout is kept as a template (the literal
   * bytes between values, and what each value is); the next line is first matched against it,
   * comparing the literal bytes and parsing only the values, and read the general way only if
   * that fails.
   */
  scanLine(buf: Uint8Array, start: number, limit: number): number {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.limit = limit;
    if (this.templateSegments > 0 && this.scanTemplate(start) === SCANNED) return SCANNED;
    const status = this.scanGeneral(start);
    if (status === SCANNED && this.seen === ALL && this.wrongType === '') this.learn(start);
    else this.segments = 0;
    return status;
  }

  /** Matches the line at `start` against the template; SCANNED or −1. */
  private scanTemplate(start: number): number {
    const buf = this.buf;
    const limit = this.limit;
    const bytes = this.templateBytes;
    const view = this.view;
    const words = this.templateWords;
    const literalEnd = this.templateLiteralEnd;
    const kinds = this.templateKinds;
    const segments = this.templateSegments;
    let p = start;
    let t = 0;
    for (let k = 0; k <= segments; k += 1) {
      const end = literalEnd[k] as number;
      if (p + (end - t) > limit) return -1;
      // Four bytes at a time (little-endian words of the literal, precomputed), then the rest.
      while (t + 4 <= end) {
        if (view.getUint32(p, true) !== words[t]) return -1;
        p += 4;
        t += 4;
      }
      while (t < end) {
        if (buf[p] !== bytes[t]) return -1;
        p += 1;
        t += 1;
      }
      if (k === segments) break;
      const kind = kinds[k] as number;
      let b = 0;
      if (kind === K_ID) {
        const idStart = p;
        let h = FNV_OFFSET;
        while (p < limit && (b = buf[p] as number) !== QUOTE) {
          if (b === BACKSLASH || b < 0x20 || b > 0x7e) return -1;
          h = Math.imul(h ^ b, FNV_PRIME);
          p += 1;
        }
        if (p >= limit) return -1;
        this.idStart = idStart;
        this.idEnd = p;
        this.idHash = h >>> 0;
        p += 1;
      } else if (kind === K_SKIP_STRING) {
        while (p < limit && (b = buf[p] as number) !== QUOTE) {
          if (b === BACKSLASH || b < 0x20) return -1;
          p += 1;
        }
        if (p >= limit) return -1;
        p += 1;
      } else if (kind === K_SKIP_VALUE) {
        b = buf[p] as number;
        if (b === QUOTE || b === OPEN || b === 0x5b) return -1;
        p = this.skipValue(p);
        if (p < 0) return -1;
      } else {
        b = buf[p] as number;
        if (b !== MINUS && (b < ZERO || b > NINE)) return -1;
        p = this.readNumber(p, kind === K_LON ? HAS_LON : kind === K_LAT ? HAS_LAT : HAS_THIRD);
        if (p < 0) return -1;
      }
    }
    let b = 0;
    while (p < limit && isSpace((b = buf[p] as number))) p += 1;
    if (p < limit && b !== NEWLINE) return -1;
    this.lineEnd = p;
    this.seen = ALL;
    this.wrongType = '';
    return SCANNED;
  }

  /** Keeps the layout of the line just read (segments recorded by scanGeneral) as the template. */
  private learn(start: number): void {
    const segments = this.segments;
    if (segments === 0 || segments > MAX_SEGMENTS) return;
    let size = 0;
    let from = start;
    for (let k = 0; k <= segments; k += 1) {
      size += (this.segmentLiteralEnd[k] as number) - from;
      from = this.segmentValueEnd[k] as number;
    }
    if (size > this.templateBytes.length) return;
    const buf = this.buf;
    let t = 0;
    from = start;
    for (let k = 0; k <= segments; k += 1) {
      const end = this.segmentLiteralEnd[k] as number;
      for (let i = from; i < end; i += 1) this.templateBytes[t++] = buf[i] as number;
      this.templateLiteralEnd[k] = t;
      this.templateKinds[k] = this.segmentKinds[k] as number;
      from = this.segmentValueEnd[k] as number;
    }
    const bytes = this.templateBytes;
    for (let i = 0; i + 4 <= t; i += 1) {
      this.templateWords[i] =
        ((bytes[i] as number) |
          ((bytes[i + 1] as number) << 8) |
          ((bytes[i + 2] as number) << 16) |
          ((bytes[i + 3] as number) << 24)) >>>
        0;
    }
    this.templateSegments = segments;
  }

  /** Records a value of the line being read generally: its literal ends at `literalEnd`. */
  private segment(kind: number, literalEnd: number, valueEnd: number): void {
    const k = this.segments;
    if (k >= MAX_SEGMENTS) {
      this.segments = MAX_SEGMENTS + 1;
      return;
    }
    this.segmentKinds[k] = kind;
    this.segmentLiteralEnd[k] = literalEnd;
    this.segmentValueEnd[k] = valueEnd;
    this.segments = k + 1;
  }

  /** The general reader: any key order, whitespace and extra fields of flat JSON. */
  private scanGeneral(start: number): number {
    const buf = this.buf;
    const limit = this.limit;
    this.seen = 0;
    this.wrongType = '';
    this.segments = 0;
    let p = start;
    let b = 0;
    while (p < limit && isSpace((b = buf[p] as number))) p += 1;
    if (p >= limit || b === NEWLINE) {
      this.lineEnd = p;
      return BLANK;
    }
    if (b !== OPEN) return this.fail(start);
    p += 1;
    while (p < limit && isSpace((b = buf[p] as number))) p += 1;
    if (p < limit && b === CLOSE) {
      // {} — valid JSON with no fields; the caller reports what is missing.
      p += 1;
      return this.finish(start, p);
    }
    for (;;) {
      while (p < limit && isSpace((b = buf[p] as number))) p += 1;
      if (p >= limit) return this.fail(start);
      if (b !== QUOTE) return this.fail(start);
      // The key: only plain ASCII keys are matched; anything else is skipped as a string.
      const keyStart = p + 1;
      p = keyStart;
      while (p < limit && (b = buf[p] as number) !== QUOTE) {
        if (b === BACKSLASH || b < 0x20) return this.fail(start);
        p += 1;
      }
      if (p >= limit) return this.fail(start);
      const keyEnd = p;
      p += 1;
      while (p < limit && isSpace((b = buf[p] as number))) p += 1;
      if (b !== COLON || p >= limit) return this.fail(start);
      p += 1;
      while (p < limit && isSpace((b = buf[p] as number))) p += 1;
      if (p >= limit) return this.fail(start);
      const field = this.fieldOf(keyStart, keyEnd);
      if (field !== 0) {
        if ((this.seen & field) !== 0) return this.fail(start); // repeated key: JSON.parse keeps the last
        this.seen |= field;
      }
      if (field === HAS_ID) {
        if (b !== QUOTE) {
          this.wrongType = 'id';
          p = this.skipValue(p);
          if (p < 0) return this.fail(start);
        } else {
          const idStart = p + 1;
          p = idStart;
          let h = FNV_OFFSET;
          while (p < limit && (b = buf[p] as number) !== QUOTE) {
            // Escapes, control characters and non-ASCII ids take the JSON.parse path.
            if (b === BACKSLASH || b < 0x20 || b > 0x7e) return this.fail(start);
            h = Math.imul(h ^ b, FNV_PRIME);
            p += 1;
          }
          if (p >= limit) return this.fail(start);
          this.idStart = idStart;
          this.idEnd = p;
          this.idHash = h >>> 0;
          p += 1;
          this.segment(K_ID, idStart, p);
        }
      } else if (field !== 0) {
        if (b === MINUS || (b >= ZERO && b <= NINE)) {
          const valueStart = p;
          p = this.readNumber(p, field);
          if (p < 0) return this.fail(start);
          this.segment(
            field === HAS_LON ? K_LON : field === HAS_LAT ? K_LAT : K_THIRD,
            valueStart,
            p,
          );
        } else {
          this.wrongType = field === HAS_LON ? 'lon' : field === HAS_LAT ? 'lat' : this.thirdField;
          p = this.skipValue(p);
          if (p < 0) return this.fail(start);
        }
      } else {
        const valueStart = p;
        const kind = b === QUOTE ? K_SKIP_STRING : K_SKIP_VALUE;
        p = this.skipValue(p);
        if (p < 0) return this.fail(start);
        this.segment(kind, kind === K_SKIP_STRING ? valueStart + 1 : valueStart, p);
      }
      while (p < limit && isSpace((b = buf[p] as number))) p += 1;
      if (p >= limit) return this.fail(start);
      if (b === COMMA) {
        p += 1;
        continue;
      }
      if (b === CLOSE) {
        p += 1;
        break;
      }
      return this.fail(start);
    }
    return this.finish(start, p);
  }

  /** After the closing brace: only whitespace may follow on the line. */
  private finish(start: number, from: number): number {
    const buf = this.buf;
    // The final literal (up to and including the brace) closes the layout.
    if (this.segments <= MAX_SEGMENTS) {
      this.segmentLiteralEnd[this.segments] = from;
      this.segmentValueEnd[this.segments] = from;
    }
    let p = from;
    let b = 0;
    while (p < this.limit && isSpace((b = buf[p] as number))) p += 1;
    if (p < this.limit && b !== NEWLINE) return this.fail(start);
    this.lineEnd = p;
    return SCANNED;
  }

  /** FALLBACK, with lineEnd set to the end of the line. */
  private fail(start: number): number {
    this.lineEnd = RecordScanner.lineEnd(this.buf, start, this.limit);
    return FALLBACK;
  }

  private fieldOf(keyStart: number, keyEnd: number): number {
    const buf = this.buf;
    const length = keyEnd - keyStart;
    const first = buf[keyStart] as number;
    if (length === 2) {
      return first === 0x69 && buf[keyStart + 1] === 0x64 ? HAS_ID : 0; // id
    }
    if (length === 3 && first === 0x6c) {
      const second = buf[keyStart + 1] as number;
      const third = buf[keyStart + 2] as number;
      if (second === 0x6f && third === 0x6e) return HAS_LON; // lon
      if (second === 0x61 && third === 0x74) return HAS_LAT; // lat
      return 0;
    }
    if (length === this.thirdName.length && first === this.thirdFirst) {
      for (let i = 1; i < length; i += 1) {
        if (buf[keyStart + i] !== this.thirdName[i]) return 0;
      }
      return HAS_THIRD;
    }
    return 0;
  }

  /**
   * Reads a JSON number at `p` into the field; returns the position after it, or −1 when the
   * text is not a JSON number (JSON.parse will explain).
   */
  private readNumber(start: number, field: number): number {
    const buf = this.buf;
    const limit = this.limit;
    let p = start;
    let negative = false;
    if (buf[p] === MINUS) {
      negative = true;
      p += 1;
    }
    // The first 9 digits in an int (fast), any further ones in a double, while they stay exact.
    let high = 0;
    let low = 0;
    let lowDigits = 0;
    let digits = 0;
    let b = p < limit ? (buf[p] as number) : 0;
    if (b === ZERO) {
      p += 1;
      b = p < limit ? (buf[p] as number) : 0;
      if (b >= ZERO && b <= NINE) return -1; // leading zero
    } else if (b >= 0x31 && b <= NINE) {
      while (b >= ZERO && b <= NINE) {
        if (digits < 9) high = high * 10 + (b - ZERO);
        else {
          low = low * 10 + (b - ZERO);
          lowDigits += 1;
        }
        digits += 1;
        p += 1;
        b = p < limit ? (buf[p] as number) : 0;
      }
    } else return -1;
    let fraction = 0;
    if (b === DOT) {
      p += 1;
      b = p < limit ? (buf[p] as number) : 0;
      const fractionStart = p;
      while (b >= ZERO && b <= NINE) {
        if (digits < 9) high = high * 10 + (b - ZERO);
        else {
          low = low * 10 + (b - ZERO);
          lowDigits += 1;
        }
        digits += 1;
        p += 1;
        b = p < limit ? (buf[p] as number) : 0;
      }
      fraction = p - fractionStart;
      if (fraction === 0) return -1;
    }
    let exponent = false;
    if (b === LOWER_E || b === UPPER_E) {
      exponent = true;
      p += 1;
      b = p < limit ? (buf[p] as number) : 0;
      if (b === PLUS || b === MINUS) p += 1;
      const expStart = p;
      while (p < limit && (b = buf[p] as number) >= ZERO && b <= NINE) p += 1;
      if (p === expStart) return -1;
    }
    let value: number;
    if (!exponent && digits <= 15) {
      // Clinger's fast path: the digits as an exact integer (< 10^15), one correctly rounded
      // division by an exact power of ten.
      const mantissa = lowDigits === 0 ? high : high * (POW10[lowDigits] as number) + low;
      value = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
      if (negative) value = -value;
    } else {
      value = Number(latin1(buf, start, p));
    }
    if (field !== 0) this.numbers[field === HAS_LON ? 0 : field === HAS_LAT ? 1 : 2] = value;
    return p;
  }

  /** Skips a JSON string, number or literal; −1 for nested values or anything malformed. */
  private skipValue(start: number): number {
    const buf = this.buf;
    const limit = this.limit;
    let p = start;
    let b = buf[p] as number;
    if (b === QUOTE) {
      p += 1;
      while (p < limit && (b = buf[p] as number) !== QUOTE) {
        if (b < 0x20) return -1;
        if (b === BACKSLASH) {
          p += 1;
          const e = buf[p] as number;
          // \" \\ \/ \b \f \n \r \t; \uXXXX is left to JSON.parse (it must check the hex digits).
          if (
            e !== QUOTE &&
            e !== BACKSLASH &&
            e !== 0x2f &&
            e !== 0x62 &&
            e !== 0x66 &&
            e !== 0x6e &&
            e !== 0x72 &&
            e !== 0x74
          ) {
            return -1;
          }
        }
        p += 1;
      }
      return p < limit ? p + 1 : -1;
    }
    if (b === MINUS || (b >= ZERO && b <= NINE)) return this.readNumber(p, 0);
    if (b === 0x74) return this.literal(p, 'true');
    if (b === 0x66) return this.literal(p, 'false');
    if (b === 0x6e) return this.literal(p, 'null');
    return -1;
  }

  private literal(p: number, word: string): number {
    if (p + word.length > this.limit) return -1;
    for (let i = 0; i < word.length; i += 1) {
      if (this.buf[p + i] !== word.charCodeAt(i)) return -1;
    }
    return p + word.length;
  }
}

/**
 * The bytes [start, end) as a string, one character per byte (ASCII text).
 *
 * @example
 * latin1(new TextEncoder().encode('O17'), 0, 3); // 'O17'
 */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 1) s += String.fromCharCode(buf[i] as number);
  return s;
}
