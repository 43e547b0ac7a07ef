import { describe, it, expect } from 'vitest';
import { Classification, classificationSchema } from './classification.js';

/** WCAG 2.1 relative luminance of a #RRGGBB colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio between two #RRGGBB colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The dominant channel of a #RRGGBB colour, to check a banner's hue family. */
function dominant(hex: string): 'red' | 'green' | 'blue' {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  if (r >= g && r >= b) return 'red';
  return g >= b ? 'green' : 'blue';
}

describe('contrast (test helper)', () => {
  it('matches the known extremes', () => {
    expect(contrast('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#777777')).toBeCloseTo(1, 5);
  });
});

describe('Classification', () => {
  it('lists the NATO levels from lowest to highest', () => {
    expect(Classification.codes).toEqual(['NU', 'NR', 'NC', 'NS', 'CTS']);
    expect(Classification.entries.map((e) => e.label)).toEqual([
      'NATO UNCLASSIFIED',
      'NATO RESTRICTED',
      'NATO CONFIDENTIAL',
      'NATO SECRET',
      'COSMIC TOP SECRET',
    ]);
  });

  it('ranks them with a strictly increasing order that matches the list order', () => {
    expect(Classification.entries.map((e) => e.order)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives every level banner colours as #RRGGBB with WCAG AA contrast', () => {
    for (const entry of Classification.entries) {
      expect(entry.bannerBackground).toMatch(/^#[0-9A-F]{6}$/);
      expect(entry.bannerText).toMatch(/^#[0-9A-F]{6}$/);
      expect(contrast(entry.bannerBackground, entry.bannerText)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives every level its own background, so levels are told apart at a glance', () => {
    const backgrounds = Classification.entries.map((e) => e.bannerBackground);
    expect(new Set(backgrounds).size).toBe(backgrounds.length);
  });

  it('follows the classified-system colour convention', () => {
    expect(dominant(Classification.get('NU').bannerBackground)).toBe('green');
    expect(dominant(Classification.get('NC').bannerBackground)).toBe('blue');
    expect(dominant(Classification.get('NS').bannerBackground)).toBe('red');
    expect(Classification.get('CTS').bannerBackground).toBe('#FF8C00');
  });

  it('rejects national and informal level names', () => {
    for (const bad of ['SECRET', 'UNCLASSIFIED', 'NATO SECRET', 'ns', 'TS', 'CUI']) {
      expect(classificationSchema.safeParse(bad).success).toBe(false);
    }
  });
});
