import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import {
  contentErrorResult,
  ImportContentError,
  ImportResult,
  withUniqueSourceIds,
  type ImportOptions,
} from './import-result.js';
import { OsmAssembler, type OsmMember } from './osm-assembler.js';
import { readPbfElements, type OsmElement } from './osm-pbf.js';
import type { OsmTags } from './osm-tag-mapping.js';
import { decodeText } from './text-stream.js';

/** An element being read from XML: its start tag, then its tags, node refs and members. */
interface XmlElement {
  readonly kind: 'node' | 'way' | 'relation';
  readonly attributes: Readonly<Record<string, string>>;
  readonly index: number;
  readonly line: number;
  tags: Record<string, string> | undefined;
  readonly refs: string[];
  readonly members: Readonly<Record<string, string>>[];
}

const MEMBER_TYPES = new Set(['node', 'way', 'relation']);

function isId(text: string | undefined): boolean {
  return text !== undefined && /^-?\d{1,16}$/.test(text);
}

/** Feeds one finished XML element to the assembler, or reports what is wrong with it. */
function finishXmlElement(element: XmlElement, assembler: OsmAssembler): ImportResult[] {
  const { attributes: a, index, line } = element;
  // JOSM files keep deleted objects with action="delete"; history files have visible="false".
  if (a.action === 'delete' || a.visible === 'false') return [];
  if (!isId(a.id)) {
    return [
      ImportResult.error(
        index,
        'id',
        `<${element.kind}> has no valid id (${JSON.stringify(a.id)})`,
        line,
      ),
    ];
  }
  const id = Number(a.id);
  const at = { index, line };
  const tags: OsmTags | undefined = element.tags;
  switch (element.kind) {
    case 'node': {
      const lat = Number(a.lat);
      const lon = Number(a.lon);
      if (a.lat === undefined || a.lat.trim() === '' || !Number.isFinite(lat)) {
        return [
          ImportResult.error(
            index,
            'lat',
            `node ${id} has no valid lat (${JSON.stringify(a.lat)})`,
            line,
          ),
        ];
      }
      if (a.lon === undefined || a.lon.trim() === '' || !Number.isFinite(lon)) {
        return [
          ImportResult.error(
            index,
            'lon',
            `node ${id} has no valid lon (${JSON.stringify(a.lon)})`,
            line,
          ),
        ];
      }
      return assembler.node(id, Math.round(lon * 1e7), Math.round(lat * 1e7), tags, at);
    }
    case 'way': {
      const bad = element.refs.find((ref) => !isId(ref));
      if (bad !== undefined) {
        return [
          ImportResult.error(
            index,
            'nd',
            `way ${id} has a node reference ${JSON.stringify(bad)} that is not an id`,
            line,
          ),
        ];
      }
      return assembler.way(id, element.refs.map(Number), tags, at);
    }
    case 'relation': {
      const members: OsmMember[] = [];
      for (const member of element.members) {
        if (!MEMBER_TYPES.has(member.type ?? '') || !isId(member.ref)) {
          return [
            ImportResult.error(
              index,
              'member',
              `relation ${id} has a member that is not a node, way or relation with an id`,
              line,
            ),
          ];
        }
        members.push({
          type: member.type as OsmMember['type'],
          ref: Number(member.ref),
          role: member.role ?? '',
        });
      }
      return assembler.relation(id, members, tags, at);
    }
  }
}

async function* readXml(
  input: Readable,
  options: ImportOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  const assembler = new OsmAssembler(options);
  const parser = new SaxesParser<{ position: true; xmlns: false }>({
    position: true,
    xmlns: false,
  });
  const out: ImportResult[] = [];
  let current: XmlElement | undefined;
  let index = 0;
  let root: string | undefined;

  parser.on('doctype', () => {
    // OSM XML never has a DTD; refusing it at once rules out entity attacks (XXE, expansion).
    throw new ImportContentError(
      'the file has a DOCTYPE declaration, which OSM XML never has: refused (entities are not expanded)',
      parser.line,
    );
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attributes = tag.attributes as Record<string, string>;
    if (root === undefined) {
      root = tag.name;
      if (root !== 'osm') {
        throw new ImportContentError(
          root === 'osmChange'
            ? 'this is an osmChange file, not an OSM extract: apply it first (osmium apply-changes)'
            : `this is not an OSM XML file: its root element is <${root}>, not <osm>`,
          parser.line,
        );
      }
      return;
    }
    switch (tag.name) {
      case 'node':
      case 'way':
      case 'relation':
        current = {
          kind: tag.name,
          attributes,
          index,
          line: parser.line,
          tags: undefined,
          refs: [],
          members: [],
        };
        index += 1;
        break;
      case 'tag':
        if (current !== undefined && attributes.k !== undefined) {
          (current.tags ??= {})[attributes.k] = attributes.v ?? '';
        }
        break;
      case 'nd':
        current?.refs.push(attributes.ref ?? '');
        break;
      case 'member':
        current?.members.push(attributes);
        break;
    }
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (current !== undefined && tag.name === current.kind) {
      out.push(...finishXmlElement(current, assembler));
      current = undefined;
    }
  });

  const inside = (): string =>
    current === undefined ? '' : ` inside <${current.kind} id="${current.attributes.id ?? ''}">`;
  const step = (action: () => void, atEnd: boolean): void => {
    try {
      action();
    } catch (error) {
      if (error instanceof ImportContentError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImportContentError(
        atEnd
          ? `the file ends${inside()} before the XML is complete: it is truncated (${reason})`
          : `the XML is not well-formed${inside()}: ${reason}`,
        parser.line,
      );
    }
  };

  try {
    for await (const text of decodeText(input)) {
      step(() => parser.write(text), false);
      yield* out.splice(0);
    }
    step(() => parser.close(), true);
    yield* out.splice(0);
    if (root === undefined)
      throw new ImportContentError('the file is empty: it has no <osm> element');
  } catch (error) {
    yield* out.splice(0);
    // The element being read when the file failed, or the count of elements read.
    const result = contentErrorResult(error, current?.index ?? index);
    if (result === undefined) throw error;
    yield result;
  }
}

function feedElement(element: OsmElement, assembler: OsmAssembler, index: number): ImportResult[] {
  const at = { index };
  switch (element.type) {
    case 'node':
      return assembler.node(element.id, element.lonE7, element.latE7, element.tags, at);
    case 'way':
      return assembler.way(element.id, element.refs, element.tags, at);
    case 'relation':
      return assembler.relation(element.id, element.members, element.tags, at);
  }
}

async function* readPbf(
  input: Readable,
  options: ImportOptions,
): AsyncGenerator<ImportResult, void, undefined> {
  const assembler = new OsmAssembler(options);
  let index = 0;
  try {
    for await (const elements of readPbfElements(input)) {
      for (const element of elements) {
        yield* feedElement(element, assembler, index);
        index += 1;
      }
    }
  } catch (error) {
    const result = contentErrorResult(error, index);
    if (result === undefined) throw error;
    yield result;
  }
}

/**
 * Reads an OSM XML file (`.osm`) with a streaming SAX parser (saxes), turning nodes, ways and
 * multipolygon relations with a mapped tag (see `OSM_TAG_RULES`) into protected objects with
 * source ids `osm:node/1`, `osm:way/2`, `osm:relation/3`; other elements give no result.
 * `index` is the element's position among all nodes, ways and relations of the file, `line`
 * its line. A file cut short, malformed XML, a DOCTYPE, or a root other than `<osm>` ends with
 * an error whose `field` is `file`. `.osm.bz2` must be decompressed first (`bzip2 -dc`): no
 * maintained pure-JS bzip2 decompressor was found. Throws only when the stream fails.
 *
 * @example
 * for await (const result of readOsmXml(fs.createReadStream('liechtenstein.osm'))) …
 */
export function readOsmXml(
  input: Readable,
  options: ImportOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  return withUniqueSourceIds(readXml(input, options), 'id');
}

/**
 * Reads an OSM PBF file (`.osm.pbf`), streaming block by block, with the same mapping and
 * results as {@link readOsmXml} (PBF has no lines, so results carry `index` only). A file cut
 * short or corrupt ends with an error whose `field` is `file`. Throws only when the stream
 * fails.
 *
 * @example
 * for await (const result of readOsmPbf(fs.createReadStream('liechtenstein.osm.pbf'))) …
 */
export function readOsmPbf(
  input: Readable,
  options: ImportOptions = {},
): AsyncGenerator<ImportResult, void, undefined> {
  return withUniqueSourceIds(readPbf(input, options), 'id');
}
