// Shared, in-memory app state passed down by context: display settings and the code lists.
// Settings live only in memory on purpose: nothing is written to localStorage (SECURITY.md,
// ASVS 14.3.3), so a shared operations-room machine keeps no trace of the last user.
import { createContext, useContext } from 'react';
import type { Taxonomies } from './contract.js';

/** Military notation: MGRS, date-time groups, APP-6 symbols. Civil: lat/lon, ISO, plain icons. */
export type Notation = 'military' | 'civil';

/** Colour theme; dark is for operations rooms. */
export type Theme = 'light' | 'dark';

/** Display settings chosen by the user for this session. */
export interface Settings {
  notation: Notation;
  theme: Theme;
}

export const SettingsContext = createContext<Settings>({ notation: 'military', theme: 'light' });

/** The display settings of this session. */
export function useSettings(): Settings {
  return useContext(SettingsContext);
}

export const TaxonomyContext = createContext<Taxonomies | null>(null);

/** The code lists from `GET /api/taxonomies`, or null until (or unless) they load. */
export function useTaxonomies(): Taxonomies | null {
  return useContext(TaxonomyContext);
}
