import type { Readable } from 'node:stream';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { importFeature } from './geojson.reader.js';
import {
  contentErrorResult,
  ImportContentError,
  ImportResult,
  withUniqueSourceIds,
  type ImportOptions,
} from './import-result.js';
import { readAllText } from './text-stream.js';

/**
 * Options of {@link readKml}.
 *
 * @example
 * const options: KmlReaderOptions = { source: 'my-maps', maxBytes: 16 * 1024 * 1024 };
 */
export interface KmlReaderOptions extends ImportOptions {
  /** Largest file read, in bytes: KML is parsed whole. Default 64 MiB. */
  readonly maxBytes?: number;
}

type Geometry = { type: string; coordinates: unknown };

/** A geometry that cannot be read, with the message to report. */
class KmlGeometryError extends Error {}

function childElements(element: Element): Element[] {
  const children: Element[] = [];
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1) children.push(node as Element);
  }
  return children;
}

function child(element: Element, localName: string): Element | undefined {
  return childElements(element).find((e) => e.localName === localName);
}

/** Parses a KML `<coordinates>` text: tuples `lon,lat[,alt]` separated by white space. */
function coordinatesOf(element: Element | undefined, owner: string): number[][] {
  const text = element?.textContent?.trim() ?? '';
  if (text === '') throw new KmlGeometryError(`the ${owner} has no <coordinates>`);
  return text.split(/\s+/).map((tuple) => {
    const numbers = tuple.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
    if (numbers.length < 2 || numbers.length > 3 || numbers.some((n) => !Number.isFinite(n))) {
      throw new KmlGeometryError(
        `the ${owner} has the coordinate "${tuple}": write lon,lat or lon,lat,altitude in decimal degrees`,
      );
    }
    return numbers;
  });
}

function ringOf(boundary: Element | undefined, owner: string): number[][] {
  const ring = boundary === undefined ? undefined : child(boundary, 'LinearRing');
  if (ring === undefined) throw new KmlGeometryError(`the ${owner} has no <LinearRing>`);
  return coordinatesOf(child(ring, 'coordinates'), owner);
}

/** The geometries of a Placemark (or MultiGeometry), flattened; rings are not repaired. */
function geometriesOf(parent: Element): Geometry[] {
  const found: Geometry[] = [];
  for (const element of childElements(parent)) {
    switch (element.localName) {
      case 'Point': {
        const [position, ...rest] = coordinatesOf(child(element, 'coordinates'), 'Point');
        if (rest.length > 0) throw new KmlGeometryError('the Point has more than one coordinate');
        found.push({ type: 'Point', coordinates: position });
        break;
      }
      case 'LineString':
        found.push({
          type: 'LineString',
          coordinates: coordinatesOf(child(element, 'coordinates'), 'LineString'),
        });
        break;
      case 'LinearRing':
        found.push({
          type: 'Polygon',
          coordinates: [coordinatesOf(child(element, 'coordinates'), 'LinearRing')],
        });
        break;
      case 'Polygon': {
        const outer = ringOf(child(element, 'outerBoundaryIs'), 'Polygon outer boundary');
        const inner = childElements(element)
          .filter((e) => e.localName === 'innerBoundaryIs')
          .map((e) => ringOf(e, 'Polygon inner boundary'));
        found.push({ type: 'Polygon', coordinates: [outer, ...inner] });
        break;
      }
      case 'MultiGeometry':
        found.push(...geometriesOf(element));
        break;
      case 'Track':
      case 'MultiTrack':
      case 'Model':
        throw new KmlGeometryError(
          `<${element.localName}> is not supported: use Point, LineString or Polygon`,
        );
    }
  }
  return found;
}

/** One geometry for a Placemark: the single one, or a Multi* of geometries of one kind. */
function placemarkGeometry(placemark: Element): Geometry | undefined {
  const geometries = geometriesOf(placemark);
  if (geometries.length <= 1) return geometries[0];
  const types = new Set(geometries.map((g) => g.type));
  if (types.size > 1) {
    throw new KmlGeometryError(
      `the MultiGeometry mixes ${[...types].join(' and ')}: a protected object has one kind of shape, so split it into Placemarks`,
    );
  }
  return {
    type: `Multi${geometries[0]?.type ?? ''}`,
    coordinates: geometries.map((g) => g.coordinates),
  };
}

/** `<ExtendedData>`: `<Data name><value>` pairs and `<SchemaData><SimpleData name>` values. */
function extendedData(placemark: Element): Record<string, string> {
  const data: Record<string, string> = {};
  const extended = child(placemark, 'ExtendedData');
  if (extended === undefined) return data;
  for (const element of childElements(extended)) {
    if (element.localName === 'Data') {
      const name = element.getAttribute('name');
      if (name) data[name] = child(element, 'value')?.textContent?.trim() ?? '';
    } else if (element.localName === 'SchemaData') {
      for (const simple of childElements(element)) {
        const name = simple.getAttribute('name');
        if (simple.localName === 'SimpleData' && name)
          data[name] = simple.textContent?.trim() ?? '';
      }
    }
  }
  return data;
}

function parseKml(text: string): Element[] {
  // KML needs no DTD. Refusing any DOCTYPE rules out external entities (XXE) and entity
  // expansion ("billion laughs") whatever the XML parser would do with them.
  const doctype = /<!DOCTYPE|<!ENTITY/i.exec(text);
  if (doctype !== null) {
    const line = text.slice(0, doctype.index).split('\n').length;
    throw new ImportContentError(
      'the file has a DOCTYPE or ENTITY declaration, which KML never needs: refused (entities are not expanded)',
      line,
    );
  }
  let document;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportContentError(`the KML is not well-formed XML: ${reason.split('\n')[0]}`);
  }
  const root = document.documentElement;
  if (root === null || root.localName !== 'kml') {
    throw new ImportContentError(
      `this is not a KML file: its root element is <${root?.localName ?? ''}>, not <kml>`,
    );
  }
  return Array.from(document.getElementsByTagNameNS('*', 'Placemark'));
}

async function* readPlacemarks(
  input: Readable,
  options: KmlReaderOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  let placemarks: Element[];
  try {
    placemarks = parseKml(await readAllText(input, options.maxBytes ?? 64 * 1024 * 1024));
  } catch (error) {
    const result = contentErrorResult(error, 0);
    if (result === undefined) throw error;
    yield result;
    return;
  }
  for (const [index, placemark] of placemarks.entries()) {
    // xmldom numbers lines from 1 on its nodes.
    const line = placemark.lineNumber;
    const data = extendedData(placemark);
    let geometry: Geometry | undefined;
    try {
      geometry = placemarkGeometry(placemark);
    } catch (error) {
      if (!(error instanceof KmlGeometryError)) throw error;
      yield ImportResult.error(index, 'geometry', error.message, line);
      continue;
    }
    const name = child(placemark, 'name')?.textContent?.trim();
    const id = placemark.getAttribute('id');
    const feature = {
      type: 'Feature',
      ...(id ? { id } : {}),
      geometry: geometry ?? null,
      properties: { ...data, ...(name === undefined || name === '' ? {} : { name }) },
    };
    yield* importFeature(feature, index, line, options, 'kml', {
      prefix: 'ExtendedData/',
      geometry: 'geometry',
    });
  }
}

/**
 * Reads a KML 2.2 file's Placemarks: Point, LineString, Polygon (rings are checked, never
 * silently closed) and MultiGeometry of one kind (as Multi*); `<name>`; and from
 * `<ExtendedData>` the same fields as GeoJSON properties (`id` or `source_id` — else the
 * Placemark's `id` attribute — `name_latin`, `category`, `protection`, `buffer_m`, `topics`,
 * `list`, `restriction`). KML is read whole (at most `maxBytes`, default 64 MiB) and parsed
 * as a DOM with @xmldom/xmldom; files of protected sites are small. A DOCTYPE is refused, so
 * external entities are never read. `index` counts Placemarks; `line` is where each starts.
 * KMZ (zipped KML) must be unzipped first. Throws only when the stream fails.
 *
 * @example
 * for await (const result of readKml(fs.createReadStream('sites.kml'), { category: 'cultural' })) …
 */
export function readKml(
  input: Readable,
  options: KmlReaderOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  return withUniqueSourceIds(readPlacemarks(input, options), 'ExtendedData/id');
}
