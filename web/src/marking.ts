// Security markings on screen. Each component that shows marked data registers its marking; the
// banners show their combination: the highest classification, releasable only to the audiences
// every item shares. Combining and wording come from src/domain/taxonomy, the same rule reports
// and exports use; colours come from the classification code list the server sends, falling back
// to the domain's own list.
import './zod-config.js';
import { useEffect, useId, useSyncExternalStore } from 'react';
import { Classification, combineMarkings, formatMarking } from '../../src/domain/taxonomy/index.js';
import type { ClassificationCode, Marking, Taxonomies } from './contract.js';

/** What the banners show. */
export interface Banner {
  classification: ClassificationCode;
  releasability: Marking['releasability'];
  exercise: boolean;
  text: string;
  background: string;
  foreground: string;
}

type Audiences = Marking['releasability'];

/** A marking as shown on screen, with whether its data is exercise data. */
export interface ScreenMarking {
  marking: Marking;
  exercise: boolean;
}

/**
 * Banner background and text colours of a classification: from the served code list, else the
 * domain's.
 *
 * @example classificationColours(null, 'NS'); // { background: '#C8102E', foreground: '#FFFFFF' }
 */
export function classificationColours(
  taxonomies: Taxonomies | null,
  code: ClassificationCode,
): { background: string; foreground: string } {
  const served = taxonomies?.classification?.find((entry) => entry.code === code);
  const known = Classification.get(code);
  const background = served?.bannerBackground;
  const foreground = served?.bannerText;
  return {
    background: isColour(background) ? background : known.bannerBackground,
    foreground: isColour(foreground) ? foreground : known.bannerText,
  };
}

function isColour(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-f]{3,8}$/i.test(value);
}

/**
 * The one-line text of a marking, as banners, reports and exports write it.
 *
 * @example
 *   markingText({ classification: 'NU', releasability: ['EU', 'UN'] }, true);
 *   // 'EXERCISE — NATO UNCLASSIFIED — RELEASABLE TO EU, UN'
 */
export function markingText(marking: Marking, exercise: boolean): string {
  return formatMarking(marking, { exercise });
}

/**
 * The banner for everything on screen: combined marking, and EXERCISE if any of it is exercise
 * data. With nothing marked on screen: NATO UNCLASSIFIED with no release beyond NATO.
 */
export function bannerFor(
  taxonomies: Taxonomies | null,
  onScreen: readonly ScreenMarking[],
): Banner {
  const marking = combineMarkings(onScreen.map((item) => item.marking));
  const exercise = onScreen.some((item) => item.exercise);
  return {
    ...marking,
    exercise,
    text: markingText(marking, exercise),
    ...classificationColours(taxonomies, marking.classification),
  };
}

// --- Registry of markings on screen ----------------------------------------------------------

const registry = new Map<string, ScreenMarking>();
let registrySnapshot: readonly ScreenMarking[] = [];
const registryListeners = new Set<() => void>();

function publish(): void {
  registrySnapshot = [...registry.values()];
  for (const listener of registryListeners) listener();
}

/**
 * Declares that the calling component shows data with this marking, for as long as it is mounted.
 * Pass null while nothing marked is shown.
 *
 * @example useScreenMarking(area ? { marking: area.marking, exercise: area.exercise } : null);
 */
export function useScreenMarking(item: ScreenMarking | null): void {
  const id = useId();
  const classification = item?.marking.classification;
  const releasability = item?.marking.releasability.join('\u0000');
  const exercise = item?.exercise;
  useEffect(() => {
    if (classification === undefined || releasability === undefined) return;
    registry.set(id, {
      marking: {
        classification,
        // Joined above only to compare by value; the codes are the marking's own.
        releasability: (releasability ? releasability.split('\u0000') : []) as Audiences,
      },
      exercise: exercise ?? false,
    });
    publish();
    return () => {
      registry.delete(id);
      publish();
    };
  }, [id, classification, releasability, exercise]);
}

/** All markings on screen now; re-renders when they change. */
export function useScreenMarkings(): readonly ScreenMarking[] {
  return useSyncExternalStore(
    (listener) => {
      registryListeners.add(listener);
      return () => registryListeners.delete(listener);
    },
    () => registrySnapshot,
  );
}
