// Release builds: the JS and CSS the app ships, minified with esbuild (whitespace, comments,
// local names). The wasm-bindgen glue, the split loader and the joined stylesheet are read
// before the first screen, so their size counts (README "Size and load time").
import { transformSync } from "esbuild";

/**
 * `code` minified as an ES module, or with `module: false` as a classic script (its top-level
 * names stay as written); `treeShaking` also drops top-level code nothing uses.
 */
export function minifyJs(code, { module = true, treeShaking = false } = {}) {
  const format = module ? "esm" : undefined;
  return transformSync(code, { loader: "js", format, minify: true, legalComments: "none", treeShaking }).code;
}

/** `css` minified; rules keep their order. */
export function minifyCss(css) {
  return transformSync(css, { loader: "css", minify: true, legalComments: "none" }).code;
}
