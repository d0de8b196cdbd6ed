// Release builds, called by scripts/split.mjs: drops wasm-bindgen classes the app never uses,
// and the glue's import functions the optimised wasm no longer calls; shortens the names of
// the rest.
//
// Leptos always links server_fn's browser client, and with it wasm-streams, whose
// `#[wasm_bindgen]` classes are exported from the wasm and defined in the JS glue although this
// app has no server functions. An export is a root wasm-opt must keep, so their code and glue
// (1.4 KB brotli) rode along with the sign-in screen. Removing the exports before wasm-opt lets
// it drop that code; the glue's class definitions go with them.

import { encodeSection, exportEntries, imports, withImports, withSection } from "./wasm-binary.mjs";

/** The module name under which the glue offers the wasm its functions. */
const GLUE = "./hookpanel_bg.js";

/** How the glue's imports object starts the function it offers under `name`. */
const offer = (name) => `\n        ${name}: function(`;

/** wasm-streams' classes, exported by the wasm and defined by the glue. */
export const UNUSED_CLASSES = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

/** `wasm` (a Buffer) without the exports wasm-bindgen made for `classes`' methods. */
export function dropClassExports(wasm, classes) {
  const prefixes = classes.flatMap((c) => [`${c.toLowerCase()}_`, `__wbg_${c.toLowerCase()}_`]);
  const all = exportEntries(wasm);
  const kept = all.filter(({ name }) => !prefixes.some((prefix) => name.startsWith(prefix)));
  if (kept.length === all.length) throw new Error(`the wasm exports nothing of ${classes.join(", ")}: update UNUSED_CLASSES`);
  return withSection(wasm, 7, encodeSection(7, kept.map((e) => e.bytes)));
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
  const imported = new Set(imports(wasm).filter((i) => i.module === GLUE).map((i) => i.name));
  const text = js.replace(/^ {8}([A-Za-z0-9_$]+): function\([^)]*\) \{\n[\s\S]*?^ {8}\},\n/gm, (whole, name) =>
    imported.has(name) ? whole : "",
  );
  const missing = [...imported].filter((name) => !text.includes(offer(name)));
  if (missing.length) throw new Error(`the glue no longer offers what the wasm imports: ${missing.join(", ")}`);
  return text;
}

/**
 * `js` (the glue, after `dropUnusedImports`) and `wasm` (the optimised main module) with the
 * functions the glue offers under short names: "a", "b", … in the module's import order.
 * wasm-bindgen names each `__wbg_<what>_<16 hex digits>`; the hex digits do not compress, and
 * both files carry every name (5 KB brotli of the first screen). Fails when a name occurs in
 * the glue other than as its one definition, where renaming could break a reference.
 */
export function shortImportNames(js, wasm) {
  let text = js;
  let next = 0;
  const renamed = imports(wasm).map((entry) => {
    if (entry.module !== GLUE) return entry;
    const name = identifier(next++);
    const uses = text.split(entry.name).length - 1;
    if (uses !== 1 || !text.includes(offer(entry.name))) {
      throw new Error(`the glue names ${entry.name} ${uses} times, not once as an import function`);
    }
    text = text.replace(offer(entry.name), offer(name));
    return { ...entry, name };
  });
  return { js: text, wasm: withImports(wasm, renamed) };
}

/** The `n`th short JavaScript identifier: a … z, A … Z, aa, ab, … */
function identifier(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  let rest = n;
  do {
    name = letters[rest % letters.length] + name;
    rest = Math.floor(rest / letters.length) - 1;
  } while (rest >= 0);
  return name;
}
