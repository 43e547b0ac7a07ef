import { describe, it, expect } from 'vitest';
import {
  CORE_CROSS_CUTTING_TOPICS,
  CrossCuttingTopic,
  crossCuttingTopicSchema,
} from './cross-cutting-topic.js';

describe('CrossCuttingTopic', () => {
  it('lists the five topics of the Human Security Approach, then the two connected agendas', () => {
    expect(CrossCuttingTopic.codes).toEqual(['PoC', 'CAAC', 'CRSV', 'CTHB', 'CPP', 'WPS', 'BI']);
  });

  it('marks exactly WPS and BI as connected', () => {
    const connected = CrossCuttingTopic.entries.filter((e) => e.connected).map((e) => e.code);
    expect(connected).toEqual(['WPS', 'BI']);
    expect(CORE_CROSS_CUTTING_TOPICS).toEqual(['PoC', 'CAAC', 'CRSV', 'CTHB', 'CPP']);
  });

  it('names every topic and its basis', () => {
    expect(CrossCuttingTopic.label('PoC')).toBe('Protection of Civilians');
    expect(CrossCuttingTopic.label('CTHB')).toBe('Combatting Trafficking in Human Beings');
    for (const entry of CrossCuttingTopic.entries) expect(entry.basis.trim()).not.toBe('');
    expect(CrossCuttingTopic.get('CPP').basis).toMatch(/1954 Hague Convention/);
  });

  it('is case-sensitive, because codes are stored as written', () => {
    expect(crossCuttingTopicSchema.safeParse('POC').success).toBe(false);
    expect(crossCuttingTopicSchema.safeParse('poc').success).toBe(false);
    expect(crossCuttingTopicSchema.parse('PoC')).toBe('PoC');
  });
});
