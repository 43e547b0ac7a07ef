import { describe, expect, it } from 'vitest';
import {
  BLANK,
  FALLBACK,
  fnv1a,
  RecordScanner,
  SCANNED,
} from '../../src/service/screening/record-scanner.js';
import { seededRandom } from '../helpers/random.js';

const encoder = new TextEncoder();

/** What JSON.parse makes of a line, for comparison. */
function reference(line: string): { ok: false } | { ok: true; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false };
  }
}

/**
 * The scanner's promise: SCANNED only for lines JSON.parse accepts; and with every field present
 * and of the right type, exactly JSON.parse's id and numbers.
 */
function checkAgainstJsonParse(lines: string[], third: 'buffer_m' | 'radius_m') {
  const scanner = new RecordScanner(third);
  const text = lines.join('\n') + '\n';
  const buf = encoder.encode(text);
  let start = 0;
  let scannedFull = 0;
  for (const line of lines) {
    const status = scanner.scanLine(buf, start, buf.length);
    expect(scanner.lineEnd, line).toBe(start + encoder.encode(line).length);
    const ref = reference(line);
    if (status === BLANK) expect(line.trim(), line).toBe('');
    if (status === SCANNED) {
      expect(ref.ok, `scanned but JSON.parse rejects: ${line}`).toBe(true);
      if (scanner.seen === 15 && scanner.wrongType === '') {
        scannedFull += 1;
        const value = (ref as { value: Record<string, unknown> }).value;
        const id = new TextDecoder().decode(buf.subarray(scanner.idStart, scanner.idEnd));
        expect(id, line).toBe(value.id);
        expect(scanner.idHash).toBe(fnv1a(encoder.encode(id), 0, encoder.encode(id).length));
        expect(Object.is(scanner.numbers[0], value.lon), `lon of ${line}`).toBe(true);
        expect(Object.is(scanner.numbers[1], value.lat), `lat of ${line}`).toBe(true);
        expect(Object.is(scanner.numbers[2], value[third]), `${third} of ${line}`).toBe(true);
      }
    }
    if (status === FALLBACK) {
      // Fine either way: JSON.parse decides. But a plain well-formed record should not land here.
    }
    start = scanner.lineEnd + 1;
  }
  return scannedFull;
}

const NUMBERS = [
  '0',
  '-0',
  '1',
  '30.5',
  '-179.999999',
  '180',
  '0.1',
  '0.000001',
  '123456789012345',
  '1234567890123456789',
  '3.14159265358979323846',
  '1e3',
  '1E-7',
  '-2.5e+2',
  '9007199254740993',
  '0.30000000000000004',
  '1.7976931348623157e308',
  '5e-324',
  '50.40000000000001',
  '89.99999999999999',
];
const BAD_NUMBERS = [
  '01',
  '-',
  '1.',
  '.5',
  '+1',
  '1e',
  '1e+',
  '--1',
  '0x10',
  'NaN',
  'Infinity',
  '1.2.3',
];

describe('RecordScanner', () => {
  it('reads the contract shape exactly as JSON.parse does, numbers to the last bit', () => {
    const rnd = seededRandom(7);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i += 1) {
      const n = () => NUMBERS[Math.floor(rnd() * NUMBERS.length)] as string;
      lines.push(
        `{"id":"O${i}","lon":${n()},"lat":${n()},"category":"medical","list":"NSL","buffer_m":${n()}}`,
      );
    }
    // Random decimals with up to 17 significant digits, as other writers produce them.
    for (let i = 0; i < 3000; i += 1) {
      const lon = (rnd() * 360 - 180).toFixed(Math.floor(rnd() * 17));
      const lat = String(rnd() * 180 - 90);
      lines.push(`{"id":"R${i}","lon":${lon},"lat":${lat},"buffer_m":${Math.floor(rnd() * 1000)}}`);
    }
    expect(checkAgainstJsonParse(lines, 'buffer_m')).toBe(lines.length);
  });

  it('agrees with JSON.parse on odd but valid layouts and on broken lines', () => {
    const lines = [
      '',
      '   ',
      '{}',
      '{"id":"A","lon":1,"lat":2,"radius_m":3}',
      '  { "radius_m" : 3 , "lat" : 2 ,\t"lon" : 1 , "id" : "A2" }  ',
      '{"id":"A3","lon":1,"lat":2,"radius_m":3,"note":"a \\"quoted\\" word"}',
      '{"id":"A4","lon":1,"lat":2,"radius_m":3,"nested":{"a":[1,2]}}',
      '{"id":"A\\u0035","lon":1,"lat":2,"radius_m":3}',
      '{"id":"Zürich","lon":8.5,"lat":47.4,"radius_m":3}',
      '{"id":"A6","lon":1,"lat":2,"radius_m":3,"lon":4}',
      '{"id":"A7","lon":"1","lat":2,"radius_m":3}',
      '{"id":7,"lon":1,"lat":2,"radius_m":3}',
      '{"id":"A8","lon":1,"lat":2}',
      '{"id":"A9","lon":1,"lat":2,"radius_m":null,"x":true,"y":false}',
      '{"id":"A10","lon":1,"lat":2,"radius_m":3,}',
      '{"id":"A11","lon":1,"lat":2,"radius_m":3} x',
      '{"id":"A12","lon":1,"lat":2,"radius_m":3',
      '{"id":"A13" "lon":1,"lat":2,"radius_m":3}',
      '["A14",1,2,3]',
      '{"id":"A15","lon":1,"lat":2,"radius_m":3,"t":"tab\there"}',
      '{"id":"A16","lon":1,"lat":2,"radius_m":3,"u":"\\u00e9\\ud83d\\ude00"}',
      '{"id":"A17","lon":1,"lat":2,"radius_m":3,"bad":"\\x"}',
      '{"id":"","lon":1,"lat":2,"radius_m":3}',
      '{"id":"A18","lon":1,"lat":2,"radius_m":3,"flag":tru}',
      ...BAD_NUMBERS.map((n) => `{"id":"B${n}","lon":${n},"lat":2,"radius_m":3}`),
      ...NUMBERS.map((n) => `{"id":"N${n}","lon":1,"lat":2,"radius_m":${n}}`),
    ];
    checkAgainstJsonParse(lines, 'radius_m');
  });

  it('takes the template path only for lines of the same layout, and still gets every value right', () => {
    const rnd = seededRandom(11);
    const layouts = [
      (i: number, a: string, b: string, c: string) =>
        `{"id":"O${i}","lon":${a},"lat":${b},"category":"school","list":"RTL","buffer_m":${c}}`,
      (i: number, a: string, b: string, c: string) =>
        `{"buffer_m":${c},"lat":${b},"lon":${a},"id":"Q${i}"}`,
      (i: number, a: string, b: string, c: string) =>
        `{"id":"S${i}", "lon": ${a}, "lat": ${b}, "buffer_m": ${c}, "name": "Hôpital ${i}"}`,
      (i: number, a: string, b: string, c: string) =>
        `{"id":"T${i}","lon":${a},"lat":${b},"buffer_m":${c},"open":true,"beds":${i}}`,
    ];
    const lines: string[] = [];
    for (let i = 0; i < 4000; i += 1) {
      // Runs of one layout, then a switch — and now and then a line that almost matches.
      const layout = layouts[Math.floor(i / 37) % layouts.length]!;
      const n = () =>
        rnd() < 0.1
          ? (BAD_NUMBERS[Math.floor(rnd() * BAD_NUMBERS.length)] as string)
          : (NUMBERS[Math.floor(rnd() * NUMBERS.length)] as string);
      let line = layout(i, n(), n(), n());
      if (rnd() < 0.05) line = line.replace('"id":"', '"id":"\\u0041');
      if (rnd() < 0.05) line = line.replace('"lat"', '"la"');
      if (rnd() < 0.05) line = line.replace('}', ',"lat":1}');
      lines.push(line);
    }
    checkAgainstJsonParse(lines, 'buffer_m');
  });
});
