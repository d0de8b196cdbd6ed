// The sandbox's script runner: one long-lived `node` child of the sandbox (src/engine.rs).
//
// Protocol: one JSON object per line on stdin, one answer per line on stdout, matched by `id`.
//   {id, op:"run", iid, key, engine:"ivm"|"vm2", kind:"incoming"|"outgoing", code, method,
//    params:<JSON, {"$date":iso} for Dates>, timeoutMs, loadTimeoutMs, memoryMb}
//   → {id, ok:true, found:true|false, result, logs}
//   → {id, ok:false, stage:"load"|"run", reason:"error"|"timeout"|"memory"|"clone", error:{name,message,stack}, logs}
//   {id, op:"ping"} → {id, ok:true}
//
// Each integration gets its own worker thread (a fresh V8 isolate with a heap limit, like
// isolated-vm's `new Isolate({memoryLimit: 8})`), and inside it a fresh `node:vm` context that
// holds only ECMAScript built-ins plus the globals the claimed server gives scripts. The worker is
// reused while `key` (id + _updatedAt + engine + version) is unchanged, so `Store` and instance
// state persist between calls like the server's per-integration cache. A call that runs past its
// time limit, or a worker that runs out of memory, ends that worker; the next call starts afresh.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

if (isMainThread) {
  main();
} else {
  worker();
}

function main() {
  const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
  /** iid → {key, worker, queue: Promise} */
  const workers = new Map();
  const MAX_WORKERS = 32;

  function drop(iid, w) {
    const entry = workers.get(iid);
    if (entry && entry.worker === w) workers.delete(iid);
    w.terminate().catch(() => {});
  }

  function workerFor(req) {
    const entry = workers.get(req.iid);
    if (entry && entry.key === req.key) {
      // Refresh LRU order.
      workers.delete(req.iid);
      workers.set(req.iid, entry);
      return entry;
    }
    if (entry) drop(req.iid, entry.worker);
    while (workers.size >= MAX_WORKERS) {
      const [oldest, e] = workers.entries().next().value;
      drop(oldest, e.worker);
    }
    const mb = Math.max(4, Number(req.memoryMb) || 8);
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { engine: req.engine, kind: req.kind, code: req.code, sloppy: !!req.sloppy, loadTimeoutMs: req.loadTimeoutMs },
      resourceLimits: { maxOldGenerationSizeMb: mb, maxYoungGenerationSizeMb: 2, stackSizeMb: 1 },
      stdout: true,
      stderr: true,
    });
    // Worker output must never reach our stdout, which carries the protocol.
    worker.stdout.resume();
    worker.stderr.on("data", (d) => process.stderr.write(d));
    const fresh = { key: req.key, worker, queue: Promise.resolve(), pending: null, dead: null };
    worker.on("message", (m) => {
      if (fresh.pending) fresh.pending(m);
    });
    const die = (reason, error) => {
      if (fresh.dead) return;
      fresh.dead = { reason, error };
      if (workers.get(req.iid) === fresh) workers.delete(req.iid);
      if (fresh.pending) fresh.pending({ ok: false, stage: "run", reason, error });
    };
    worker.on("error", (e) => {
      const memory = e && e.code === "ERR_WORKER_OUT_OF_MEMORY";
      die(memory ? "memory" : "error", {
        name: memory ? "RangeError" : (e && e.name) || "Error",
        message: memory ? "Isolate was disposed during execution due to memory limit" : String(e && e.message),
        stack: "",
      });
    });
    worker.on("exit", () => die("error", { name: "Error", message: "Isolate was disposed during execution", stack: "" }));
    workers.set(req.iid, fresh);
    return fresh;
  }

  function run(req) {
    const entry = workerFor(req);
    const task = entry.queue.then(
      () =>
        new Promise((resolve) => {
          if (entry.dead) {
            resolve({ ok: false, stage: "run", ...entry.dead });
            return;
          }
          const limit = Number(req.timeoutMs) || 3000;
          // The worker enforces the limit on synchronous code itself (vm timeout); this
          // watchdog catches the rest (an endless loop after an `await`).
          const timer = setTimeout(() => {
            entry.pending = null;
            drop(req.iid, entry.worker);
            entry.dead = { reason: "timeout", error: timeoutError(limit) };
            resolve({ ok: false, stage: "run", reason: "timeout", error: timeoutError(limit), logs: [] });
          }, limit + (Number(req.loadTimeoutMs) || 3000) + 2000);
          entry.pending = (m) => {
            clearTimeout(timer);
            entry.pending = null;
            if (!m.ok && (m.reason === "timeout" || m.stage === "load")) drop(req.iid, entry.worker);
            resolve(m);
          };
          entry.worker.postMessage({ method: req.method, params: req.params, timeoutMs: limit });
        }),
    );
    entry.queue = task.then(
      () => {},
      () => {},
    );
    return task;
  }

  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let req;
      try {
        req = JSON.parse(line);
      } catch {
        continue;
      }
      if (req.op === "ping") {
        out({ id: req.id, ok: true });
        continue;
      }
      run(req).then(
        (m) => out({ id: req.id, ...m }),
        (e) => out({ id: req.id, ok: false, stage: "run", reason: "error", error: { name: "Error", message: String(e), stack: "" } }),
      );
    }
  });
  // The sandbox closed our stdin (it stopped or dropped us): leave, taking the workers along.
  process.stdin.on("end", () => process.exit(0));
  process.stdout.on("error", () => process.exit(0));
}

function timeoutError(ms) {
  return { name: "Error", message: `Script execution timed out after ${ms}ms`, stack: `Error: Script execution timed out after ${ms}ms` };
}

// ---------------------------------------------------------------- worker: one integration

async function worker() {
  const vm = await import("node:vm");
  const { inspect } = await import("node:util");
  const { engine, kind, code, sloppy, loadTimeoutMs } = workerData;
  let logs = [];
  const hostLog = (level, args) => {
    logs.push({ level, text: args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 4 }))).join(" ") });
  };
  // Host side of `fetch` (server-fetch): answers a JSON string so no host object reaches the script.
  const hostFetch = async (url, options) => {
    const o = options && typeof options === "object" ? options : {};
    let body = o.body;
    const headers = o.headers && typeof o.headers === "object" ? { ...o.headers } : {};
    if (body !== undefined && body !== null && typeof body === "object") {
      body = JSON.stringify(body);
    }
    const res = await globalThis.fetch(String(url), {
      method: o.method || "GET",
      headers,
      body,
      redirect: "follow",
      signal: AbortSignal.timeout(Number(o.timeout) || 20000),
    });
    const text = await res.text();
    return JSON.stringify({ status: res.status, ok: res.ok, statusText: res.statusText, headers: [...res.headers.entries()], text });
  };

  const context = vm.createContext({}, { name: "integration", codeGeneration: { strings: true, wasm: false } });
  // V8 gives every context a console; the scripts get the proxied one below instead.
  vm.runInContext("delete globalThis.console;", context);
  // Globals are installed by code that runs inside the context, so scripts only ever meet
  // functions of their own realm (no `fn.constructor('return process')()` way out).
  const install = vm.runInContext(GLOBALS, context, { filename: "<sandbox-globals>" });
  install(engine, kind, hostLog, hostFetch);

  // Stack frames name the file as each sandbox does.
  const FILE = engine === "ivm" ? "<isolated-vm>" : "vm.js";
  // Babel eras: the server runs Babel's ES5 output, where class methods are sloppy functions,
  // so assigning an undeclared name creates a global instead of throwing. The script runs
  // inside `with (<proxy>) { … }` whose proxy claims exactly the names the script assigns
  // somewhere and does not declare globally: such an assignment (even in strict class code)
  // lands on the proxy, which stores it as a global. The `with` opens at the end of the line
  // before the script. Syntax errors (a redeclared wrapper constant, a top-level return) are
  // found first on the unwrapped text, where Babel's `var`s would collide as on the server.
  let open = "";
  let close = "";
  if (sloppy) {
    const makeProxy = vm.runInContext(SLOPPY, context);
    context[SLOPPY_KEY] = makeProxy(assignedNames(code), ["Store", "reproxy", "fetch", "Script"]);
    open = `with ((() => { const p = globalThis.${SLOPPY_KEY}; delete globalThis.${SLOPPY_KEY}; return p; })()) {`;
    close = "\n}";
  }
  const wrapped =
    engine === "ivm"
      ? IVM_PREFIX.slice(0, -1) + open + "\n\t" + code + IVM_SUFFIX + close
      : open + code + VM2_SUFFIX + close;
  let api = null;
  let loadError = null;
  if (sloppy) {
    try {
      new vm.Script(engine === "ivm" ? IVM_PREFIX + "\t" + code + IVM_SUFFIX : code + VM2_SUFFIX, { filename: FILE });
    } catch (e) {
      loadError = describe(e, FILE, true);
    }
  }
  if (!loadError) try {
    api = new vm.Script(wrapped, { filename: FILE }).runInContext(context, { timeout: loadTimeoutMs || 3000 });
  } catch (e) {
    loadError = describe(e, FILE, true);
  }
  if (!loadError && (api === null || api === undefined || typeof api !== "object")) {
    loadError = { name: "Error", message: "class-script-not-found", stack: "Error: class-script-not-found" };
  }

  const call = vm.runInContext(CALL, context);
  const callScript = new vm.Script(`(function () { const c = globalThis.${CALL_KEY}; delete globalThis.${CALL_KEY}; return c(); })()`, { filename: "<sandbox-call>" });
  parentPort.on("message", async (msg) => {
    logs = [];
    if (loadError) {
      parentPort.postMessage({ ok: false, stage: "load", reason: loadError.timeout ? "timeout" : "error", error: loadError, logs });
      return;
    }
    const fn = api[msg.method];
    if (typeof fn !== "function") {
      parentPort.postMessage({ ok: true, found: false, logs });
      return;
    }
    const json = JSON.stringify(msg.params ?? null);
    try {
      // The synchronous part runs under vm's timeout; the host function sits in the global
      // only until the timed script has taken it (before any script code runs).
      context[CALL_KEY] = () => call(fn, json);
      let result = callScript.runInContext(context, { timeout: msg.timeoutMs || 3000 });
      result = await result;
      let copied;
      try {
        // Deep copy out, as isolated-vm's `copy: true` / structured clone does.
        copied = result === undefined ? undefined : structuredClone(result);
      } catch (e) {
        parentPort.postMessage({ ok: false, stage: "run", reason: "clone", error: describe(e, FILE), logs });
        return;
      }
      parentPort.postMessage({ ok: true, found: true, result: copied === undefined ? null : toJson(copied), undefined: copied === undefined, logs });
    } catch (e) {
      const d = describe(e, FILE);
      parentPort.postMessage({ ok: false, stage: "run", reason: d.timeout ? "timeout" : "error", error: d, logs });
    }
  });
}

/** JSON-safe copy: Dates become ISO strings, undefined members disappear. */
function toJson(v) {
  return JSON.parse(JSON.stringify(v) ?? "null");
}

/** `{name, message, stack}` of a thrown value, with frames outside the script removed. */
function describe(e, file, atLoad = false) {
  if (e === null || (typeof e !== "object" && typeof e !== "function")) {
    return { name: "Error", message: String(e), stack: String(e) };
  }
  const name = String(e.name ?? "Error");
  let message = String(e.message ?? e);
  const timeout = e.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
  let stack = typeof e.stack === "string" ? e.stack : `${name}: ${message}`;
  if (atLoad && name === "SyntaxError") {
    // Node prefixes a compile error's stack with "<file>:<line>\n<code>\n<caret>\n\n":
    // isolated-vm puts the position into the message instead.
    const m = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)\\n(.*)\\n(\\s*)\\^`).exec(stack);
    if (m) message = `${message} [${file}:${m[1]}:${m[3].length + 1}]`;
    stack = `${name}: ${message}`;
  } else {
    const lines = stack.split("\n");
    const head = lines.findIndex((l) => /^\s+at /.test(l));
    const frames = (head < 0 ? [] : lines.slice(head)).filter((l) => l.includes(`(${file}:`) || l.includes(` ${file}:`));
    stack = [`${name}: ${message}`, ...frames].join("\n");
  }
  return { name, message, stack, timeout };
}

/** Names the script assigns to somewhere (`x =`, `x += …`, `x++`, `for (x of …)`). */
function assignedNames(code) {
  const names = new Set();
  const patterns = [
    /(?<![.\w$])([A-Za-z_$][\w$]*)\s*(?:=(?![=>])|[-+*\/%&|^]=|\*\*=|<<=|>>>?=|\?\?=|&&=|\|\|=|\+\+|--)/g,
    /(?:\+\+|--)\s*([A-Za-z_$][\w$]*)/g,
    /for\s*\(\s*([A-Za-z_$][\w$]*)\s+(?:of|in)\b/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) names.add(m[1]);
  return [...names];
}

const SLOPPY_KEY = "__hookpanel_sloppy_" + Math.random().toString(36).slice(2);
// Evaluated inside the context, so the proxy and its errors belong to the script's realm.
const SLOPPY = `(function (names, reserved) {
  const assigned = new Set(names);
  const skip = new Set(reserved);
  return new Proxy(Object.create(null), {
    has(_, k) { return typeof k === "string" && assigned.has(k) && !skip.has(k) && !(k in globalThis); },
    // Not yet assigned: undefined, so \`typeof x\` guards work (a plain read before the first
    // assignment would throw on the server; scripts that work there never do that).
    get(_, k) { return typeof k === "string" ? globalThis[k] : undefined; },
    set(_, k, v) { globalThis[k] = v; return true; },
  });
})`;

// Runs inside the context: parses the argument there (a deep copy into the isolate, with
// Dates revived) and calls the method under a time limit.
const CALL_KEY = "__hookpanel_call_" + Math.random().toString(36).slice(2);
const CALL = `(function (fn, json) {
  const arg = JSON.parse(json, (k, v) => (v && typeof v === "object" && typeof v.$date === "string" && Object.keys(v).length === 1 ? new Date(v.$date) : v));
  return fn(arg);
})`;

// Installs console, s (stringUtils), serverFetch, ivm, global (isolated-vm) or console, s,
// Store (vm2). Evaluated inside the context; the host functions stay in closures.
const GLOBALS = `(function (engine, kind, hostLog, hostFetch) {
  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  const log = (level) => function (...args) { hostLog(level, args.map((a) => (typeof a === "string" ? a : (() => { try { return JSON.parse(JSON.stringify(a)); } catch (e) { return String(a); } })()))); };
  define("console", { log: log("log"), info: log("info"), warn: log("warn"), error: log("error"), debug: log("debug"), trace: log("trace") });
  const makeString = (o) => (o ? String(o) : "");
  const escapeRegExp = (str) => makeString(str).replace(/([.*+?^=!:\${}()|[\\]/\\\\])/g, "\\\\$1");
  const chars = (c) => (c == null ? "\\\\s" : c.source ? c.source : "[" + escapeRegExp(c) + "]");
  const repeat = (str, n) => (n < 1 ? "" : new Array(n + 1).join(str));
  const pad = (str, length, padStr, type) => {
    str = makeString(str);
    length = ~~length;
    if (!padStr) padStr = " ";
    else if (padStr.length > 1) padStr = padStr.charAt(0);
    const n = length - str.length;
    if (type === "right") return str + repeat(padStr, n);
    if (type === "both") return repeat(padStr, Math.ceil(n / 2)) + str + repeat(padStr, Math.floor(n / 2));
    return repeat(padStr, n) + str;
  };
  define("s", {
    truncate: (str, length) => (str.length > length ? str.slice(0, length - 3) + "..." : str),
    trim: (str, c) => { str = makeString(str); if (!c) return str.trim(); c = chars(c); return str.replace(new RegExp("^" + c + "+|" + c + "+$", "g"), ""); },
    ltrim: (str, c) => { str = makeString(str); if (!c) return str.trimStart(); return str.replace(new RegExp("^" + chars(c) + "+"), ""); },
    rtrim: (str, c) => { str = makeString(str); if (!c) return str.trimEnd(); return str.replace(new RegExp(chars(c) + "+$"), ""); },
    capitalize: (str, lowercaseRest) => { str = makeString(str); const rest = !lowercaseRest ? str.slice(1) : str.slice(1).toLowerCase(); return str.charAt(0).toUpperCase() + rest; },
    stripTags: (str) => makeString(str).replace(/<\\/?[^>]+>/g, ""),
    strLeft: (str, sep) => { str = makeString(str); sep = makeString(sep); const pos = !sep ? -1 : str.indexOf(sep); return ~pos ? str.slice(0, pos) : str; },
    strRight: (str, sep) => { str = makeString(str); sep = makeString(sep); const pos = !sep ? -1 : str.indexOf(sep); return ~pos ? str.slice(pos + sep.length, str.length) : str; },
    strRightBack: (str, sep) => { str = makeString(str); sep = makeString(sep); const pos = !sep ? -1 : str.lastIndexOf(sep); return ~pos ? str.slice(pos + sep.length, str.length) : str; },
    numberFormat: (number, dec, dsep, tsep) => {
      if (isNaN(number) || number == null) return "";
      const parts = Number(number).toFixed(~~dec).split(".");
      tsep = typeof tsep === "string" ? tsep : ",";
      const decimals = parts[1] ? (dsep || ".") + parts[1] : "";
      return parts[0].replace(/(\\d)(?=(?:\\d{3})+$)/g, "$1" + tsep) + decimals;
    },
    pad: (str, length, padStr, type) => pad(str, length, padStr, type),
    lrpad: (str, length, padStr) => pad(str, length, padStr, "both"),
  });
  if (engine === "ivm") {
    const serverFetch = async function (url, options) {
      let text;
      try {
        text = await hostFetch(String(url), options === undefined ? undefined : JSON.parse(JSON.stringify(options)));
      } catch (e) {
        throw new Error(String(e && e.message ? e.message : e));
      }
      return JSON.parse(text);
    };
    define("serverFetch", serverFetch);
    define("ivm", {});
    define("global", globalThis);
  } else {
    const store = {};
    define("Store", {
      set: (k, v) => { store[k] = v; if (kind === "incoming") return v; },
      get: (k) => store[k],
    });
  }
})`;

// The isolated-vm wrapper (getCompatibilityScript, fetch version): helpers declared with
// `const`, so a script declaring Store/reproxy/fetch fails to load as on the server. Padded so
// that script line 1 is wrapper line 44 and starts after one tab, as on the server.
const IVM_HEAD = `const Store = (function() {
	const store = {};
	return {
		set(key, val) {
			store[key] = val;
			return val;
		},
		get(key) {
			return store[key];
		},
	};
})();

const reproxy = (response) => {
	const text = response.text;
	return {
		status: response.status,
		ok: response.ok,
		statusText: response.statusText,
		headers: response.headers,
		url: response.url,
		text: async () => text,
		json: async () => JSON.parse(text),
	};
};

const fetch = async (url, options) => {
	const response = await serverFetch(url, options);
	return reproxy(response);
};
`;
const IVM_PREFIX = IVM_HEAD + "\n".repeat(43 - IVM_HEAD.split("\n").length + 1);
const IVM_SUFFIX = `
(function() {
	const instance = new Script();
	const functions = {};
	for (const name of ['prepare_outgoing_request', 'process_outgoing_response', 'process_incoming_request']) {
		if (typeof instance[name] === 'function') {
			functions[name] = (...args) => instance[name](...args);
		}
	}
	return functions;
})();
`;
// vm2: \`<scriptCompiled>; Script;\`, then \`new\` once.
const VM2_SUFFIX = `
;(function() {
	const Klass = Script;
	if (!Klass) return null;
	const instance = new Klass();
	const functions = {};
	for (const name of ['prepare_outgoing_request', 'process_outgoing_response', 'process_incoming_request']) {
		if (typeof instance[name] === 'function') {
			functions[name] = (...args) => instance[name](...args);
		}
	}
	return functions;
})();
`;
