// The few parts of a wasm binary the build scripts read: its sections, imports and exports
// (the WebAssembly binary format, https://webassembly.github.io/spec/core/binary/).

/** A cursor over `buf` from `at`: LEB128 numbers, names, and the import/export entries. */
export class WasmReader {
  constructor(buf, at = 0) {
    this.buf = buf;
    this.at = at;
  }

  /** An unsigned LEB128 number. */
  leb() {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = this.buf[this.at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }

  /** A length-prefixed UTF-8 name. */
  name() {
    const len = this.leb();
    this.at += len;
    return this.buf.toString("utf8", this.at - len, this.at);
  }

  /** One import entry: `{ module, name, kind, desc }` (kind 0 is a function; `desc` is the
   * kind byte and the type that follows it, as bytes). */
  importEntry() {
    const module = this.name();
    const name = this.name();
    const descStart = this.at;
    const kind = this.buf[this.at++];
    const limits = () => {
      const flags = this.leb();
      this.leb();
      if (flags & 1) this.leb();
    };
    if (kind === 0) this.leb();
    else if (kind === 1) { this.at++; limits(); }
    else if (kind === 2) limits();
    else if (kind === 3) this.at += 2;
    else if (kind === 4) { this.at++; this.leb(); }
    return { module, name, kind, desc: this.buf.subarray(descStart, this.at) };
  }
}

/** Each section of `buf`: `{ id, start, body, end }` (offsets of its id byte, contents, end). */
export function* sections(buf) {
  const r = new WasmReader(buf, 8);
  while (r.at < buf.length) {
    const start = r.at;
    const id = buf[r.at++];
    const len = r.leb();
    yield { id, start, body: r.at, end: r.at + len };
    r.at += len;
  }
}

/** Every import of `buf`, in order. */
export function imports(buf) {
  const found = [];
  for (const s of sections(buf)) {
    if (s.id !== 2) continue;
    const r = new WasmReader(buf, s.body);
    for (let n = r.leb(); n > 0; n--) found.push(r.importEntry());
  }
  return found;
}

/** `value` as an unsigned LEB128 number. */
export function uleb(value) {
  const bytes = [];
  let n = value;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    bytes.push(b);
  } while (n);
  return Buffer.from(bytes);
}

/** `text` as a wasm name: its UTF-8 length, then its bytes. */
export function encodeName(text) {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([uleb(bytes.length), bytes]);
}

/** A section with id `id` and the entries `entries` (Buffers), preceded by their count. */
export function encodeSection(id, entries) {
  const body = Buffer.concat([uleb(entries.length), ...entries]);
  return Buffer.concat([Buffer.from([id]), uleb(body.length), body]);
}

/** The bytes of one import entry. */
export function encodeImport({ module, name, desc }) {
  return Buffer.concat([encodeName(module), encodeName(name), desc]);
}

/** Every export of `buf`, in order: `{ name, bytes }` (`bytes`: the whole entry). */
export function exportEntries(buf) {
  const found = [];
  for (const s of sections(buf)) {
    if (s.id !== 7) continue;
    const r = new WasmReader(buf, s.body);
    for (let n = r.leb(); n > 0; n--) {
      const start = r.at;
      const name = r.name();
      r.at += 1; // the export's kind
      r.leb(); // its index
      found.push({ name, bytes: buf.subarray(start, r.at) });
    }
  }
  return found;
}

/** `buf` with its section `id` replaced by `section` (encoded), or dropped when it is null. */
export function withSection(buf, id, section) {
  const out = [buf.subarray(0, 8)];
  for (const s of sections(buf)) {
    if (s.id !== id) out.push(buf.subarray(s.start, s.end));
    else if (section) out.push(section);
  }
  return Buffer.concat(out);
}

/** `buf` with its import section's entries replaced by `entries` (as `imports` gives them). */
export function withImports(buf, entries) {
  return withSection(buf, 2, encodeSection(2, entries.map(encodeImport)));
}
