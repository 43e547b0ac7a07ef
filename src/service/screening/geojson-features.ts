/**
 * Streaming reader of a GeoJSON FeatureCollection: hands over one feature at a time (parsed with
 * JSON.parse) with the line it starts on, holding only the current feature in memory, so a
 * collection of millions of features is read in bounded memory.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CivitasError } from '../../domain/shared/civitas-error.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** One feature as found in the file. */
export interface FeatureAt {
  readonly feature: unknown;
  /** 1-based line where the feature's `{` is. */
  readonly line: number;
  /** 0-based position in the collection's `features` array. */
  readonly index: number;
}

/**
 * Calls `onFeature` for each element of the top-level `features` array of the FeatureCollection
 * in `path`, in order. Throws a CivitasError naming the file and line when the text is not a
 * FeatureCollection (not JSON, no `features` array, `type` other than FeatureCollection).
 *
 * @example
 * readFeatures('objects.geojson', ({ feature, line }) => console.log(line, feature));
 */
export function readFeatures(
  path: string,
  onFeature: (at: FeatureAt) => void,
  chunkSize = 1 << 20,
): void {
  const fd = openSync(path, 'r');
  try {
    new FeatureScanner(path, onFeature).run(fd, chunkSize);
  } finally {
    closeSync(fd);
  }
}

class FeatureScanner {
  private line = 1;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Top-level key being read, and the last one completed. */
  private key: number[] | undefined;
  private lastKey = '';
  private expectingValue = false;
  private state: 'start' | 'object' | 'features' | 'done' = 'start';
  private inElement = false;
  private elementChunks: Buffer[] = [];
  private elementStart = 0;
  private elementLine = 0;
  private elementIndex = 0;
  private typeValue: number[] | undefined;
  private capturingType = false;
  private sawFeatures = false;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly path: string,
    private readonly onFeature: (at: FeatureAt) => void,
  ) {}

  private fail(message: string): never {
    throw new CivitasError('validation_failed', `${this.path} line ${this.line}: ${message}`);
  }

  run(fd: number, chunkSize: number): void {
    const chunk = Buffer.allocUnsafe(chunkSize);
    // A UTF-8 byte order mark is not part of the JSON.
    const bom = Buffer.alloc(3);
    const head = readSync(fd, bom, 0, 3, 0);
    let position = head === 3 && bom[0] === 0xef && bom[1] === 0xbb && bom[2] === 0xbf ? 3 : 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, position);
      if (n === 0) break;
      this.scan(chunk, 0, n);
      position += n;
    }
    if (this.state !== 'done') this.fail('the file ends before the FeatureCollection does');
    if (!this.sawFeatures) this.fail('no "features" array: expected a GeoJSON FeatureCollection');
    if (
      this.typeValue &&
      this.decoder.decode(Uint8Array.from(this.typeValue)) !== '"FeatureCollection"'
    ) {
      this.fail('"type" must be "FeatureCollection"');
    }
  }

  private scan(buf: Buffer, from: number, to: number): void {
    this.elementStart = from;
    for (let i = from; i < to; i += 1) {
      const b = buf[i] as number;
      if (b === NEWLINE) this.line += 1;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) this.inString = false;
        if (this.key && this.inString) this.key.push(b);
        if (this.capturingType) {
          this.typeValue?.push(b);
          if (!this.inString) this.capturingType = false;
        }
        continue;
      }
      if (b === 0x20 || b === 0x09 || b === 0x0d || b === NEWLINE) continue;
      switch (this.state) {
        case 'start':
          if (b !== OPEN_BRACE) this.fail('expected a GeoJSON FeatureCollection object');
          this.state = 'object';
          this.depth = 1;
          continue;
        case 'done':
          this.fail('unexpected text after the FeatureCollection');
          break;
        case 'features':
          i = this.scanFeatures(buf, i, to);
          continue;
        case 'object':
          break;
      }
      // Inside the top-level object.
      if (this.depth === 1 && !this.expectingValue) {
        if (b === QUOTE) {
          this.inString = true;
          this.key = [];
        } else if (b === COLON) {
          this.lastKey = this.decoder.decode(Uint8Array.from(this.key ?? []));
          this.key = undefined;
          this.expectingValue = true;
        } else if (b === COMMA) {
          // next member
        } else if (b === CLOSE_BRACE) {
          this.depth = 0;
          this.state = 'done';
        }
        // Anything else is the rest of a number or literal value: skipped.
        continue;
      }
      if (this.depth === 1 && this.expectingValue) {
        this.expectingValue = false;
        if (this.lastKey === 'features') {
          if (b !== OPEN_BRACKET) this.fail('"features" must be an array');
          this.sawFeatures = true;
          this.state = 'features';
          this.depth = 2;
          continue;
        }
        if (this.lastKey === 'type') {
          this.typeValue = [b];
          this.capturingType = b === QUOTE;
        }
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth += 1;
        continue;
      }
      // Skipping a nested value of another member.
      if (b === QUOTE) this.inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth += 1;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) this.depth -= 1;
    }
    if (this.inElement) {
      this.elementChunks.push(Buffer.from(buf.subarray(this.elementStart, to)));
    }
  }

  /** Inside `features`: collects each element's bytes and hands it over when it closes. */
  private scanFeatures(buf: Buffer, at: number, to: number): number {
    for (let i = at; i < to; i += 1) {
      const b = buf[i] as number;
      if (i !== at && b === NEWLINE) this.line += 1;
      if (this.inElement) {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (b === BACKSLASH) this.escape = true;
          else if (b === QUOTE) this.inString = false;
          continue;
        }
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth += 1;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          this.depth -= 1;
          if (this.depth === 2) {
            this.elementChunks.push(Buffer.from(buf.subarray(this.elementStart, i + 1)));
            this.emit();
          }
        }
        continue;
      }
      if (b === 0x20 || b === 0x09 || b === 0x0d || b === NEWLINE) continue;
      if (b === COMMA) continue;
      if (b === CLOSE_BRACKET) {
        this.state = 'object';
        this.depth = 1;
        return i;
      }
      if (b !== OPEN_BRACE) this.fail('each element of "features" must be a Feature object');
      this.inElement = true;
      this.elementChunks = [];
      this.elementStart = i;
      this.elementLine = this.line;
      this.depth = 3;
    }
    return to - 1;
  }

  private emit(): void {
    const text = this.decoder.decode(Buffer.concat(this.elementChunks));
    this.inElement = false;
    this.elementChunks = [];
    let feature: unknown;
    try {
      feature = JSON.parse(text);
    } catch (e) {
      throw new CivitasError(
        'validation_failed',
        `${this.path} line ${this.elementLine}: feature ${this.elementIndex} is not valid JSON (${(e as Error).message})`,
      );
    }
    this.onFeature({ feature, line: this.elementLine, index: this.elementIndex });
    this.elementIndex += 1;
  }
}
