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

  /** One import entry: `{ module, name, kind }` (kind 0 is a function). */
  importEntry() {
    const module = this.name();
    const name = this.name();
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
    return { module, name, kind };
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
