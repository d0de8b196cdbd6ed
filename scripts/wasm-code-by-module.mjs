// Which parts of hookpanel the wasm code comes from: reads the function names of the linked
// release wasm (before wasm-bindgen and wasm-opt strip them) and charges each function's code
// to the first hookpanel module its (v0-mangled) name mentions, generic instantiations
// included. Sizes are before wasm-opt, so read them as shares, not final bytes.
import { readFileSync } from "node:fs";
import { WasmReader, imports, sections } from "./wasm-binary.mjs";

/** `[[module, bytes]]`, largest first, plus the total code size. */
export function codeByModule(path) {
  return groupBy(functionSizes(path), moduleOf);
}

/** `[[crate, bytes]]`, largest first: each function under the crate its name starts in. */
export function codeByCrate(path) {
  return groupBy(functionSizes(path), crateOf);
}

function groupBy(functions, keyOf) {
  const groups = new Map();
  let total = 0;
  for (const { name, size } of functions) {
    const key = keyOf(name);
    groups.set(key, (groups.get(key) ?? 0) + size);
    total += size;
  }
  return { total, rows: [...groups].sort((a, b) => b[1] - a[1]) };
}

/** `[{ name, size }]` for every function the wasm defines (name from its name section). */
function functionSizes(path) {
  const buf = readFileSync(path);
  const imported = imports(buf).filter((i) => i.kind === 0).length;
  const sizes = [];
  const names = new Map();
  for (const section of sections(buf)) {
    const r = new WasmReader(buf, section.body);
    if (section.id === 10) {
      for (let n = r.leb(); n > 0; n--) {
        const size = r.leb();
        sizes.push(size);
        r.at += size;
      }
    } else if (section.id === 0 && r.name() === "name") {
      while (r.at < section.end) {
        const sub = buf[r.at++];
        const subEnd = r.leb() + r.at;
        if (sub === 1) {
          for (let n = r.leb(); n > 0; n--) {
            const index = r.leb();
            names.set(index, r.name());
          }
        }
        r.at = subEnd;
      }
    }
  }
  return sizes.map((size, i) => ({ name: names.get(i + imported) ?? "", size }));
}

/** The crate a (legacy- or v0-mangled, or demangled) function name starts in. */
function crateOf(name) {
  let text = name;
  const v0 = /^_R.*?C(?:s[0-9a-zA-Z]*_)?(\d+)([a-z_][a-z0-9_]*)/.exec(name);
  if (v0) return v0[2].slice(0, Number(v0[1]));
  const legacy = /^_ZN(\d+)/.exec(name);
  if (legacy) {
    const start = legacy[0].length;
    text = name.slice(start, start + Number(legacy[1]));
    if (/^[a-z_][a-z0-9_]*$/.test(text)) return text;
    text = text.replace(/\$LT\$/g, "<").replace(/\$u20\$/g, " ").replace(/\.\./g, "::");
  }
  const path = /([a-z_][a-z0-9_]*)::/.exec(text);
  return path ? path[1] : "(other: runtime, wasm-bindgen shims)";
}

/** `pages::integrations` from a v0 name that mentions `9hookpanel5pages12integrations…`. */
function moduleOf(name) {
  for (let at = name.indexOf("9hookpanel"); at >= 0; at = name.indexOf("9hookpanel", at + 1)) {
    let q = at + "9hookpanel".length;
    const parts = [];
    while (parts.length < 2) {
      const m = /^(?:s[0-9a-zA-Z]*_)?(\d+)/.exec(name.slice(q));
      if (!m) break;
      const start = q + m[0].length;
      const ident = name.slice(start, start + Number(m[1]));
      if (!/^[a-z_][a-z_0-9]*$/.test(ident)) break;
      parts.push(ident);
      q = start + ident.length;
    }
    if (parts.length) return parts.join("::");
  }
  // v0 names end with the crate that instantiated a generic: library code made for our types,
  // whose own name does not say which module asked for it.
  return name.includes("9hookpanel")
    ? "(library generics instantiated by hookpanel)"
    : "(libraries only: leptos, std, serde, …)";
}
