import type { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { PbfReader } from 'pbf';
import { ImportContentError } from './import-result.js';
import type { OsmMember } from './osm-assembler.js';
import type { OsmTags } from './osm-tag-mapping.js';

/**
 * One OSM element as the PBF and XML readers hand it to the assembler. Coordinates are in
 * 1e-7 degrees (integers), OSM's own precision.
 *
 * @example
 * { type: 'node', id: 1, lonE7: 95496806, latE7: 469688169 }
 */
export type OsmElement =
  | {
      readonly type: 'node';
      readonly id: number;
      readonly lonE7: number;
      readonly latE7: number;
      readonly tags?: OsmTags;
    }
  | {
      readonly type: 'way';
      readonly id: number;
      readonly refs: readonly number[];
      readonly tags?: OsmTags;
    }
  | {
      readonly type: 'relation';
      readonly id: number;
      readonly members: readonly OsmMember[];
      readonly tags?: OsmTags;
    };

/** Largest BlobHeader and Blob the PBF specification allows (64 KiB and 32 MiB). */
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
/** Features a file may require that this reader understands. */
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);
const MEMBER_TYPES = ['node', 'way', 'relation'] as const;

/** A queue of byte chunks from which exact lengths are taken; pulls from the stream lazily. */
class ByteQueue {
  readonly #source: AsyncIterator<Buffer>;
  #chunks: Buffer[] = [];
  #length = 0;
  /** Bytes taken so far: the file offset of the next byte. */
  offset = 0;

  constructor(input: Readable) {
    this.#source = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  get length(): number {
    return this.#length;
  }

  /** Reads until `n` bytes are queued; false when the stream ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.#length < n) {
      const next = await this.#source.next();
      if (next.done === true) return false;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'latin1') : next.value;
      this.#chunks.push(chunk);
      this.#length += chunk.length;
    }
    return true;
  }

  take(n: number): Buffer {
    const joined =
      this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const taken = joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#length = rest.length;
    this.offset += n;
    return taken;
  }
}

function decodeBlobHeader(bytes: Uint8Array): { type: string; datasize: number } {
  return new PbfReader(bytes).readFields(
    (tag, header, pbf) => {
      if (tag === 1) header.type = pbf.readString();
      else if (tag === 3) header.datasize = pbf.readVarint();
    },
    { type: '', datasize: -1 },
  );
}

function decodeBlob(bytes: Uint8Array): Buffer {
  const blob = new PbfReader(bytes).readFields(
    (tag, result, pbf) => {
      if (tag === 1) result.raw = pbf.readBytes();
      else if (tag === 3) result.zlib = pbf.readBytes();
      else if (tag >= 4 && tag <= 7)
        result.other = ['lzma', 'bzip2', 'lz4', 'zstd'][tag - 4] as string;
    },
    {
      raw: undefined as Uint8Array | undefined,
      zlib: undefined as Uint8Array | undefined,
      other: '',
    },
  );
  if (blob.raw !== undefined) return Buffer.from(blob.raw);
  if (blob.zlib !== undefined) return inflateSync(blob.zlib, { maxOutputLength: MAX_BLOB_BYTES });
  throw new Error(
    blob.other === ''
      ? 'the blob has no data'
      : `it is ${blob.other}-compressed; Civitas reads zlib or uncompressed PBF (convert with osmium cat)`,
  );
}

function checkHeaderBlock(bytes: Uint8Array): void {
  const required = new PbfReader(bytes).readFields((tag, features: string[], pbf) => {
    if (tag === 4) features.push(pbf.readString());
  }, []);
  const unsupported = required.filter((feature) => !SUPPORTED_FEATURES.has(feature));
  if (unsupported.length > 0) {
    throw new ImportContentError(
      `the file requires ${unsupported.join(', ')}, which Civitas does not read (history files are not supported)`,
    );
  }
}

function tagsOf(
  keys: readonly number[],
  values: readonly number[],
  strings: readonly string[],
): OsmTags | undefined {
  if (keys.length === 0) return undefined;
  if (keys.length !== values.length) throw new Error('tag keys and values differ in number');
  const tags: Record<string, string> = {};
  keys.forEach((key, i) => {
    tags[strings[key] ?? ''] = strings[values[i] as number] ?? '';
  });
  return tags;
}

/** Decodes one OSMData block (a PrimitiveBlock) into its elements, in file order. */
function decodePrimitiveBlock(bytes: Uint8Array): OsmElement[] {
  const pbf = new PbfReader(bytes);
  const block = pbf.readFields(
    (tag, result, reader) => {
      if (tag === 1) {
        reader.readMessage((t, strings: string[], r) => {
          if (t === 1) strings.push(r.readString());
        }, result.strings);
      } else if (tag === 2) {
        const length = reader.readVarint();
        result.groups.push([reader.pos, reader.pos + length]);
        reader.pos += length;
      } else if (tag === 17) result.granularity = reader.readVarint();
      else if (tag === 19) result.latOffset = reader.readVarint(true);
      else if (tag === 20) result.lonOffset = reader.readVarint(true);
    },
    {
      strings: [] as string[],
      groups: [] as [number, number][],
      granularity: 100,
      latOffset: 0,
      lonOffset: 0,
    },
  );
  const { strings, granularity, latOffset, lonOffset } = block;
  // Degrees = 1e-9 × (offset + granularity × value); OSM's 1e-7 units are 100 nanodegrees.
  const toE7 = (offset: number, value: number): number =>
    Math.round((offset + granularity * value) / 100);
  const elements: OsmElement[] = [];

  for (const [start, end] of block.groups) {
    pbf.pos = start;
    pbf.readFields(
      (tag, _unused, reader) => {
        if (tag === 1) {
          const node = reader.readMessage(
            (t, n, r) => {
              if (t === 1) n.id = r.readSVarint();
              else if (t === 2) r.readPackedVarint(n.keys);
              else if (t === 3) r.readPackedVarint(n.vals);
              else if (t === 8) n.lat = r.readSVarint();
              else if (t === 9) n.lon = r.readSVarint();
            },
            { id: 0, keys: [] as number[], vals: [] as number[], lat: 0, lon: 0 },
          );
          const tags = tagsOf(node.keys, node.vals, strings);
          elements.push({
            type: 'node',
            id: node.id,
            lonE7: toE7(lonOffset, node.lon),
            latE7: toE7(latOffset, node.lat),
            ...(tags === undefined ? {} : { tags }),
          });
        } else if (tag === 2) {
          const dense = reader.readMessage(
            (t, d, r) => {
              if (t === 1) r.readPackedSVarint(d.ids);
              else if (t === 8) r.readPackedSVarint(d.lats);
              else if (t === 9) r.readPackedSVarint(d.lons);
              else if (t === 10) r.readPackedVarint(d.keysVals);
            },
            {
              ids: [] as number[],
              lats: [] as number[],
              lons: [] as number[],
              keysVals: [] as number[],
            },
          );
          if (dense.lats.length !== dense.ids.length || dense.lons.length !== dense.ids.length) {
            throw new Error('dense nodes have unequal id, lat and lon lists');
          }
          let id = 0;
          let lat = 0;
          let lon = 0;
          let k = 0;
          for (let i = 0; i < dense.ids.length; i += 1) {
            id += dense.ids[i] as number;
            lat += dense.lats[i] as number;
            lon += dense.lons[i] as number;
            let tags: Record<string, string> | undefined;
            if (dense.keysVals.length > 0) {
              while (k < dense.keysVals.length && dense.keysVals[k] !== 0) {
                tags ??= {};
                tags[strings[dense.keysVals[k] as number] ?? ''] =
                  strings[dense.keysVals[k + 1] as number] ?? '';
                k += 2;
              }
              k += 1;
            }
            elements.push({
              type: 'node',
              id,
              lonE7: toE7(lonOffset, lon),
              latE7: toE7(latOffset, lat),
              ...(tags === undefined ? {} : { tags }),
            });
          }
        } else if (tag === 3) {
          const way = reader.readMessage(
            (t, w, r) => {
              if (t === 1) w.id = r.readVarint(true);
              else if (t === 2) r.readPackedVarint(w.keys);
              else if (t === 3) r.readPackedVarint(w.vals);
              else if (t === 8) r.readPackedSVarint(w.refs);
            },
            { id: 0, keys: [] as number[], vals: [] as number[], refs: [] as number[] },
          );
          let ref = 0;
          const refs = way.refs.map((delta) => (ref += delta));
          const tags = tagsOf(way.keys, way.vals, strings);
          elements.push({ type: 'way', id: way.id, refs, ...(tags === undefined ? {} : { tags }) });
        } else if (tag === 4) {
          const relation = reader.readMessage(
            (t, rel, r) => {
              if (t === 1) rel.id = r.readVarint(true);
              else if (t === 2) r.readPackedVarint(rel.keys);
              else if (t === 3) r.readPackedVarint(rel.vals);
              else if (t === 8) r.readPackedVarint(rel.roles, true);
              else if (t === 9) r.readPackedSVarint(rel.memids);
              else if (t === 10) r.readPackedVarint(rel.types);
            },
            {
              id: 0,
              keys: [] as number[],
              vals: [] as number[],
              roles: [] as number[],
              memids: [] as number[],
              types: [] as number[],
            },
          );
          if (
            relation.roles.length !== relation.memids.length ||
            relation.types.length !== relation.memids.length
          ) {
            throw new Error(`relation ${relation.id} has unequal member lists`);
          }
          let ref = 0;
          const members = relation.memids.map((delta, i): OsmMember => {
            ref += delta;
            const type = MEMBER_TYPES[relation.types[i] as number];
            if (type === undefined)
              throw new Error(`relation ${relation.id} has a member of unknown type`);
            return { type, ref, role: strings[relation.roles[i] as number] ?? '' };
          });
          const tags = tagsOf(relation.keys, relation.vals, strings);
          elements.push({
            type: 'relation',
            id: relation.id,
            members,
            ...(tags === undefined ? {} : { tags }),
          });
        }
      },
      undefined,
      end,
    );
  }
  return elements;
}

/**
 * Reads an OSM PBF file (https://wiki.openstreetmap.org/wiki/PBF_Format) block by block,
 * streaming: one blob (at most 32 MiB, usually 8000 elements) is in memory at a time. Yields
 * each data block's elements in file order. A file that ends inside a blob, a corrupt blob or
 * a file that is not PBF throws an {@link ImportContentError} naming the blob and byte offset,
 * never a silent partial result. Zlib and uncompressed blobs are read; LZMA, LZ4 and ZSTD are
 * reported. Written on the `pbf` protobuf decoder rather than an OSM PBF package: the
 * maintained ones read whole files or throw from inside stream callbacks.
 *
 * @example
 * for await (const elements of readPbfElements(fs.createReadStream('a.osm.pbf'))) …
 */
export async function* readPbfElements(
  input: Readable,
): AsyncGenerator<OsmElement[], void, undefined> {
  const queue = new ByteQueue(input);
  let blob = 0;
  for (;;) {
    const start = queue.offset;
    if (!(await queue.fill(4))) {
      if (queue.length === 0) break;
      throw new ImportContentError(
        `the file ends inside the length of blob ${blob} at byte ${start}: it is truncated`,
      );
    }
    const headerLength = queue.take(4).readUInt32BE(0);
    if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) {
      throw new ImportContentError(
        blob === 0
          ? 'this is not an OSM PBF file (it does not start with a PBF blob header)'
          : `blob ${blob} at byte ${start} has a header of ${headerLength} bytes: the file is corrupt`,
      );
    }
    if (!(await queue.fill(headerLength))) {
      throw new ImportContentError(
        `the file ends inside the header of blob ${blob} at byte ${start}: it is truncated`,
      );
    }
    let header: { type: string; datasize: number };
    try {
      header = decodeBlobHeader(queue.take(headerLength));
    } catch {
      throw new ImportContentError(
        blob === 0
          ? 'this is not an OSM PBF file'
          : `the header of blob ${blob} at byte ${start} is corrupt`,
      );
    }
    if (header.datasize < 0 || header.datasize > MAX_BLOB_BYTES || header.type === '') {
      throw new ImportContentError(
        blob === 0
          ? 'this is not an OSM PBF file'
          : `the header of blob ${blob} at byte ${start} is corrupt`,
      );
    }
    if (blob === 0 && header.type !== 'OSMHeader') {
      throw new ImportContentError(
        `this is not an OSM PBF file: its first blob is "${header.type}", not OSMHeader`,
      );
    }
    if (!(await queue.fill(header.datasize))) {
      throw new ImportContentError(
        `the file ends inside blob ${blob} (${header.type}, ${header.datasize} bytes from byte ${queue.offset}): it is truncated`,
      );
    }
    const body = queue.take(header.datasize);
    let elements: OsmElement[] = [];
    try {
      if (header.type === 'OSMHeader') checkHeaderBlock(decodeBlob(body));
      else if (header.type === 'OSMData') elements = decodePrimitiveBlock(decodeBlob(body));
      // Other blob types are skipped, as the specification asks.
    } catch (error) {
      if (error instanceof ImportContentError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImportContentError(
        `blob ${blob} (${header.type}) at byte ${start} is corrupt: ${reason}`,
      );
    }
    blob += 1;
    if (elements.length > 0) yield elements;
  }
  if (blob === 0) throw new ImportContentError('the file is empty');
}
