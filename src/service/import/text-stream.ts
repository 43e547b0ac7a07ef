import type { Readable } from 'node:stream';
import { ImportContentError } from './import-result.js';

/** The text encodings readers accept. UTF-8 is the default and the only one JSON allows. */
export type TextEncoding = 'utf-8' | 'latin1';

/**
 * Decodes a byte stream to text chunk by chunk. A UTF-8 byte-order mark is dropped. Bytes that
 * are not valid in the encoding throw an {@link ImportContentError} naming the line, so a
 * Latin-1 file read as UTF-8 is reported rather than imported with mangled names. Errors of the
 * stream itself (a file that cannot be read) pass through unchanged.
 *
 * @example
 * for await (const text of decodeText(fs.createReadStream('a.csv'))) …
 */
export async function* decodeText(
  input: Readable,
  encoding: TextEncoding = 'utf-8',
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder(encoding === 'latin1' ? 'latin1' : 'utf-8', { fatal: true });
  let line = 1;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let decoded: string;
    try {
      decoded = decoder.decode(bytes, { stream: true });
    } catch {
      throw new ImportContentError(
        `the file is not valid ${encoding === 'utf-8' ? 'UTF-8' : encoding} (near line ${line}): save it as UTF-8${encoding === 'utf-8' ? ' or pass encoding "latin1"' : ''}`,
        line,
      );
    }
    line += countLines(decoded);
    if (decoded !== '') yield decoded;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new ImportContentError(
      `the file ends in the middle of a ${encoding} character: it is truncated or not UTF-8`,
      line,
    );
  }
  if (rest !== '') yield rest;
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/** A line of text and its number, from 1. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Splits text chunks into lines (LF or CRLF), numbering them from 1, and gives them an array per
 * chunk: a reader then handles a chunk's lines in one go, not one asynchronous step per line
 * (which costs more than parsing a short line). A line longer than `maxLength` characters throws
 * an {@link ImportContentError} (after the lines before it), so one endless line cannot exhaust
 * memory.
 *
 * @example
 * for await (const lines of splitLineBatches(decodeText(stream), 1_000_000)) for (const { line, text } of lines) …
 */
export async function* splitLineBatches(
  chunks: AsyncIterable<string>,
  maxLength: number,
): AsyncGenerator<NumberedLine[], void, undefined> {
  let pending = '';
  let line = 1;
  for await (const chunk of chunks) {
    const lines: NumberedLine[] = [];
    let start = 0;
    const tooLong = (): ImportContentError =>
      new ImportContentError(
        `line ${line} is longer than ${maxLength} characters: is the file really one record per line?`,
        line,
      );
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const piece = pending + chunk.slice(start, end);
      pending = '';
      if (piece.length > maxLength) {
        if (lines.length > 0) yield lines;
        throw tooLong();
      }
      lines.push({ line, text: piece.endsWith('\r') ? piece.slice(0, -1) : piece });
      line += 1;
      start = end + 1;
    }
    pending += chunk.slice(start);
    if (lines.length > 0) yield lines;
    if (pending.length > maxLength) throw tooLong();
  }
  if (pending !== '') {
    yield [{ line, text: pending.endsWith('\r') ? pending.slice(0, -1) : pending }];
  }
}

/**
 * Reads a whole stream as text, for formats that must be parsed whole (KML). More than
 * `maxBytes` throws an {@link ImportContentError} naming the limit.
 *
 * @example
 * const kml = await readAllText(stream, 64 * 1024 * 1024);
 */
export async function readAllText(
  input: Readable,
  maxBytes: number,
  encoding: TextEncoding = 'utf-8',
): Promise<string> {
  const parts: string[] = [];
  let length = 0;
  for await (const text of decodeText(input, encoding)) {
    length += Buffer.byteLength(text);
    if (length > maxBytes) {
      throw new ImportContentError(
        `the file is larger than ${maxBytes} bytes, the limit for this format: split it`,
      );
    }
    parts.push(text);
  }
  return parts.join('');
}
