// Starts a private sandbox server (one per Playwright worker) and talks to its control API.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../../", import.meta.url).pathname;
/** The sandbox that scripts/build builds (Cargo profile `sandbox`). */
export const SANDBOX_BINARY = join(root, "target/sandbox/hookpanel-sandbox");

/** Starts the sandbox on a free port, serving dist/; resolves with { url, stop, log }. */
export function startSandbox(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), "hookpanel-e2e-"));
  const args = ["--port", "0", "--dist", join(root, "dist"), "--data", join(dir, "state.json"), "--fresh", ...extraArgs];
  const child = spawn(SANDBOX_BINARY, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${log.join("")}`)), 30_000);
    const onData = (chunk) => {
      const text = chunk.toString();
      log.push(text);
      if (log.length > 2000) log.splice(0, 1000);
      const m = /listening on (http:\/\/[^\s]+)/.exec(log.join(""));
      if (m && timer) {
        clearTimeout(timer);
        resolve({ url: m[1].replace(/\/$/, ""), log, stop: () => child.kill("SIGTERM") });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`sandbox exited (${code}):\n${log.join("")}`)));
  });
}

// The server version each sandbox claims, as last configured through `control`: the
// contract check judges requests by the schemas of that version.
const claimed = new Map();

/** The server version the sandbox at `base` claims (8.8.1, its default, until configured). */
export function claimedVersion(base) {
  return claimed.get(base) ?? "8.8.1";
}

/** Calls a sandbox control endpoint (`/sandbox/...`). */
export async function control(base, path, body) {
  if (path === "config" && body?.serverVersion) claimed.set(base, body.serverVersion);
  const res = await fetch(`${base}/sandbox/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
