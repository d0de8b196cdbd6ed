// Differential oracle for the sandbox's request schemas (run by sandbox/tests/suite/schema_diff.rs).
//
//   node sandbox/tests/schema_diff.mjs <release> <count> <seed> [strict]
//
// Generates <count> random integrations.create / integrations.update bodies (seeded, so a failure
// can be replayed) and judges each with the validators Rocket.Chat publishes in
// @rocket.chat/rest-typings <release> (installed by scripts/setup). Prints one JSON line per
// body: {endpoint, body, valid, coerced, message}. `strict` compiles the published schema with a plain
// `new Ajv()` instead (servers before 8.6 do not coerce body types).
import { readFileSync, writeFileSync, mkdirSync, existsSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const [release, countArg, seedArg, mode] = process.argv.slice(2);
const root = new URL("../../", import.meta.url).pathname;

function packageDir(version) {
  if (process.env.HOOKPANEL_REST_TYPINGS_DIR) return process.env.HOOKPANEL_REST_TYPINGS_DIR;
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return version === manifest.restTypingsVersion
    ? join(root, "node_modules/@rocket.chat/rest-typings")
    : join(root, "node_modules/.hookpanel-rest-typings", version);
}

const pkg = packageDir(release);
if (!existsSync(join(pkg, "package.json"))) {
  console.error(`schema_diff: @rocket.chat/rest-typings ${release} is missing in ${pkg}; run scripts/setup`);
  process.exit(3);
}

// The package ships ESM with extension-less relative imports: copy the needed modules with
// completed specifiers (the same conversion tests/e2e/support/contract.mjs does).
// Keyed by the install too: the copies import node_modules files by absolute path, which a
// new `npm ci` replaces.
const installed = join(root, "node_modules/.package-lock.json");
const installStamp = existsSync(installed) ? String(statSync(installed).mtimeMs) : "";
const cacheKey = createHash("sha256").update(`${pkg}\n${installStamp}`).digest("hex").slice(0, 12);
const cache = join(tmpdir(), "hookpanel-schema-diff", `${release}-${cacheKey}`);
const requireFromPkg = createRequire(join(pkg, "package.json"));
function convert(file) {
  const out = join(cache, relative(pkg, file)).replace(/\.js$/, ".mjs");
  if (existsSync(out)) return out;
  const text = readFileSync(file, "utf8")
    .replace(/from '([^.'][^']*)'/g, (_, spec) => `from '${pathToFileURL(requireFromPkg.resolve(spec)).href}'`)
    .replace(/from '(\.{1,2}\/[^']+)'/g, (_, spec) => {
      let target = join(dirname(file), spec);
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index");
      let rel = relative(dirname(out), convert(`${target}.js`));
      if (!rel.startsWith(".")) rel = `./${rel}`;
      return `from '${rel}'`;
    });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  return out;
}
const load = (path) => import(pathToFileURL(convert(join(pkg, "dist/v1", path))).href);
const create = (await load("integrations/IntegrationsCreateProps.js")).isIntegrationsCreateProps;
const update = (await load("integrations/IntegrationsUpdateProps.js")).isIntegrationsUpdateProps;

const validatorsPublished = { create, update };
let validators = validatorsPublished;
if (mode === "strict") {
  const Ajv = (await import(pathToFileURL(requireFromPkg.resolve("ajv")).href)).default;
  const ajv = new Ajv({ allowUnionTypes: true, strict: false });
  ajv.addKeyword({ keyword: "isNotEmpty", type: "string", validate: (_s, d) => typeof d === "string" && !!d.trim() });
  validators = { create: ajv.compile(create.schema), update: ajv.compile(update.schema) };
}

// mulberry32: small, seeded, the same sequence on every machine.
let state = Number(seedArg) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

// Values that exercise AJV's coercions: empty and blank strings, numeric and boolean strings,
// 0/1/false/null, arrays with odd items, objects.
const SCALARS = ["", " ", "x", "abc", "0", "1", "5", " 5 ", "1.5", "1e3", "0x10", "-2", "true", "false", "null", "#general", "rocket.cat", "sendMessage",
  "webhook-incoming", "webhook-outgoing", 0, 1, 5, -1, 1.5, 2e20, true, false, null];
function value() {
  const r = random();
  if (r < 0.7) return pick(SCALARS);
  if (r < 0.9) return Array.from({ length: Math.floor(random() * 3) }, () => pick(SCALARS));
  return pick([{}, { a: 1 }, [[]], [{}]]);
}

// Bodies are drawn from the published schema itself: each branch's properties, mostly with a
// value of the declared type, sometimes a stray value, a missing required key or an extra key.
const GOOD = {
  string: ["x", "#general", "rocket.cat", "sendMessage", ""],
  boolean: [true, false],
  number: [0, 3, 1.5],
  array: [["http://x"], [], ["a", "b"]],
};
function good(prop) {
  if (prop.pattern) return prop.pattern;
  const type = Array.isArray(prop.type) ? pick(prop.type) : prop.type;
  return pick(GOOD[type] ?? SCALARS);
}
function body(endpoint) {
  const schema = validatorsPublished[endpoint].schema;
  const branches = schema.oneOf ?? schema.anyOf ?? [schema];
  const branch = pick(branches);
  const other = pick(branches);
  const b = {};
  const required = new Set(branch.required ?? []);
  for (const [k, prop] of Object.entries(branch.properties ?? {})) {
    const r = random();
    if (required.has(k)) {
      if (r < 0.96) b[k] = random() < 0.9 ? good(prop) : value();
    } else if (r < 0.25) {
      b[k] = random() < 0.7 ? good(prop) : value();
    }
  }
  if (random() < 0.1) {
    const [k, prop] = pick(Object.entries(other.properties ?? { extra: {} }));
    b[k] = good(prop);
  }
  if (random() < 0.05) b.extra = value();
  if (random() < 0.03) return pick([[], "text", 5, null]);
  return b;
}

const count = Number(countArg) || 1000;
const lines = [];
for (let i = 0; i < count; i++) {
  const endpoint = i % 2 ? "update" : "create";
  const b = body(endpoint);
  const copy = structuredClone(b);
  const valid = validators[endpoint](copy);
  // The server's error text: the messages joined with "\n " (the router's format).
  const message = valid ? null : (validators[endpoint].errors ?? []).map((e) => e.message).join("\n ");
  lines.push(JSON.stringify({ endpoint, body: b, valid, coerced: valid ? copy : null, message }));
}
process.stdout.write(lines.join("\n") + "\n");
