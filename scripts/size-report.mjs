// Prints raw, gzip and brotli sizes of the release app in dist/ and checks the size budget:
// the whole app (wasm + JS + CSS) at most 120 KB brotli. Also writes target/size-report.json.
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { join, extname, relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { existsSync } from "node:fs";
import { codeByModule } from "./wasm-code-by-module.mjs";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
const BUDGET_BROTLI = 120 * 1000;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const kinds = { ".wasm": "wasm", ".js": "js", ".css": "css" };
const rows = [];
for (const path of walk(dist)) {
  const kind = kinds[extname(path)];
  if (!kind) continue;
  const data = readFileSync(path);
  rows.push({
    file: relative(dist, path),
    kind,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  });
}
if (!rows.some((r) => r.kind === "wasm")) {
  console.error("size report: no .wasm in dist/ — run the release build first");
  process.exit(1);
}

const kb = (n) => (n / 1000).toFixed(1).padStart(8) + " KB";
const line = (label, r) => `${label.padEnd(44)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`;
const sum = (list) => list.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });

console.log(`${"file".padEnd(44)}${"raw".padStart(11)}${"gzip".padStart(11)}${"brotli".padStart(11)}`);
for (const r of rows.sort((a, b) => b.brotli - a.brotli)) console.log(line(r.file.slice(0, 43), r));
for (const kind of ["wasm", "js", "css"]) console.log(line(`total ${kind}`, sum(rows.filter((r) => r.kind === kind))));
const total = sum(rows);
console.log(line("TOTAL (wasm + js + css)", total));
const verdict = total.brotli <= BUDGET_BROTLI ? "within" : "OVER";
console.log(`budget: ${(BUDGET_BROTLI / 1000).toFixed(0)} KB brotli — ${verdict} (${((total.brotli / BUDGET_BROTLI) * 100).toFixed(0)}% used)`);

// Where the wasm's code comes from, so a change's cost can be traced to its module.
const linked = join(root, "target/wasm32-unknown-unknown/release/hookpanel.wasm");
let modules = [];
if (existsSync(linked)) {
  const { total: code, rows: byModule } = codeByModule(linked);
  modules = byModule;
  console.log(`\nwasm code by hookpanel module (before wasm-opt; ${(code / 1000).toFixed(0)} KB in all):`);
  for (const [name, bytes] of byModule.slice(0, 15)) {
    console.log(`${name.slice(0, 44).padEnd(44)}${kb(bytes)}${((bytes / code) * 100).toFixed(1).padStart(7)}%`);
  }
}

mkdirSync(join(root, "target"), { recursive: true });
writeFileSync(join(root, "target", "size-report.json"), JSON.stringify({ files: rows, total, budgetBrotli: BUDGET_BROTLI, codeByModule: modules }, null, 2));
// Over budget fails the run only when asked (SIZE_BUDGET=strict); the figures always print.
if (verdict === "OVER" && process.env.SIZE_BUDGET === "strict") process.exit(1);
