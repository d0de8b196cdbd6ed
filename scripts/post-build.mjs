// Trunk post-build hook (Trunk.toml [[hooks]]): runs on the staging dir before trunk moves it
// to dist/, for `trunk build` and `trunk serve` alike.
//  1. Strict CSP: trunk 0.21 starts the app with an inline <script type="module">; it, and
//     index.html's own inline script (the sign-in shell's), move into content-hashed files
//     (boot-<hash>.js, with SRI; minified in release) so `script-src 'self'` suffices.
//     Release builds fail if any inline script or style attribute is left in index.html.
//  2. Release only: the wasm is split into the first screen and the screens behind sign-in, and
//     optimised (scripts/split.mjs).
//  3. Release only: the stylesheets become one minified, content-hashed file, in their order:
//     one request instead of ten (six connections per server over HTTP/1.1, and the app's
//     scripts wait for every stylesheet before them), and one file compresses better than ten.
//     A split build gets two: the ones only the screens behind sign-in use (SCREEN_STYLES) go
//     in a second file, fetched when the first such screen opens.
//     split.mjs minifies the JS glue and the split loader likewise (scripts/minify.mjs).
//     The script lab's runner (lab/runner.js) is minified too.
//  4. Release only: a brotli (.br) and gzip (.gz) copy beside each text/wasm asset, for servers
//     that send precompressed files (the sandbox, nginx gzip_static/brotli_static).
//
//   node scripts/post-build.mjs [dir]     (dir defaults to $TRUNK_STAGING_DIR, then dist/)
import { readFileSync, writeFileSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { join, extname } from "node:path";
import { createHash } from "node:crypto";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { splitAndOptimise } from "./split.mjs";
import { minifyCss, minifyJs } from "./minify.mjs";

const root = new URL("..", import.meta.url).pathname;
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? join(root, "dist");
const release = (process.env.TRUNK_PROFILE ?? "release") === "release";
const base = process.env.TRUNK_PUBLIC_URL ?? "/";

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".svg", ".json", ".txt", ".webmanifest"]);

const hashOf = (text, algo, encoding) => createHash(algo).update(text).digest(encoding);
const MODULE = /\btype\s*=\s*"module"/i;

/**
 * Moves each inline script of index.html into a hashed file (its text through
 * `shrink(code, isModule)`); returns how many it moved.
 */
export function externalizeScripts(html, write, shrink = (code) => code) {
  let moved = 0;
  const preloads = [];
  let out = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attrs, body) => {
    // Trunk serve's auto-reload script gets its address filled in when served: leave it.
    if (/\bsrc\s*=/i.test(attrs) || !body.trim() || body.includes("{{__TRUNK")) return whole;
    const module = MODULE.test(attrs);
    body = shrink(body, module);
    const name = `boot-${hashOf(body, "sha256", "hex").slice(0, 16)}.js`;
    write(name, body);
    moved += 1;
    const integrity = `sha384-${hashOf(body, "sha384", "base64")}`;
    // A classic script in the body (the sign-in shell's) blocks the parser: fetched from the
    // head, it is not queued behind the wasm for one of the browser's six connections.
    if (!module) {
      preloads.push(`<link rel="preload" as="script" href="${base}${name}" integrity="${integrity}">`);
    }
    return `<script${attrs} src="${base}${name}" integrity="${integrity}"></script>`;
  });
  if (preloads.length) {
    const at = out.search(/<link rel="stylesheet"/);
    if (at < 0) throw new Error("index.html: no stylesheet link to put the script preloads before");
    out = out.slice(0, at) + preloads.join("\n    ") + "\n    " + out.slice(at);
  }
  return { html: out, moved };
}

/**
 * With the sign-in shell in index.html (README "The sign-in form as plain HTML first"), the
 * app waits for it: trunk's preloads of the wasm and the JS glue become inert (`data-rel`; the
 * shell's script starts them), and trunk's loader imports the glue and starts the app after
 * the shell's first frame is drawn (or 100 ms, in a tab that draws no frames). So the shell
 * shows, and takes typing, before the glue's compile and run, the wasm's compile and the first
 * render hold the main thread. The loader starts any preload still inert itself first, so the
 * glue is always fetched by its preload, which carries its integrity.
 */
export function letShellDrawFirst(html) {
  if (!html.includes('id="shell"')) return html;
  const preload = /<link rel="preload"( href="[^"]*_bg\.wasm")/;
  const loader = /(<script\b[^>]*type="module"[^>]*>)(?=[^<]*module_or_path)/;
  const glue = /import init, \* as bindings from (['"][^'"]+['"]);/;
  if (!preload.test(html) || !loader.test(html) || !glue.test(html)) {
    throw new Error("index.html: no wasm preload or trunk loader for the sign-in shell to start");
  }
  const afterFrame = [
    'if (document.getElementById("shell")) await new Promise((go) => { requestAnimationFrame(() => setTimeout(go)); setTimeout(go, 100); });',
    'document.querySelectorAll("link[data-rel]:not([rel])").forEach((link) => (link.rel = link.dataset.rel));',
    "",
  ].join("\n");
  return html
    .replace(preload, '<link data-rel="preload"$1')
    .replaceAll('<link rel="modulepreload"', '<link data-rel="modulepreload"')
    .replace(glue, "const bindings = await import($1);\nconst init = bindings.default;")
    .replace(loader, `$1${afterFrame}`);
}

/** What a strict policy would block in the page: inline scripts, handlers, style attributes. */
export function inlineLeftovers(html) {
  const found = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/i.test(m[1]) && m[2].trim()) found.push(`inline script: ${m[2].trim().slice(0, 60)}…`);
  }
  if (/<style\b/i.test(html)) found.push("a <style> element");
  for (const m of html.matchAll(/<[a-z][^>]*\s(style|on[a-z]+)\s*=/gi)) found.push(`a ${m[1]}= attribute`);
  return found;
}

/** Stylesheets only the screens behind sign-in use, by their name before trunk's hash. */
export const SCREEN_STYLES = ["fields", "widgets", "table", "history", "editor", "lab"];

/**
 * Replaces the stylesheet links of index.html by links to their concatenation, in the same
 * order: one file, or with `later` (names as in SCREEN_STYLES, which must come last) two. The
 * second is linked `disabled`, which the browser does not fetch until the split loader enables
 * it for the first screen behind sign-in (scripts/split.mjs `withScreenStyles`).
 * `read`/`write`/`remove` work on files of the staging dir by name.
 */
export function combineStylesheets(html, { read, write, remove, minify = (css) => css, later = [] }) {
  const link = /<link rel="stylesheet" href="([^"]*\/)?([^"/]+\.css)"[^>]*>\s*/g;
  const links = [...html.matchAll(link)];
  if (links.length < 2) return html;
  const isLater = (m) => later.includes(m[2].replace(/(-[0-9a-f]+)?\.css$/, ""));
  const first = links.findIndex(isLater);
  if (first >= 0 && !links.slice(first).every(isLater)) {
    throw new Error(`index.html: the stylesheets of ${later.join(", ")} must come after the others`);
  }
  const groups = [
    ["app", links.filter((m) => !isLater(m)), ""],
    ["screens", links.filter(isLater), " disabled data-screens"],
  ];
  let tags = "";
  for (const [stem, members, attributes] of groups) {
    if (!members.length) continue;
    const css = minify(members.map((m) => read(m[2])).join("\n"));
    const name = `${stem}-${hashOf(css, "sha256", "hex").slice(0, 16)}.css`;
    write(name, css);
    const integrity = `sha384-${hashOf(css, "sha384", "base64")}`;
    tags += `<link rel="stylesheet" href="${links[0][1] ?? ""}${name}" integrity="${integrity}"${attributes}/>\n    `;
  }
  for (const m of links) remove(m[2]);
  const at = links[0].index;
  return html.slice(0, at) + tags + html.slice(at).replace(link, "");
}

function* walk(path) {
  for (const name of readdirSync(path)) {
    const full = join(path, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Writes file.br and file.gz beside each compressible file (skipped when not smaller). */
function precompress(path) {
  let written = 0;
  for (const file of [...walk(path)]) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    const data = readFileSync(file);
    const variants = {
      br: brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }),
      gz: gzipSync(data, { level: 9 }),
    };
    for (const [ext, bytes] of Object.entries(variants)) {
      const target = `${file}.${ext}`;
      if (bytes.length < data.length) {
        writeFileSync(target, bytes);
        written += 1;
      } else {
        try {
          unlinkSync(target);
        } catch {}
      }
    }
  }
  return written;
}

function main() {
  const wasm = release ? splitAndOptimise(dir, base) : null;
  if (wasm) console.error(`post-build: wasm: ${wasm.summary}`);
  const indexPath = join(dir, "index.html");
  let page = readFileSync(indexPath, "utf8");
  if (release) {
    page = combineStylesheets(page, {
      read: (name) => readFileSync(join(dir, name), "utf8"),
      write: (name, text) => writeFileSync(join(dir, name), text),
      remove: (name) => unlinkSync(join(dir, name)),
      minify: minifyCss,
      later: wasm?.split ? SCREEN_STYLES : [],
    });
  }
  page = letShellDrawFirst(page);
  const write = (name, body) => writeFileSync(join(dir, name), body);
  const shrink = release ? (code, module) => minifyJs(code, { module }) : undefined;
  const { html, moved } = externalizeScripts(page, write, shrink);
  writeFileSync(indexPath, html);
  const leftovers = inlineLeftovers(html);
  if (release && leftovers.length) {
    console.error(`post-build: index.html would break its Content-Security-Policy:\n  ${leftovers.join("\n  ")}`);
    process.exit(1);
  }
  // The script lab's runner: it reports positions in the person's script from the length of
  // its own prelude as built at run time, so minifying it moves none of them.
  if (release) {
    const runner = join(dir, "lab/runner.js");
    writeFileSync(runner, minifyJs(readFileSync(runner, "utf8"), { module: false }));
  }
  const compressed = release ? precompress(dir) : 0;
  console.error(`post-build: ${moved} inline script(s) moved to files; ${compressed} precompressed file(s) written`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
