import type { Marking } from '../taxonomy/index.js';
import type {
  ListKind,
  ObjectCategory,
  ProtectedGeometry,
  ProtectionBasis,
} from './protected-object.js';
import type { CrossCuttingTopic } from '../taxonomy/index.js';

/**
 * A protected object in the register: what an importer or a user supplied, plus its id, its
 * place on a list (NSL or RTL, or none), its MGRS and centroid, and a version that counts edits.
 *
 * @example
 * { id, name: 'Landesspital', category: 'medical', list: 'NSL', bufferMetres: 300, centroid: [9.52, 47.14], ... }
 */
export interface ProtectedObject {
  readonly id: string;
  readonly source: string;
  readonly sourceRef: string;
  readonly name: string;
  readonly nameLatin: string | null;
  readonly category: ObjectCategory;
  readonly protection: ProtectionBasis;
  readonly geometry: ProtectedGeometry;
  readonly bufferMetres: number;
  readonly mgrs: string | null;
  readonly centroid: readonly [number, number];
  readonly topics: readonly CrossCuttingTopic[];
  readonly list: ListKind | null;
  readonly restriction: string | null;
  readonly marking: Marking;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** What a release freezes of each object on a list. */
export interface ReleaseItem {
  readonly objectId: string;
  readonly source: string;
  readonly sourceRef: string;
  readonly name: string;
  readonly nameLatin: string | null;
  readonly category: ObjectCategory;
  readonly protection: ProtectionBasis;
  readonly list: ListKind;
  readonly restriction: string | null;
  readonly bufferMetres: number;
  readonly centroid: readonly [number, number];
  readonly mgrs: string | null;
  readonly geometry: ProtectedGeometry;
  readonly marking: Marking;
}

/** A release moves draft → review → released; the approver must not be the author. */
export type ReleaseStatus = 'draft' | 'review' | 'released';

/** A versioned NSL/RTL release. `number` is given when it is released. */
export interface Release {
  readonly id: string;
  readonly number: number | null;
  readonly status: ReleaseStatus;
  readonly title: string;
  readonly author: string;
  readonly approver: string | null;
  readonly marking: Marking;
  readonly objectCount: number;
  readonly createdAt: string;
  readonly submittedAt: string | null;
  readonly releasedAt: string | null;
}

/** The fields whose change a release diff reports (position changes are "moved"). */
export const DIFFED_FIELDS = [
  'name',
  'nameLatin',
  'category',
  'protection',
  'list',
  'restriction',
  'bufferMetres',
  'marking',
] as const;
