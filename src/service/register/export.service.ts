import { canSee } from '../../domain/access/viewer.js';
import type { ProtectedGeometry } from '../../domain/protected-object/protected-object.js';
import type { ReleaseItem } from '../../domain/protected-object/register.js';
import { combineMarkings, formatMarking, type Marking } from '../../domain/taxonomy/index.js';
import { authorize, viewerOf } from '../access/access.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { csvWithMarking } from '../export/csv.js';
import { releaseItems } from './release.service.js';

/** Export formats of the register. */
export const EXPORT_FORMATS = ['geojson', 'csv', 'kml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One exported object, from the register or a release. */
interface Row {
  readonly id: string;
  readonly source: string;
  readonly sourceRef: string;
  readonly name: string;
  readonly nameLatin: string | null;
  readonly category: string;
  readonly protection: string;
  readonly list: string | null;
  readonly restriction: string | null;
  readonly bufferMetres: number;
  readonly mgrs: string | null;
  readonly geometry: ProtectedGeometry;
  readonly marking: Marking;
}

/** HXL hashtags of the CSV export (the CSV importer reads them back). */
export const EXPORT_HXL: Record<string, string> = {
  id: '#meta+id',
  source: '#meta+source',
  name: '#loc+name',
  name_latin: '#loc+name+i_en',
  category: '#meta+category',
  protection: '#meta+protection',
  list: '#meta+list',
  restriction: '#meta+restriction',
  buffer_m: '#meta+buffer_m',
  lat: '#geo+lat',
  lon: '#geo+lon',
  mgrs: '#geo+mgrs',
  classification: '#meta+classification',
  releasability: '#meta+releasability',
};

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

function kmlGeometry(g: ProtectedGeometry): string {
  const coords = (ps: readonly (readonly number[])[]) => ps.map((p) => `${p[0]},${p[1]}`).join(' ');
  const polygon = (rings: readonly (readonly (readonly number[])[])[]) =>
    `<Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(rings[0] ?? [])}</coordinates></LinearRing></outerBoundaryIs>${rings
      .slice(1)
      .map(
        (r) =>
          `<innerBoundaryIs><LinearRing><coordinates>${coords(r)}</coordinates></LinearRing></innerBoundaryIs>`,
      )
      .join('')}</Polygon>`;
  switch (g.type) {
    case 'Point':
      return `<Point><coordinates>${g.coordinates[0]},${g.coordinates[1]}</coordinates></Point>`;
    case 'LineString':
      return `<LineString><coordinates>${coords(g.coordinates)}</coordinates></LineString>`;
    case 'Polygon':
      return polygon(g.coordinates);
    case 'MultiPoint':
      return `<MultiGeometry>${g.coordinates.map((p) => `<Point><coordinates>${p[0]},${p[1]}</coordinates></Point>`).join('')}</MultiGeometry>`;
    case 'MultiLineString':
      return `<MultiGeometry>${g.coordinates.map((l) => `<LineString><coordinates>${coords(l)}</coordinates></LineString>`).join('')}</MultiGeometry>`;
    case 'MultiPolygon':
      return `<MultiGeometry>${g.coordinates.map(polygon).join('')}</MultiGeometry>`;
  }
}

function centre(g: ProtectedGeometry): [number, number] {
  let x = 0;
  let y = 0;
  let n = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      x += v[0] as number;
      y += v[1] as number;
      n += 1;
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(g.coordinates);
  return [x / n, y / n];
}

/** Renders rows in a format, with the file's marking in every format. */
export function renderExport(
  rows: readonly Row[],
  format: ExportFormat,
  fileMarking: string,
): string {
  if (format === 'geojson') {
    return JSON.stringify({
      type: 'FeatureCollection',
      marking: fileMarking,
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: r.geometry,
        properties: {
          id: r.id,
          source: r.source,
          source_id: r.sourceRef,
          name: r.name,
          name_latin: r.nameLatin,
          category: r.category,
          protection: r.protection,
          list: r.list,
          restriction: r.restriction,
          buffer_m: r.bufferMetres,
          mgrs: r.mgrs,
          marking: formatMarking(r.marking),
          classification: r.marking.classification,
          releasability: r.marking.releasability,
        },
      })),
    });
  }
  if (format === 'csv') {
    const header = Object.keys(EXPORT_HXL);
    return csvWithMarking(fileMarking, header, [
      header.map((h) => EXPORT_HXL[h]!),
      ...rows.map((r) => {
        const [lon, lat] =
          r.geometry.type === 'Point' ? r.geometry.coordinates : centre(r.geometry);
        return [
          r.sourceRef,
          r.source,
          r.name,
          r.nameLatin ?? '',
          r.category,
          r.protection,
          r.list ?? '',
          r.restriction ?? '',
          r.bufferMetres,
          lat,
          lon,
          r.mgrs ?? '',
          r.marking.classification,
          r.marking.releasability.join(' '),
        ];
      }),
    ]);
  }
  const placemarks = rows
    .map(
      (r) =>
        `<Placemark id="${escapeXml(r.id)}"><name>${escapeXml(r.name)}</name><description>${escapeXml(
          `${r.category} — ${r.list ?? 'not listed'}${r.restriction ? ` — ${r.restriction}` : ''} — buffer ${r.bufferMetres} m — ${formatMarking(r.marking)}`,
        )}</description><ExtendedData><Data name="id"><value>${escapeXml(r.sourceRef)}</value></Data><Data name="source"><value>${escapeXml(
          r.source,
        )}</value></Data><Data name="category"><value>${r.category}</value></Data><Data name="protection"><value>${r.protection}</value></Data><Data name="buffer_m"><value>${r.bufferMetres}</value></Data>${
          r.list ? `<Data name="list"><value>${r.list}</value></Data>` : ''
        }${r.restriction ? `<Data name="restriction"><value>${escapeXml(r.restriction)}</value></Data>` : ''}<Data name="classification"><value>${r.marking.classification}</value></Data></ExtendedData>${kmlGeometry(r.geometry)}</Placemark>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${escapeXml(
    fileMarking,
  )}</name><description>${escapeXml(fileMarking)}</description>\n${placemarks}\n</Document></kml>\n`;
}

/**
 * Exports the current register (what the actor may see) or one release, in GeoJSON, CSV with HXL
 * hashtags, or KML. Every file carries the marking of its contents: the highest classification
 * and the common releasability. The export is audited.
 */
export async function exportObjects(
  deps: ServiceDeps,
  actor: Actor | undefined,
  options: { format: ExportFormat; release?: string },
): Promise<{ body: string; marking: Marking; count: number }> {
  await authorize(deps, actor, 'protected_object', 'export');
  let rows: Row[];
  if (options.release) {
    const { items } = await releaseItems(deps, actor, options.release);
    rows = items.map((i: ReleaseItem) => ({
      id: i.objectId,
      source: i.source,
      sourceRef: i.sourceRef,
      name: i.name,
      nameLatin: i.nameLatin,
      category: i.category,
      protection: i.protection,
      list: i.list,
      restriction: i.restriction,
      bufferMetres: i.bufferMetres,
      mgrs: i.mgrs,
      geometry: i.geometry,
      marking: i.marking,
    }));
  } else {
    rows = [];
    for (let offset = 0; ; offset += 500) {
      const page = await deps.store.objects.search(viewerOf(actor!), {}, { limit: 500, offset });
      rows.push(...page.items);
      if (page.items.length < 500) break;
    }
  }
  const visible = rows.filter((r) => canSee(viewerOf(actor!), r.marking, null));
  const marking = combineMarkings(visible.map((r) => r.marking));
  const body = renderExport(visible, options.format, formatMarking(marking));
  await deps.store.audit.append(
    {
      actor: actor!.id,
      action: 'objects.export',
      recordType: 'protected_object',
      recordId: options.release ? `release:${options.release}` : '*',
      detail: { format: options.format, count: visible.length },
    },
    deps.now(),
  );
  return { body, marking, count: visible.length };
}
