// Release builds, called by scripts/post-build.mjs: cuts the wasm into the first screen and one
// file per screen behind sign-in, then shrinks every file with wasm-opt.
//
// Trunk 0.21 runs wasm-bindgen and wasm-opt on the whole binary and has no step in between, so
// this redoes those two steps from cargo's own output (linked with --emit-relocs, see
// scripts/build):
//   1. wasm-split-cli (wasm_split_cli_support, the tool Leptos's `#[lazy]` is made for) cuts the
//      `#[lazy]` screens of src/pages/screens.rs out of the binary: a main module, one module
//      per screen, shared chunks, and `__wasm_split.js`, which fetches them on first use;
//   2. wasm-bindgen binds the main module as trunk did (same version, `--target web`), and
//      the classes the app never uses are dropped (scripts/unused-exports.mjs), and after
//      wasm-opt so are the glue's unused functions; the rest get short names;
//   3. the chunks the list loads become one file (scripts/shared-chunks.mjs); the loader
//      also waits for the screens' stylesheet (below); wasm-opt -Oz on each
//      module; then every new file gets a content hash in its name (they are cached for a
//      year) and index.html's integrity attributes are brought up to date.
// A build without split points (no `split` feature) gets the drop of step 2 and step 3.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { minifyJs } from "./minify.mjs";
import { mergeListChunks } from "./shared-chunks.mjs";
import { UNUSED_CLASSES, dropClassExports, dropGlueClasses, dropUnusedImports, shortImportNames } from "./unused-exports.mjs";

const root = new URL("..", import.meta.url).pathname;
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const RAW_WASM = join(targetDir, "wasm32-unknown-unknown/release/hookpanel.wasm");
const LINK_MODULE = "__wasm_split.js";

// wasm-opt may assume the memory's low 1 KB unused (the stack sits first and grows down
// towards it), in every module since they share one memory, and that the main module's memory
// starts zeroed, which a split-off module (it imports memory already in use) may not assume.
// The `producers` and `target_features` sections name the tools and the features the code
// was built with, for other tools: no browser reads them, and every file carried both.
const STRIP = ["--strip-producers", "--strip-target-features"];
const OPT_MAIN = ["-Oz", "--zero-filled-memory", "--low-memory-unused", ...STRIP];
const OPT_PART = ["-Oz", "--low-memory-unused", ...STRIP];

// The screens' stylesheet joins the load of every split-off module: scripts/post-build.mjs
// links it `disabled`, which the browser does not fetch, so the sign-in screen does without
// it. A screen shows once its code and its styles are in; a stylesheet that does not arrive
// fails the load as its code would ("This screen did not load"), and the next load tries again.
const PARALLEL_LOADS = "const parallelStuff = deps.map(d => d());";
const WITH_SCREEN_STYLES = `
let screenStylesLoad;
function screenStyles() {
  screenStylesLoad ??= new Promise((resolve, reject) => {
    const link = document.querySelector("link[data-screens]");
    if (!link) return resolve();
    // A link fetches once: an enabled copy fetches, again after a failure. (A failed link's
    // \`sheet\` is not a reliable sign: only this promise says whether the styles are in.)
    const copy = link.cloneNode();
    copy.removeAttribute("disabled");
    copy.onload = resolve;
    copy.onerror = () => {
      screenStylesLoad = undefined;
      reject(new Error("the screens' stylesheet did not load"));
    };
    link.replaceWith(copy);
  });
  return screenStylesLoad;
}
`;

/** wasm-split's loader, with every module load also waiting for the screens' stylesheet. */
export function withScreenStyles(loader) {
  if (!loader.includes(PARALLEL_LOADS)) throw new Error(`${LINK_MODULE} changed: no place to wait for the screens' stylesheet`);
  return loader.replace(PARALLEL_LOADS, "const parallelStuff = [...deps.map(d => d()), screenStyles()];") + WITH_SCREEN_STYLES;
}

const hex16 = (data) => createHash("sha256").update(data).digest("hex").slice(0, 16);
const sri = (data) => `sha384-${createHash("sha384").update(data).digest("base64")}`;

function run(tool, args) {
  execFileSync(tool, args, { stdio: ["ignore", "inherit", "inherit"] });
}

function wasmOpt(input, output, flags) {
  run(join(root, "node_modules/.bin/wasm-opt"), [...flags, input, "-o", output]);
}

/** Sets the integrity of the `<link>` whose href ends in `/name` (trunk's preloads). */
function setIntegrity(html, name, data) {
  const link = new RegExp(`(<link\\b[^>]*href="[^"]*/${name.replace(/[.]/g, "\\.")}"[^>]*integrity=")[^"]*(")`);
  if (!link.test(html)) throw new Error(`index.html has no preload of ${name} to update`);
  return html.replace(link, `$1${sri(data)}$2`);
}

/** The trunk-named main files in `dir`: `hookpanel-<hash>.js` and its `_bg.wasm`. */
function trunkOutput(dir) {
  const js = readdirSync(dir).find((f) => /^hookpanel-[0-9a-f]+\.js$/.test(f));
  if (!js) throw new Error(`no hookpanel-<hash>.js in ${dir}`);
  const stem = js.slice(0, -3);
  return { stem, js, wasm: `${stem}_bg.wasm` };
}

/**
 * Splits (when the binary has split points) and optimises the release wasm in `dir`, the
 * trunk staging dir, and updates `dir/index.html`. Returns whether it split, and a summary.
 */
export function splitAndOptimise(dir, base) {
  const { stem, js, wasm } = trunkOutput(dir);
  const indexPath = join(dir, "index.html");
  let html = readFileSync(indexPath, "utf8");
  const raw = readFileSync(RAW_WASM);
  if (!raw.includes("__wasm_split_load_")) {
    writeFileSync(join(dir, wasm), dropClassExports(readFileSync(join(dir, wasm)), UNUSED_CLASSES));
    wasmOpt(join(dir, wasm), join(dir, wasm), OPT_MAIN);
    const glue = dropGlueClasses(readFileSync(join(dir, js), "utf8"), UNUSED_CLASSES);
    writeFileSync(join(dir, js), glue);
    html = setIntegrity(html, js, glue);
    writeFileSync(indexPath, setIntegrity(html, wasm, readFileSync(join(dir, wasm))));
    return { split: false, summary: "one module (no split points)" };
  }

  const tmp = mkdtempSync(join(tmpdir(), "hookpanel-split-"));
  try {
    const parts = join(tmp, "parts");
    run("wasm-split-cli", [RAW_WASM, parts, "--out-name", stem, "--target", "web"]);
    run("wasm-bindgen", [join(parts, `${stem}.wasm`), "--target=web", `--out-dir=${join(tmp, "bound")}`, "--out-name=hookpanel", "--no-typescript", "--keep-lld-exports"]);
    const boundWasm = join(tmp, "bound", "hookpanel_bg.wasm");
    writeFileSync(boundWasm, dropClassExports(readFileSync(boundWasm), UNUSED_CLASSES));
    wasmOpt(boundWasm, join(dir, wasm), OPT_MAIN);

    // Each split-off module under a content-hashed name, and the loader told so.
    const wasmMerge = (args) => run(join(root, "node_modules/.bin/wasm-merge"), args);
    let link = withScreenStyles(mergeListChunks(parts, readFileSync(join(parts, LINK_MODULE), "utf8"), wasmMerge));
    const modules = readdirSync(parts).filter((f) => f.endsWith(".wasm") && f !== `${stem}.wasm`);
    for (const file of modules) {
      const optimised = join(tmp, `opt-${file}`);
      wasmOpt(join(parts, file), optimised, OPT_PART);
      const data = readFileSync(optimised);
      const hashed = `${basename(file, ".wasm")}-${hex16(data)}.wasm`;
      copyFileSync(optimised, join(dir, hashed));
      const reference = `"./${file}"`;
      if (!link.includes(reference)) throw new Error(`${LINK_MODULE} does not fetch ${file}`);
      link = link.replaceAll(reference, `"./${hashed}"`);
    }
    link = minifyJs(link);
    const linkName = `wasm-split-${hex16(link)}.js`;
    writeFileSync(join(dir, linkName), link);

    const bound = dropGlueClasses(readFileSync(join(tmp, "bound", "hookpanel.js"), "utf8"), UNUSED_CLASSES);
    // Only the ES import changes: the wasm still names its import module `./__wasm_split.js`.
    const linked = bound.replace(/(\bfrom\s*)(["'])\.\/__wasm_split\.js\2/g, `$1"./${linkName}"`);
    if (linked === bound) throw new Error(`wasm-bindgen's glue does not import ${LINK_MODULE}`);
    // What the glue offers the wasm and wasm-opt left unused goes too, with the helpers only
    // it used (tree shaking).
    const offered = dropUnusedImports(linked, readFileSync(join(dir, wasm)));
    const named = shortImportNames(offered, readFileSync(join(dir, wasm)));
    writeFileSync(join(dir, wasm), named.wasm);
    const mainJs = minifyJs(named.js, { treeShaking: true });
    writeFileSync(join(dir, js), mainJs);

    html = setIntegrity(html, js, mainJs);
    html = setIntegrity(html, wasm, readFileSync(join(dir, wasm)));
    // The loader is imported by the main glue: fetch it (verified) alongside.
    const preload = `<link rel="modulepreload" href="${base}${linkName}" crossorigin="anonymous" integrity="${sri(link)}">`;
    html = html.replace(/(<link\b[^>]*rel="modulepreload"[^>]*>)/, `$1\n    ${preload}`);
    writeFileSync(indexPath, html);
    return { split: true, summary: `${modules.length} module(s) split off the first screen: ${modules.join(", ")}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
