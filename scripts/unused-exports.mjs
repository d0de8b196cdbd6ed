// Release builds, called by scripts/split.mjs: drops wasm-bindgen classes the app never uses,
// and the glue's import functions the optimised wasm no longer calls.
//
// Leptos always links server_fn's browser client, and with it wasm-streams, whose
// `#[wasm_bindgen]` classes are exported from the wasm and defined in the JS glue although this
// app has no server functions. An export is a root wasm-opt must keep, so their code and glue
// (1.6 KB brotli) rode along with the sign-in screen. Removing the exports before wasm-opt lets
// it drop that code; the glue's class definitions go with them.

/** wasm-streams' classes, exported by the wasm and defined by the glue. */
export const UNUSED_CLASSES = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

/** `wasm` (a Buffer) without the exports wasm-bindgen made for `classes`' methods. */
export function dropClassExports(wasm, classes) {
  const prefixes = classes.flatMap((c) => [`${c.toLowerCase()}_`, `__wbg_${c.toLowerCase()}_`]);
  let p = 8;
  const leb = () => {
    let r = 0, s = 0, b;
    do { b = wasm[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
    return r;
  };
  const out = [wasm.subarray(0, 8)];
  let dropped = 0;
  while (p < wasm.length) {
    const start = p;
    const id = wasm[p++];
    const end = leb() + p;
    if (id !== 7) {
      out.push(wasm.subarray(start, end));
      p = end;
      continue;
    }
    const kept = [];
    for (let n = leb(); n > 0; n--) {
      const entry = p;
      const len = leb();
      const name = wasm.toString("utf8", p, p + len);
      p += len + 1; // the name, then the export's kind byte
      leb(); // its index
      if (prefixes.some((prefix) => name.startsWith(prefix))) dropped++;
      else kept.push(wasm.subarray(entry, p));
    }
    const body = Buffer.concat([uleb(kept.length), ...kept]);
    out.push(Buffer.from([7]), uleb(body.length), body);
    p = end;
  }
  if (dropped === 0) throw new Error(`the wasm exports nothing of ${classes.join(", ")}: update UNUSED_CLASSES`);
  return Buffer.concat(out);
}

/**
 * `js` (wasm-bindgen's glue) without `classes`: each `export class`, its `Symbol.dispose` line
 * and its finalization registry. Fails when the glue still names one, e.g. when Rust code that
 * hands such an object to JavaScript is reachable after all.
 */
export function dropGlueClasses(js, classes) {
  let text = js;
  for (const name of classes) {
    text = text
      .replace(new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?^\\}\\n`, "m"), "")
      .replace(new RegExp(`^if \\(Symbol\\.dispose\\) ${name}\\.prototype.*\\n`, "m"), "")
      .replace(new RegExp(`^const ${name}Finalization = [\\s\\S]*?;\\n`, "m"), "");
    if (new RegExp(`\\b${name}\\b|wasm\\.(__wbg_)?${name.toLowerCase()}_`).test(text)) {
      throw new Error(`wasm-bindgen's glue still uses ${name}: it cannot be dropped`);
    }
  }
  return text;
}

/**
 * `js` (wasm-bindgen's glue) without the functions it offers `wasm` (the optimised main
 * module, a Buffer) that the module no longer imports: wasm-opt removed their callers, e.g.
 * wasm-streams' with its classes. Fails when the module imports one the glue does not offer.
 */
export function dropUnusedImports(js, wasm) {
  const imported = importNames(wasm, "./hookpanel_bg.js");
  let dropped = 0;
  const text = js.replace(/^ {8}([A-Za-z0-9_$]+): function\([^)]*\) \{\n[\s\S]*?^ {8}\},\n/gm, (whole, name) => {
    if (imported.has(name)) return whole;
    dropped += 1;
    return "";
  });
  const missing = [...imported].filter((name) => !text.includes(`        ${name}: function(`));
  if (missing.length) throw new Error(`the glue no longer offers what the wasm imports: ${missing.join(", ")}`);
  return { text, dropped };
}

/** The names `wasm` imports from `module`. */
function importNames(wasm, module) {
  let p = 8;
  const leb = () => {
    let r = 0, s = 0, b;
    do { b = wasm[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
    return r;
  };
  const str = () => {
    const len = leb();
    p += len;
    return wasm.toString("utf8", p - len, p);
  };
  const limits = () => { if (leb() & 1) { leb(); } leb(); };
  const names = new Set();
  while (p < wasm.length) {
    const id = wasm[p++];
    const end = leb() + p;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        const from = str();
        const name = str();
        const kind = wasm[p++];
        if (kind === 0) leb();
        else if (kind === 1) { p++; limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) p += 2;
        else if (kind === 4) { p++; leb(); }
        if (from === module) names.add(name);
      }
    }
    p = end;
  }
  return names;
}

function uleb(value) {
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
