import { describe, expect, it } from 'vitest';
import { ImportContentError } from './import-result.js';
import { JsonArrayStreamer, type StreamedElement } from './json-stream.js';

const DOCUMENT = `{
  "type": "FeatureCollection",
  "name": "t\\u00e9st \\"quoted\\"",
  "features": [
    { "type": "Feature", "properties": { "n": -1.5e3, "ok": true, "no": false, "none": null } },
    {
      "type": "Feature",
      "properties": { "list": [1, [2, [3]], {}], "empty": "" }
    },
    "not a feature"
  ],
  "bbox": [0, 1, 2, 3]
}
`;

function feed(
  text: string,
  chunkSize: number,
  options = {},
): { elements: StreamedElement[]; root: unknown } {
  const streamer = new JsonArrayStreamer({ streamKey: 'features', ...options });
  const elements: StreamedElement[] = [];
  for (let i = 0; i < text.length; i += chunkSize) {
    elements.push(...streamer.write(text.slice(i, i + chunkSize)));
  }
  return { elements, root: streamer.end() };
}

function failure(text: string, options = {}): ImportContentError {
  try {
    feed(text, 7, options);
  } catch (error) {
    if (error instanceof ImportContentError) return error;
    throw error;
  }
  throw new Error('expected the text to be rejected');
}

describe('JsonArrayStreamer', () => {
  it('hands out the elements of the streamed array as JSON.parse reads them, in any chunking', () => {
    const expected = JSON.parse(DOCUMENT) as { features: unknown[] };
    for (const size of [1, 2, 3, 5, 64, DOCUMENT.length]) {
      const { elements, root } = feed(DOCUMENT, size);
      expect(elements.map((e) => e.value)).toEqual(expected.features);
      expect(root).toEqual({ ...expected, features: [] });
    }
  });

  it('gives each element its index and the line it starts on', () => {
    const { elements } = feed(DOCUMENT, 10);
    expect(elements.map((e) => [e.index, e.line])).toEqual([
      [0, 5],
      [1, 6],
      [2, 10],
    ]);
  });

  it('does not keep handed-out elements', () => {
    const { root } = feed(DOCUMENT, 16);
    expect((root as { features: unknown[] }).features).toEqual([]);
  });

  it('streams nothing from arrays elsewhere in the document', () => {
    const { elements, root } = feed('{"other": {"features": [1, 2]}, "features": [3]}', 4);
    expect(elements.map((e) => e.value)).toEqual([3]);
    expect(root).toEqual({ other: { features: [1, 2] }, features: [] });
  });

  it('makes "__proto__" an own property, never the prototype', () => {
    const { elements } = feed('{"features": [{"__proto__": {"polluted": true}}]}', 3);
    const value = elements[0]?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a missing comma', '{\n "features": [\n {"a": 1 "b": 2}\n ]\n}', 3, /expected ',' or '}'/],
    ['a trailing comma', '{"features": [1,]}', 1, /expected a value, found '\]'/],
    ['an unquoted key', '{\n\n  features: []}', 3, /expected a property name in double quotes/],
    ['a bad literal', '{"features": [tru]}', 1, /"tru" is not a JSON value/],
    ['a bad number', '{"features": [01]}', 1, /"01" is not a JSON number/],
    ['a bad escape', '{"features": ["\\x"]}', 1, /invalid escape/],
    [
      'a raw newline in a string',
      '{"features": ["a\nb"]}',
      1,
      /not closed before the end of the line/,
    ],
    ['text after the document', '{"features": []} {}', 1, /after the end of the JSON document/],
  ])('rejects %s, naming the line', (_what, text, line, message) => {
    const error = failure(text);
    expect(error.message).toMatch(message);
    expect(error.line).toBe(line);
  });

  it('rejects a document cut short, naming the element it ends in', () => {
    const cut = DOCUMENT.slice(0, DOCUMENT.indexOf('"empty"'));
    expect(failure(cut).message).toMatch(
      /the file ends inside element 1 of "features" \(which starts on line 6\): it is truncated/,
    );
    expect(failure('').message).toMatch(/ends before the JSON document is complete/);
  });

  it('limits nesting depth and element size', () => {
    expect(failure('{"features": [[[[[[1]]]]]]}', { maxDepth: 4 }).message).toMatch(
      /nested deeper than 4 levels/,
    );
    const big = `{"features": [${JSON.stringify('x'.repeat(200))}]}`;
    expect(failure(big, { maxElementChars: 100 }).message).toMatch(
      /element 0 of "features" is larger than 100 characters/,
    );
    const outside = `{"name": ${JSON.stringify('x'.repeat(200))}, "features": []}`;
    expect(failure(outside, { maxElementChars: 100 }).message).toMatch(
      /outside "features" is larger/,
    );
  });

  it('reads a document that is not an object whole', () => {
    expect(feed('[1, 2]', 1).root).toEqual([1, 2]);
    expect(feed(' 42 ', 1).root).toBe(42);
  });
});
