import { ImportContentError } from './import-result.js';

/**
 * One element of the streamed array, complete.
 *
 * @example
 * { index: 0, line: 3, value: { type: 'Feature', … } }
 */
export interface StreamedElement {
  /** 0-based position in the array. */
  readonly index: number;
  /** 1-based line where the element starts. */
  readonly line: number;
  readonly value: unknown;
}

/**
 * Options of {@link JsonArrayStreamer}.
 *
 * @example
 * const options: JsonArrayStreamerOptions = { streamKey: 'features', maxElementChars: 16e6 };
 */
export interface JsonArrayStreamerOptions {
  /** The member of the top-level object whose array elements are handed out one by one. */
  readonly streamKey: string;
  /** Deepest nesting accepted (a MultiPolygon feature needs 8). Default 64. */
  readonly maxDepth?: number;
  /** Largest single element, and largest rest of the document, in characters. Default 64 Mi. */
  readonly maxElementChars?: number;
}

type Expect = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'comma-or-end';

interface ObjectFrame {
  readonly kind: 'object';
  readonly value: Record<string, unknown>;
  key: string | undefined;
  expect: Expect;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly value: unknown[];
  readonly streamed: boolean;
  count: number;
  expect: Expect;
}

type Frame = ObjectFrame | ArrayFrame;

type Token =
  | { kind: 'string'; parts: string[]; escaped: boolean; escape: boolean; isKey: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'literal'; text: string };

const NUMBER_PATTERN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A streaming JSON parser for one shape: a top-level object with one large array member (a
 * GeoJSON FeatureCollection's `features`). It is fed text chunk by chunk and hands out each
 * element of that array as soon as it is complete, with the line it starts on, keeping only
 * one element in memory; the rest of the document is kept and returned by {@link end}.
 *
 * Syntax errors, truncation and the limits throw an {@link ImportContentError} with the line
 * and column. Written for Civitas rather than taken from a library so that every feature
 * carries its line number and untrusted files meet depth and size limits.
 *
 * @example
 * const streamer = new JsonArrayStreamer({ streamKey: 'features' });
 * for (const element of streamer.write('{"type":"FeatureCollection","features":[{}')) …
 * streamer.write(']}');
 * streamer.end(); // { type: 'FeatureCollection', features: [] }
 */
export class JsonArrayStreamer {
  readonly #streamKey: string;
  readonly #maxDepth: number;
  readonly #maxChars: number;
  readonly #stack: Frame[] = [];
  #token: Token | undefined;
  #root: unknown;
  #done = false;
  #line = 1;
  #column = 0;
  #offset = 0;
  #elementLine = 0;
  #elementStart = -1;
  #out: StreamedElement[] = [];
  #outside = 0;
  #streamedCount = 0;

  constructor(options: JsonArrayStreamerOptions) {
    this.#streamKey = options.streamKey;
    this.#maxDepth = options.maxDepth ?? 64;
    this.#maxChars = options.maxElementChars ?? 64 * 1024 * 1024;
  }

  /** How many elements of the streamed array have been handed out so far. */
  get count(): number {
    return this.#streamedCount;
  }

  /** Parses the next chunk; returns the array elements it completed, in order. */
  write(chunk: string): StreamedElement[] {
    this.#out = [];
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      const token = this.#token;
      if (token?.kind === 'string' && !token.escape) {
        // Fast path: take a run of plain string characters in one slice.
        let j = i;
        while (j < length) {
          const c = chunk.charCodeAt(j);
          if (c === 34 || c === 92 || c < 32) break;
          j += 1;
        }
        if (j > i) {
          token.parts.push(chunk.slice(i, j));
          this.#advance(j - i);
          i = j;
          continue;
        }
      } else if (token !== undefined && token.kind !== 'string') {
        // Fast path: take the rest of a number or literal in one slice.
        let j = i;
        while (j < length && belongsTo(token.kind, chunk.charCodeAt(j))) j += 1;
        if (j > i) {
          token.text += chunk.slice(i, j);
          if (token.text.length > 64) {
            throw this.#error(`"${token.text.slice(0, 20)}…" is not a JSON value`);
          }
          this.#advance(j - i);
          i = j;
          continue;
        }
      }
      const code = chunk.charCodeAt(i);
      // False when the character ended a number or literal without belonging to it: the
      // same character is then read again.
      if (this.#consume(code, chunk, i)) {
        if (code === 10) {
          this.#line += 1;
          this.#column = -1;
        }
        this.#advance(1);
        i += 1;
      }
    }
    return this.#out;
  }

  /** Moves the position on by `count` characters of one line, enforcing the size limits. */
  #advance(count: number): void {
    this.#offset += count;
    this.#column += count;
    if (this.#elementStart >= 0) {
      if (this.#offset - this.#elementStart > this.#maxChars) {
        throw this.#error(
          `element ${this.count} of "${this.#streamKey}" is larger than ${this.#maxChars} characters`,
        );
      }
    } else if ((this.#outside += count) > this.#maxChars) {
      throw this.#error(
        `the document outside "${this.#streamKey}" is larger than ${this.#maxChars} characters: is it a FeatureCollection?`,
      );
    }
  }

  /** Ends the input; returns the document without the streamed array's elements. */
  end(): unknown {
    const token = this.#token;
    if (token !== undefined && token.kind !== 'string') {
      this.#token = undefined;
      this.#finishToken(token);
    }
    if (!this.#done) {
      throw this.#error(
        this.#elementStart >= 0
          ? `the file ends inside element ${this.count} of "${this.#streamKey}" (which starts on line ${this.#elementLine}): it is truncated`
          : 'the file ends before the JSON document is complete: it is truncated',
      );
    }
    return this.#root;
  }

  #error(message: string): ImportContentError {
    return new ImportContentError(
      `${message} (line ${this.#line}, column ${this.#column + 1})`,
      this.#line,
    );
  }

  /** Handles one character; false when the character must be read again (it ended a token). */
  #consume(code: number, chunk: string, i: number): boolean {
    const token = this.#token;
    if (token !== undefined) {
      if (token.kind === 'string') {
        this.#stringChar(token, code, chunk, i);
        return true;
      }
      if (belongsTo(token.kind, code)) {
        token.text += chunk[i];
        if (token.text.length > 64)
          throw this.#error(`"${token.text.slice(0, 20)}…" is not a JSON value`);
        return true;
      }
      this.#token = undefined;
      this.#finishToken(token);
      return false;
    }
    if (code === 32 || code === 10 || code === 13 || code === 9) return true;
    if (this.#done) throw this.#error('unexpected text after the end of the JSON document');
    const frame = this.#stack[this.#stack.length - 1];
    const expect: Expect = frame === undefined ? 'value' : frame.expect;
    switch (expect) {
      case 'value':
      case 'value-or-end':
        if (code === 93 && expect === 'value-or-end' && frame?.kind === 'array') {
          this.#close();
          return true;
        }
        this.#beginValue(code, chunk[i] as string);
        return true;
      case 'key':
      case 'key-or-end':
        if (code === 34) {
          this.#token = { kind: 'string', parts: [], escaped: false, escape: false, isKey: true };
        } else if (code === 125 && expect === 'key-or-end') {
          this.#close();
        } else {
          throw this.#error(
            expect === 'key'
              ? `expected a property name in double quotes after ',', found ${show(chunk[i])}`
              : `expected a property name in double quotes or '}', found ${show(chunk[i])}`,
          );
        }
        return true;
      case 'colon':
        if (code !== 58)
          throw this.#error(`expected ':' after the property name, found ${show(chunk[i])}`);
        (frame as ObjectFrame).expect = 'value';
        return true;
      case 'comma-or-end': {
        const current = frame as Frame;
        if (code === 44) {
          current.expect = current.kind === 'object' ? 'key' : 'value';
        } else if (
          (code === 125 && current.kind === 'object') ||
          (code === 93 && current.kind === 'array')
        ) {
          this.#close();
        } else {
          throw this.#error(
            `expected ',' or '${current.kind === 'object' ? '}' : ']'}', found ${show(chunk[i])}`,
          );
        }
        return true;
      }
    }
  }

  #beginValue(code: number, char: string): void {
    const parent = this.#stack[this.#stack.length - 1];
    if (parent?.kind === 'array' && parent.streamed) {
      this.#elementLine = this.#line;
      this.#elementStart = this.#offset;
    }
    if (code === 123 || code === 91) {
      if (this.#stack.length >= this.#maxDepth) {
        throw this.#error(`the JSON is nested deeper than ${this.#maxDepth} levels`);
      }
      if (code === 123) {
        this.#stack.push({ kind: 'object', value: {}, key: undefined, expect: 'key-or-end' });
      } else {
        const root = this.#stack[0];
        const streamed =
          this.#stack.length === 1 && root?.kind === 'object' && root.key === this.#streamKey;
        this.#stack.push({ kind: 'array', value: [], streamed, count: 0, expect: 'value-or-end' });
      }
    } else if (code === 34) {
      this.#token = { kind: 'string', parts: [], escaped: false, escape: false, isKey: false };
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      this.#token = { kind: 'number', text: char };
    } else if (code >= 97 && code <= 122) {
      this.#token = { kind: 'literal', text: char };
    } else {
      throw this.#error(`expected a value, found ${show(char)}`);
    }
  }

  #stringChar(
    token: Extract<Token, { kind: 'string' }>,
    code: number,
    chunk: string,
    i: number,
  ): void {
    if (token.escape) {
      token.escape = false;
    } else if (code === 92) {
      token.escape = true;
      token.escaped = true;
    } else if (code === 34) {
      this.#token = undefined;
      const raw = token.parts.length === 1 ? (token.parts[0] as string) : token.parts.join('');
      let value = raw;
      if (token.escaped) {
        // JSON.parse decodes (and checks) the escapes, surrogate pairs included.
        try {
          value = JSON.parse(`"${raw}"`) as string;
        } catch {
          throw this.#error('invalid escape sequence in a string');
        }
      }
      if (token.isKey) {
        const frame = this.#stack[this.#stack.length - 1] as ObjectFrame;
        frame.key = value;
        frame.expect = 'colon';
      } else {
        this.#complete(value);
      }
      return;
    } else if (code < 32) {
      throw this.#error(
        code === 10
          ? 'a string is not closed before the end of the line'
          : 'control character in a string',
      );
    }
    token.parts.push(chunk[i] as string);
  }

  #finishToken(token: Exclude<Token, { kind: 'string' }>): void {
    if (token.kind === 'number') {
      if (!NUMBER_PATTERN.test(token.text))
        throw this.#error(`"${token.text}" is not a JSON number`);
      this.#complete(Number(token.text));
      return;
    }
    switch (token.text) {
      case 'true':
        this.#complete(true);
        return;
      case 'false':
        this.#complete(false);
        return;
      case 'null':
        this.#complete(null);
        return;
      default:
        throw this.#error(`"${token.text}" is not a JSON value (use true, false, null or quotes)`);
    }
  }

  #close(): void {
    const frame = this.#stack.pop() as Frame;
    this.#complete(frame.value);
  }

  #complete(value: unknown): void {
    const frame = this.#stack[this.#stack.length - 1];
    if (frame === undefined) {
      this.#root = value;
      this.#done = true;
      return;
    }
    if (frame.kind === 'object') {
      const key = frame.key as string;
      if (key === '__proto__') {
        // Like JSON.parse, "__proto__" becomes an own property, never the prototype.
        Object.defineProperty(frame.value, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        frame.value[key] = value;
      }
      frame.key = undefined;
    } else if (frame.streamed) {
      this.#out.push({ index: frame.count, line: this.#elementLine, value });
      this.#elementStart = -1;
      frame.count += 1;
      this.#streamedCount = frame.count;
    } else {
      frame.value.push(value);
    }
    frame.expect = 'comma-or-end';
  }
}

/** Whether a character continues a number (digits, sign, point, exponent) or a literal. */
function belongsTo(kind: 'number' | 'literal', code: number): boolean {
  if (kind === 'literal') return code >= 97 && code <= 122;
  return (
    (code >= 48 && code <= 57) ||
    code === 45 ||
    code === 43 ||
    code === 46 ||
    code === 101 ||
    code === 69
  );
}

function show(char: string | undefined): string {
  return char === undefined ? 'the end' : `'${char}'`;
}
