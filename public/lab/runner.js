// hookpanel script lab runner. This page lives in an iframe with `sandbox="allow-scripts"` (an
// opaque origin: no cookies, storage or DOM of the app) and a policy without network. Each
// script runs in a Worker made from a blob, so an endless loop is ended with terminate().
// The app sends JSON text: {op:"check"|"call"|"stop", ...}; replies are JSON text too.
"use strict";
(() => {
  const app = window.parent;
  const LIMIT_MS = 3000;
  let current = null; // { worker, url, session, offset, pending, timer, origin }

  // ECMAScript built-ins: all an isolated-vm script sees besides the wrapper's globals.
  const BUILTINS =
    "Object Function Array Number parseFloat parseInt Infinity NaN undefined Boolean String Symbol Date Promise RegExp Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError JSON Math Intl ArrayBuffer SharedArrayBuffer Atomics DataView BigInt Map Set WeakMap WeakSet WeakRef FinalizationRegistry Proxy Reflect decodeURI decodeURIComponent encodeURI encodeURIComponent escape unescape eval isFinite isNaN Iterator Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array BigInt64Array BigUint64Array Float16Array WebAssembly";

  // Runs first inside the worker: builds the globals of the server's script sandbox and
  // hides everything else the worker has (network, timers, importScripts, …).
  function labWorker(config) {
    const post = self.postMessage.bind(self);
    const listen = self.addEventListener.bind(self);
    const logs = [];
    const show = (v) => {
      if (typeof v === "string") return v;
      if (v instanceof Error) return String(v.stack || v);
      try {
        const seen = new WeakSet();
        const text = JSON.stringify(v, (k, x) => {
          if (typeof x === "object" && x !== null) {
            if (seen.has(x)) return "[Circular]";
            seen.add(x);
          }
          if (typeof x === "function") return "[Function]";
          if (typeof x === "bigint") return String(x) + "n";
          return x;
        });
        return text === undefined ? String(v) : text;
      } catch (e) {
        return String(v);
      }
    };
    const consoleObj = {};
    for (const level of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) {
      consoleObj[level] = (...args) => {
        if (logs.length < 500) logs.push({ level, text: args.map(show).join(" ").slice(0, 4000) });
      };
    }
    const store = {};
    const Store = {
      set(key, value) {
        store[key] = value;
        return value;
      },
      get(key) {
        return store[key];
      },
    };
    // Rocket.Chat's stringUtils (`s`).
    const str = (x) => (x == null ? "" : String(x));
    const esc = (c) => str(c).replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
    const s = {
      truncate: (t, len) => ((t = str(t)).length > len ? t.slice(0, Math.max(0, len - 3)) + "..." : t),
      trim: (t, c) => (c ? str(t).replace(new RegExp(`^[${esc(c)}]+|[${esc(c)}]+$`, "g"), "") : str(t).trim()),
      ltrim: (t, c) => (c ? str(t).replace(new RegExp(`^[${esc(c)}]+`), "") : str(t).trimStart()),
      rtrim: (t, c) => (c ? str(t).replace(new RegExp(`[${esc(c)}]+$`), "") : str(t).trimEnd()),
      capitalize: (t, lower) => {
        t = str(t);
        const rest = t.slice(1);
        return t.charAt(0).toUpperCase() + (lower ? rest.toLowerCase() : rest);
      },
      stripTags: (t) => str(t).replace(/<\/?[^>]+>/g, ""),
      strLeft: (t, sep) => ((t = str(t)), (sep = str(sep)), t.indexOf(sep) >= 0 && sep ? t.slice(0, t.indexOf(sep)) : t),
      strRight: (t, sep) => ((t = str(t)), (sep = str(sep)), t.indexOf(sep) >= 0 && sep ? t.slice(t.indexOf(sep) + sep.length) : t),
      strRightBack: (t, sep) =>
        ((t = str(t)), (sep = str(sep)), t.lastIndexOf(sep) >= 0 && sep ? t.slice(t.lastIndexOf(sep) + sep.length) : t),
      numberFormat: (n, dec = 0, dsep = ".", tsep = ",") => {
        if (isNaN(n) || n == null) return "";
        const [i, f] = Number(n).toFixed(Math.max(0, ~~dec)).split(".");
        return i.replace(/\B(?=(\d{3})+(?!\d))/g, tsep) + (f ? dsep + f : "");
      },
      pad: (t, len, p = " ", type = "left") => {
        t = str(t);
        p = str(p).charAt(0) || " ";
        const n = Math.max(0, len - t.length);
        if (type === "right") return t + p.repeat(n);
        if (type === "both") return p.repeat(Math.floor(n / 2)) + t + p.repeat(Math.ceil(n / 2));
        return p.repeat(n) + t;
      },
      lrpad: (t, len, p) => s.pad(t, len, p, "both"),
    };
    const fetchStub = async (url) => {
      const text = `The script lab sends no network requests: fetch(${show(url)}) was not sent. On the server this call would go out.`;
      consoleObj.warn(text);
      throw new Error(text);
    };
    const unavailable = (name) =>
      new Proxy(function () {}, {
        get(t, k) {
          if (k === Symbol.toPrimitive) return () => name;
          return unavailable(`${name}.${String(k)}`);
        },
        apply() {
          throw new Error(`${name} exists on this server version, but the script lab does not emulate it.`);
        },
      });
    const builtins = config.builtins;
    const allowed = new Set([...builtins, "console", "s", "global", "globalThis"]);
    const extra = { console: consoleObj, s, Store };
    if (config.engine === "vm2") {
      for (const name of ["HTTP", "_", "moment"]) extra[name] = unavailable(name);
      for (const name of ["Store", "HTTP", "_", "moment"]) allowed.add(name);
    } else {
      // isolated-vm also exposes the host's serverFetch and the ivm module; neither does anything here.
      extra.fetch = fetchStub;
      extra.serverFetch = fetchStub;
      extra.ivm = {};
      allowed.add("serverFetch").add("ivm");
    }
    // Every name the worker has that the server's sandbox lacks is deleted from the global
    // object and its prototypes, so reading it throws ReferenceError and `typeof` says
    // "undefined", as there. A name that cannot be deleted is caught by the `with` scope below.
    const stuck = new Set();
    for (let o = self; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const name of Object.getOwnPropertyNames(o)) {
        if (allowed.has(name) || name === "constructor") continue;
        try {
          if (!delete o[name]) stuck.add(name);
        } catch (e) {
          stuck.add(name);
        }
      }
    }
    for (const name of ["fetch", "XMLHttpRequest", "WebSocket", "importScripts", "postMessage", "self", "location"]) {
      if (name in globalThis) stuck.add(name);
    }
    // Babel eras: class methods become sloppy ES5 functions, so assigning an undeclared name
    // makes a global there. Names the script assigns somewhere land on the global object.
    const sloppy = new Set(config.assigned);
    for (const name of ["Store", "fetch", "reproxy", "Script"]) sloppy.delete(name);
    const scope = new Proxy(Object.create(null), {
      has: (t, k) => typeof k === "string" && (stuck.has(k) || (sloppy.has(k) && !(k in globalThis))),
      get: (t, k) => {
        if (k === Symbol.unscopables) return undefined;
        if (stuck.has(k)) throw new ReferenceError(`${String(k)} is not defined`);
        return globalThis[k];
      },
      set: (t, k, v) => {
        globalThis[k] = v;
        return true;
      },
    });

    let instance = null;
    let loadError = null;
    const describe = (e) => {
      if (e instanceof Error || (e && typeof e === "object" && "message" in e)) {
        return { name: String(e.name || "Error"), message: String(e.message), stack: String(e.stack || "") };
      }
      return { name: "Error", message: show(e), stack: "" };
    };
    const revive = (v) => {
      if (Array.isArray(v)) return v.map(revive);
      if (v && typeof v === "object") {
        if (typeof v.$date === "string" && Object.keys(v).length === 1) return new Date(v.$date);
        for (const k of Object.keys(v)) v[k] = revive(v[k]);
      }
      return v;
    };
    listen("message", async (ev) => {
      const { method, arg } = ev.data;
      const done = (reply) => {
        reply.console = logs.splice(0);
        try {
          post(reply);
        } catch (e) {
          post({ ok: false, phase: "clone", error: { name: "DataCloneError", message: `The value returned could not be copied out of the sandbox: ${e.message}`, stack: "" }, console: reply.console });
        }
      };
      if (loadError) return done({ ok: false, phase: "load", error: describe(loadError) });
      const fn = instance && instance[method];
      if (typeof fn !== "function") return done({ ok: true, missing: true });
      try {
        let value = fn.call(instance, revive(arg));
        if (value && typeof value.then === "function") value = await value;
        done({ ok: true, value, defined: value !== undefined });
      } catch (e) {
        done({ ok: false, phase: "run", error: describe(e) });
      }
    });
    // What is left is the server's global object: built-ins plus its own globals. Store and
    // fetch are script-scope constants of isolated-vm's wrapper, not globals.
    const fakeGlobal = globalThis;
    for (const [name, value] of Object.entries(extra)) {
      if (config.engine === "vm2" || (name !== "Store" && name !== "fetch")) globalThis[name] = value;
    }
    globalThis.global = globalThis;
    const none = {};
    globalThis.__lab = {
      scope,
      global: fakeGlobal,
      extra,
      none,
      load(body) {
        try {
          const Script = body.call(fakeGlobal);
          if (Script === none) throw new ReferenceError("Script is not defined");
          instance = new Script();
        } catch (e) {
          loadError = e;
        }
      },
    };
  }

  // Names a script assigns to (`x = …`, `x += …`, `x++`, `for (x of …)`), declared or not.
  function assignedNames(code) {
    const names = new Set();
    const patterns = [
      /(?<![.\w$])([A-Za-z_$][\w$]*)\s*(?:=(?![=>])|[-+*/%&|^]=|\*\*=|<<=|>>>?=|\?\?=|&&=|\|\|=|\+\+|--)/g,
      /(?:\+\+|--)\s*([A-Za-z_$][\w$]*)/g,
      /for\s*\(\s*([A-Za-z_$][\w$]*)\s+(?:of|in)\b/g,
    ];
    for (const re of patterns) for (const m of code.matchAll(re)) names.add(m[1]);
    return [...names];
  }

  // The worker's text: the prelude, then the person's script from line `offset + 1`.
  function workerSource(script, engine, strict) {
    const names = ["console", "s", "global", "globalThis"];
    if (engine === "vm2") names.push("Store", "HTTP", "_", "moment");
    else names.push("serverFetch", "ivm");
    const lab = "__hookpanelLab";
    const prelude =
      `(${labWorker.toString()})(${JSON.stringify({ engine, builtins: BUILTINS.split(" "), assigned: strict ? [] : assignedNames(script) })});\n` +
      `(function (${names.join(", ")}, ${lab}) { delete globalThis.__lab; with (${lab}.scope) { ${lab}.load(function () { ` +
      (strict ? '"use strict"; ' : "") +
      // As in isolated-vm's wrapper: a script declaring these names fails to load.
      (engine === "vm2" ? "" : `const Store = ${lab}.extra.Store, fetch = ${lab}.extra.fetch, reproxy = undefined; `) +
      "\n";
    const args = names.map((n) => (n === "global" || n === "globalThis" ? "globalThis.__lab.global" : `globalThis.__lab.extra.${n}`));
    const epilogue = `\n;return typeof Script === "undefined" ? ${lab}.none : Script; }); } })(${args.join(", ")}, globalThis.__lab);\n`;
    return { text: prelude + script + epilogue, offset: prelude.split("\n").length - 1 };
  }

  // Person's line and column from a stack or an error event, or null.
  // The first position inside the person's script (lines offset+1 … offset+lines), or null.
  function position(stack, offset, lines) {
    const re = /blob:[^\s)]*?:(\d+):(\d+)/g;
    for (let m; (m = re.exec(stack || "")); ) {
      const line = Number(m[1]) - offset;
      if (line >= 1 && line <= lines) return { line, column: Number(m[2]) };
    }
    return null;
  }

  function mapStack(stack, offset, lines) {
    return String(stack || "").replace(/blob:[^\s)]*?:(\d+):(\d+)/g, (all, l, c) => {
      const line = Number(l) - offset;
      return line >= 1 && line <= lines ? `script:${line}:${c}` : "lab-wrapper";
    });
  }

  function send(target, reply) {
    app.postMessage(JSON.stringify(reply), target);
  }

  function stop() {
    if (!current) return;
    clearTimeout(current.timer);
    current.worker.terminate();
    URL.revokeObjectURL(current.url);
    current = null;
  }

  function makeWorker(text) {
    const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
    return { worker: new Worker(url), url };
  }

  function withPosition(error, offset, lines) {
    const at = position(error.stack, offset, lines);
    return { ...error, stack: mapStack(error.stack, offset, lines), line: at ? at.line : null, column: at ? at.column : null };
  }

  // Parses the script as the server's compile step would, without running it.
  function check(msg, origin) {
    const prefix = (msg.parseOnly ? "" : '"use strict";') + "self.postMessage(0); throw 0; " + (msg.parseOnly ? "(function () {\n" : "{\n");
    const { worker, url } = makeWorker(prefix + msg.script + (msg.parseOnly ? "\n})" : "\n}"));
    let answered = false;
    const finish = (reply) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(url);
      send(origin, { op: "check", id: msg.id, ...reply });
    };
    const timer = setTimeout(() => finish({ ok: true }), LIMIT_MS);
    worker.addEventListener("message", () => finish({ ok: true }));
    worker.addEventListener("error", (ev) => {
      ev.preventDefault();
      const text = String(ev.message || "");
      if (!/SyntaxError/.test(text)) return finish({ ok: true });
      // Babel parses modules: import/export pass its compile step (they fail at run time).
      if (!msg.parseOnly && /Cannot use import statement|Unexpected token 'export'/.test(text)) return finish({ ok: true });
      // An error past the end (an unclosed block) is placed after the script's last character.
      const lines = msg.script.split("\n");
      let line = ev.lineno - 1;
      let column = ev.colno;
      if (line > lines.length) {
        line = lines.length;
        column = lines[line - 1].length + 1;
      }
      finish({
        ok: false,
        error: { name: "SyntaxError", message: text.replace(/^(Uncaught )?SyntaxError: /, ""), line: Math.max(1, line), column },
      });
    });
  }

  // Calls one method of the script; the worker (and the Script instance) stays for the session.
  function call(msg, origin) {
    if (!current || current.session !== msg.session) {
      stop();
      const source = workerSource(msg.script, msg.engine === "vm2" ? "vm2" : "ivm", !!msg.strict);
      const made = makeWorker(source.text);
      const lines = msg.script.split("\n").length;
      current = { ...made, session: msg.session, offset: source.offset, lines, pending: null, timer: 0 };
      const mine = current;
      mine.answer = (reply) => {
        clearTimeout(mine.timer);
        const id = mine.pending;
        mine.pending = null;
        send(mine.origin, { op: "call", id, ...reply });
      };
      made.worker.addEventListener("message", (ev) => {
        if (current !== mine || mine.pending === null) return;
        const reply = ev.data;
        if (reply.error) reply.error = withPosition(reply.error, mine.offset, mine.lines);
        mine.answer(reply);
      });
      made.worker.addEventListener("error", (ev) => {
        ev.preventDefault();
        if (current !== mine || mine.pending === null) return;
        const text = String(ev.message || "").replace(/^Uncaught /, "");
        const m = /^(\w*Error): ([\s\S]*)$/.exec(text);
        const line = ev.lineno - mine.offset;
        const inScript = line >= 1 && line <= mine.lines;
        mine.answer({
          ok: false,
          phase: "load",
          error: {
            name: m ? m[1] : "Error",
            message: m ? m[2] : text,
            stack: "",
            line: inScript ? line : null,
            column: inScript ? ev.colno : null,
          },
          console: [],
        });
        stop();
      });
    }
    const mine = current;
    mine.pending = msg.id;
    mine.origin = origin;
    mine.timer = setTimeout(() => {
      mine.answer({
        ok: false,
        phase: "timeout",
        error: { name: "Timeout", message: `Stopped after ${(msg.timeout || LIMIT_MS) / 1000} s: the script did not finish (an endless loop?).`, stack: "", line: null, column: null },
        console: [],
      });
      stop();
    }, msg.timeout || LIMIT_MS);
    mine.worker.postMessage({ method: msg.method, arg: msg.arg });
  }

  window.addEventListener("message", (ev) => {
    if (ev.source !== app || typeof ev.data !== "string") return;
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (msg.op === "check") check(msg, ev.origin);
    else if (msg.op === "call") call(msg, ev.origin);
    else if (msg.op === "stop") stop();
  });
  app.postMessage(JSON.stringify({ op: "ready" }), "*");
})();
