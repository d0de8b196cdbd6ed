// The contract check: every request the app sends to /api is validated against the request
// schemas Rocket.Chat publishes in @rocket.chat/rest-typings (installed by scripts/setup).
// A body or query the real server's schema would reject is a violation that fails the test.
//
// The package ships ESM with extension-less relative imports, which Node cannot load as is,
// so its modules are copied once into node_modules/.cache with the specifiers completed.
import { readFileSync, writeFileSync, mkdirSync, existsSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import Ajv from "ajv";

const root = new URL("../../../", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/**
 * Where a rest-typings release lives: the primary one (package.json `restTypingsVersion`) as
 * the ordinary package, the others (for other claimed server versions) beside it, unpacked by
 * scripts/setup.
 */
export function packageDir(version) {
  return version === manifest.restTypingsVersion
    ? join(root, "node_modules/@rocket.chat/rest-typings")
    : join(root, "node_modules/.hookpanel-rest-typings", version);
}

/**
 * The rest-typings release whose schemas judge requests to a server claiming `serverVersion`,
 * from package.json `restTypingsByServer` (by major.minor). A version without a row fails:
 * judging a 6.3 server by 8.8 schemas would wrongly reject correct requests, and the reverse
 * would let wrong ones through.
 */
export function schemaRelease(serverVersion) {
  const [major, minor] = String(serverVersion).split(".");
  const release = manifest.restTypingsByServer?.[`${major}.${minor}`];
  if (!release) throw new Error(`contract check: no rest-typings release chosen for server ${serverVersion}; add "${major}.${minor}" to restTypingsByServer in package.json`);
  return release;
}

function loader(pkg, cache) {
  const requireFromPkg = createRequire(join(pkg, "package.json"));
  function convert(file) {
    const out = join(cache, relative(pkg, file)).replace(/\.js$/, ".mjs");
    if (existsSync(out)) return out;
    const text = readFileSync(file, "utf8")
      // Bare imports (ajv/dist/2020, ajv-formats): resolved as Node's require would, by file URL.
      .replace(/from '([^.'][^']*)'/g, (_, spec) => `from '${pathToFileURL(requireFromPkg.resolve(spec)).href}'`)
      .replace(/from '(\.{1,2}\/[^']+)'/g, (_, spec) => {
        let target = join(dirname(file), spec);
        if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index");
        const converted = convert(`${target}.js`);
        let rel = relative(dirname(out), converted);
        if (!rel.startsWith(".")) rel = `./${rel}`;
        return `from '${rel}'`;
      });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    return out;
  }
  /** Imports a schema module of the release; `null` when this release has no such file. */
  return async (path) => {
    const file = join(pkg, "dist/v1", path);
    if (!existsSync(file)) return null;
    return import(pathToFileURL(convert(file)).href);
  };
}

// Servers before 8.6 compile body schemas with a plain `new Ajv()`: no type coercion. Each body
// must pass that stricter reading too, so a "true" string never slips through as a boolean.
const strictAjv = new Ajv({ allowUnionTypes: true, strict: false });
strictAjv.addKeyword({ keyword: "isNotEmpty", type: "string", validate: (_s, d) => typeof d === "string" && !!d.trim() });
const strict = new Map();
function strictly(validator) {
  if (!strict.has(validator)) strict.set(validator, strictAjv.compile(validator.schema));
  return strict.get(validator);
}

/**
 * What each endpoint may carry in one rest-typings release: a body validator, a query
 * validator, or nothing at all. An integrations endpoint whose schema file the release lacks
 * did not exist yet (clearHistory and replayOutgoing before 8.7), so calling it is a
 * violation; only `integrations.list` existed without a schema (before 7.0), which the
 * `unvalidated` note says.
 */
async function contractFor(release) {
  const pkg = packageDir(release);
  if (!existsSync(join(pkg, "package.json"))) throw new Error(`contract check: rest-typings ${release} is missing in ${pkg}; run scripts/setup`);
  const version = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version;
  const load = loader(pkg, join(root, "node_modules/.cache/hookpanel-contract", version));
  const [create, update, remove, get, list, history, clear, replay, auth, users, rooms, usersInfo, usersAuto] =
    await Promise.all(
      [
        "integrations/IntegrationsCreateProps.js",
        "integrations/IntegrationsUpdateProps.js",
        "integrations/IntegrationsRemoveProps.js",
        "integrations/IntegrationsGetProps.js",
        "integrations/IntegrationsListProps.js",
        "integrations/IntegrationsHistoryProps.js",
        "integrations/IntegrationsClearHistoryProps.js",
        "integrations/IntegrationsReplayProps.js",
        "auth.js",
        "users.js",
        "rooms.js",
        "users/UsersInfoParamsGet.js",
        "users/UsersAutocompleteParamsGET.js",
      ].map(load),
    );
  const rows = {
    "POST /api/v1/login": { body: auth.isLoginProps },
    "POST /api/v1/logout": { noBody: true },
    "GET /api/v1/me": { noQuery: true },
    "GET /api/info": { noQuery: true },
    "GET /api/v1/permissions.listAll": { query: null },
    "POST /api/v1/users.2fa.sendEmailCode": { body: users.isUsers2faSendEmailCodeProps },
    "POST /api/v1/integrations.create": { body: create.isIntegrationsCreateProps },
    "PUT /api/v1/integrations.update": { body: update.isIntegrationsUpdateProps },
    "POST /api/v1/integrations.remove": { body: remove.isIntegrationsRemoveProps },
    "GET /api/v1/integrations.get": { query: get.isIntegrationsGetProps },
    "GET /api/v1/integrations.list": list
      ? { query: list.isIntegrationsListProps }
      : { query: null, unvalidated: `rest-typings ${version} has no schema for integrations.list (it came with 7.0)` },
    "GET /api/v1/integrations.history": { query: history.isIntegrationsHistoryProps },
    "GET /api/v1/rooms.info": { query: rooms.isRoomsInfoProps },
    "GET /api/v1/rooms.autocomplete.channelAndPrivate": { query: rooms.isRoomsAutoCompleteChannelAndPrivateProps },
    "GET /api/v1/users.info": { query: usersInfo?.isUsersInfoParamsGetProps ?? users.isUsersInfoProps },
    "GET /api/v1/users.autocomplete": { query: usersAuto.isUsersAutocompleteProps },
  };
  if (clear) rows["POST /api/v1/integrations.clearHistory"] = { body: clear.isIntegrationsClearHistoryProps };
  if (replay) rows["POST /api/v1/integrations.replayOutgoing"] = { body: replay.isIntegrationsReplayProps };
  for (const [key, rule] of Object.entries(rows)) {
    for (const kind of ["body", "query"]) {
      if (kind in rule && rule[kind] === undefined) throw new Error(`contract check: rest-typings ${version} lacks the ${kind} validator of ${key}`);
    }
  }
  return { version, rows };
}

// Every release the table names, loaded once up front (checkRequest runs synchronously).
const contracts = new Map();
for (const release of new Set(Object.values(manifest.restTypingsByServer ?? {}).concat(manifest.restTypingsVersion))) {
  contracts.set(release, await contractFor(release));
}

/** The server version the fixtures configure unless a test claims another. */
export const DEFAULT_SERVER_VERSION = "8.8.1";

function describe(errors) {
  return (errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`).join("; ");
}

/**
 * Checks one request against the schemas of the release matching `serverVersion` (the
 * version the sandbox claims); returns human-readable violations (empty when it conforms).
 * `method`, `url` as sent; `body` the raw body text or null.
 */
export function checkRequest(method, url, body, serverVersion = DEFAULT_SERVER_VERSION) {
  const u = new URL(url);
  if (!u.pathname.startsWith("/api/")) return [];
  const { version, rows } = contracts.get(schemaRelease(serverVersion));
  const key = `${method} ${u.pathname}`;
  const rule = rows[key];
  if (!rule) {
    const known = [...contracts.values()].some((c) => key in c.rows);
    return [known
      ? `${key}: not in rest-typings ${version}, the release for server ${serverVersion}: this server version has no such endpoint`
      : `${key}: the app calls an endpoint the contract check does not know; add it to tests/e2e/support/contract.mjs`];
  }
  const problems = [];
  if (rule.body) {
    let data;
    try {
      data = JSON.parse(body ?? "");
    } catch {
      return [`${key}: body is not JSON: ${String(body).slice(0, 120)}`];
    }
    for (const [name, validate] of [["rest-typings " + version, rule.body], ["strict (no coercion)", strictly(rule.body)]]) {
      const copy = structuredClone(data);
      if (!validate(copy)) problems.push(`${key}: body rejected by ${name}: ${describe(validate.errors)}\n  body: ${body}`);
    }
  } else if (rule.noBody && body) {
    problems.push(`${key}: sends a body but the endpoint takes none: ${body.slice(0, 200)}`);
  }
  if (rule.query) {
    const params = {};
    for (const [k, v] of u.searchParams) params[k] = k in params ? [].concat(params[k], v) : v;
    if (!rule.query(params)) problems.push(`${key}: query rejected by rest-typings ${version}: ${describe(rule.query.errors)}\n  query: ${u.search}`);
  } else if (rule.noQuery && u.search) {
    problems.push(`${key}: sends query parameters but the endpoint takes none: ${u.search}`);
  }
  return problems;
}

/** The rest-typings version that judges requests to a server claiming `serverVersion`. */
export function schemaVersion(serverVersion = DEFAULT_SERVER_VERSION) {
  return contracts.get(schemaRelease(serverVersion)).version;
}
