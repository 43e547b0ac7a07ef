/**
 * Typed arrays that grow by doubling, for collecting numbers without per-item objects.
 *
 * @example
 * const list = new Int32List();
 * list.push(7);
 * list.toArray(); // Int32Array [7]
 */

/** A growing Int32Array (see the module example). */
export class Int32List {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }
  /** The used part: a view of the list's storage, not a copy (its buffer can be transferred). */
  toArray(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** A growing Float64Array, like {@link Int32List}. */
export class Float64List {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }
  /** The used part: a view of the list's storage, not a copy (its buffer can be transferred). */
  toArray(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * A growing byte store.
 *
 * @example
 * const bytes = new ByteList();
 * bytes.append(buf, 10, 14); // bytes.length === 4
 */
export class ByteList {
  data: Uint8Array;
  length = 0;
  constructor(capacity = 65536) {
    this.data = new Uint8Array(capacity);
  }
  /** Appends bytes [start, end) of `source`. */
  append(source: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.data.length) {
      let size = this.data.length * 2;
      while (size < this.length + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    const data = this.data;
    let at = this.length;
    for (let i = start; i < end; i += 1) data[at++] = source[i] as number;
    this.length = at;
  }
  /** The used part: a view of the list's storage, not a copy (its buffer can be transferred). */
  toArray(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}
