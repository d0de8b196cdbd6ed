// Release builds, called by scripts/split.mjs: the code the list shares with other screens,
// which wasm-split-cli cuts into one chunk per set of screens that need it (twelve files),
// becomes one file. The list loads all twelve anyway, and brotli compresses one file better
// than twelve that it cannot see across, so the list's download shrinks. A screen that
// needed only some of them now loads the whole file (README "Later levers").
//
// Split-off modules import only what the main module shares (memory, table, stack pointer)
// and call each other through the table, so merging them is joining their code: wasm-merge
// does that once the imports of all of them resolve to one set, offered by a small "hub"
// module that re-exports its own imports.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeImport, encodeName, encodeSection, exportEntries, imports, uleb, withImports, withSection } from "./wasm-binary.mjs";

/** The import module of split-off modules (wasm_split_cli_support). */
const SHARED_IMPORTS = "__wasm_split";
/** The hub's own import module while merging; named back to `SHARED_IMPORTS` afterwards. */
const HUB_IMPORTS = "__wasm_split_hub";
/** The merged file's name: the loader fetches `./${MERGED}.wasm`. */
const MERGED = "chunk_list_shared";

/**
 * Merges the chunks that the list's loader waits for into `${MERGED}.wasm` in `parts` (the
 * wasm-split-cli output) and returns `loader` (its `__wasm_split.js`) loading that file
 * wherever it loaded one of them. `wasmMerge(args)` runs binaryen's wasm-merge.
 */
export function mergeListChunks(parts, loader, wasmMerge) {
  const deps = loaderDeps(loader, "__wasm_split_load_hookpanel_list");
  const chunks = deps.filter((d) => /^__chunk_\d+$/.test(d)).map((d) => d.slice(2));
  if (chunks.length < 2) throw new Error(`the list loads ${chunks.length} shared chunk(s): nothing to merge`);
  const files = chunks.map((c) => join(parts, `${c}.wasm`));
  mergeWasm(files, join(parts, `${MERGED}.wasm`), wasmMerge);
  for (const file of files) rmSync(file);
  return withMergedLoad(loader, chunks);
}

/** The names in the dependency list of the loader constant `name`. */
function loaderDeps(loader, name) {
  const found = new RegExp(`const ${name} = [\\s\\S]*?\\n, \\[([^\\]]*)\\]\\)`).exec(loader);
  if (!found) throw new Error(`${SHARED_IMPORTS}.js has no loader ${name}`);
  return found[1].split(",").map((d) => d.trim()).filter(Boolean);
}

/** `loader` with one loader for `MERGED` in place of those of `chunks`. */
function withMergedLoad(loader, chunks) {
  let out = loader;
  chunks.forEach((chunk, i) => {
    const block = new RegExp(`(?:/\\*[^*\\n]*\\*/\\n)?const __${chunk} = makeLoad\\(\\(\\) => \\{\\n[\\s\\S]*?\\n\\}\\n, \\[\\]\\);\\n`);
    const found = block.exec(out);
    if (!found) throw new Error(`${SHARED_IMPORTS}.js: no independent loader for ${chunk}`);
    const merged = () =>
      `/* merged: ${chunks.join(", ")} (what the list shares) */\n` +
      found[0].replace(/^\/\*.*\n/, "").replace(`__${chunk} =`, `__${MERGED} =`).replace(`"./${chunk}.wasm"`, `"./${MERGED}.wasm"`);
    out = out.replace(found[0], i === 0 ? merged() : "");
  });
  const names = new Set(chunks.map((c) => `__${c}`));
  return out.replace(/\n, \[([^\]]*)\]\)/g, (whole, list) => {
    const deps = list.split(",").map((d) => d.trim()).filter(Boolean);
    if (!deps.some((d) => names.has(d))) return whole;
    const kept = [...new Set(deps.map((d) => (names.has(d) ? `__${MERGED}` : d)))];
    return `\n, [${kept.join(", ")}])`;
  });
}

/** Merges the split-off modules `files` into `output` (wasm-merge through a hub). */
function mergeWasm(files, output, wasmMerge) {
  const shared = sharedImports(files);
  const hub = `${output}.hub.wasm`;
  writeFileSync(hub, hubModule(shared));
  const args = files.flatMap((file, i) => [file, `part${i}`]);
  // The first module's target_features decide the merged module's features: a chunk first.
  wasmMerge([...args, hub, SHARED_IMPORTS, "-o", output]);
  rmSync(hub);
  const merged = readFileSync(output);
  const named = imports(merged).map((i) => (i.module === HUB_IMPORTS ? { ...i, module: SHARED_IMPORTS } : i));
  if (named.some((i) => i.module !== SHARED_IMPORTS)) throw new Error("the merged module imports something the main module does not share");
  writeFileSync(output, withoutExports(withImports(merged, named), shared.map((i) => i.name)));
}

/** The imports of `files`, one per name; all must be of the shared memory, table or globals. */
function sharedImports(files) {
  const byName = new Map();
  for (const file of files) {
    for (const i of imports(readFileSync(file))) {
      if (i.module !== SHARED_IMPORTS || i.kind === 0) throw new Error(`${file} imports ${i.module}.${i.name}: only shared memory, tables and globals can be merged`);
      if (!byName.has(i.name)) byName.set(i.name, i);
    }
  }
  return [...byName.values()];
}

/** A module that imports `shared` from `HUB_IMPORTS` and exports each under its own name. */
function hubModule(shared) {
  const nextIndex = new Map();
  const exports = shared.map(({ name, kind }) => {
    const index = nextIndex.get(kind) ?? 0;
    nextIndex.set(kind, index + 1);
    return Buffer.concat([encodeName(name), Buffer.from([kind]), uleb(index)]);
  });
  const header = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  return Buffer.concat([header, encodeSection(2, shared.map((i) => encodeImport({ ...i, module: HUB_IMPORTS }))), encodeSection(7, exports)]);
}

/** `buf` without its export section, which may hold only the hub's exports, `hubNames`. */
function withoutExports(buf, hubNames) {
  const other = exportEntries(buf).find(({ name }) => !hubNames.includes(name));
  if (other) throw new Error(`a merged chunk exports ${other.name}`);
  return withSection(buf, 7, null);
}
