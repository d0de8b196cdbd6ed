// The script lab against the sandbox: for the same script and payload, the message the lab
// shows is the message the sandbox really posts (read back through /sandbox/messages), the
// reply it shows is the hook's reply, and a syntax error's line and column in the editor are
// those of the sandbox's stored scriptError. Needs the sandbox to run scripts (branch
// `sandbox-scripts`). Screenshots of a run of each kind, both themes at 360 px, land in
// target/e2e/screenshots/script-lab/.
import { test, expect, signIn } from "./support/fixtures.mjs";
import { control } from "./support/sandbox.mjs";

// The admin's personal access token (sandbox/README.md), for set-up calls made outside the app.
const ADMIN = { id: "9ZWavJhzHXNEXeSz6", token: "VkC1cXe3wpf5tmr97gkiXC2Fpwm2x8ViYmT8JbeqmX5" };

async function api(base, method, path, body) {
  const res = await fetch(`${base}/api/v1/${path}`, {
    method,
    headers: { "Content-Type": "application/json", "X-User-Id": ADMIN.id, "X-Auth-Token": ADMIN.token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, `${path}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

async function createIncoming(base, fields) {
  const body = {
    type: "webhook-incoming",
    name: `Lab ${fields.label}`,
    enabled: true,
    username: "rocket.cat",
    channel: fields.channel,
    alias: fields.alias ?? "",
    emoji: fields.emoji ?? "",
    avatar: fields.avatar ?? "",
    scriptEnabled: true,
    script: fields.script,
    overrideDestinationChannelEnabled: !!fields.override,
  };
  return (await api(base, "POST", "integrations.create", body)).integration;
}

async function messages(base, room) {
  return (await control(base, `messages?room=${encodeURIComponent(room)}`)).messages;
}

// The keys processWebhookMessage sets (scripts spec §5.4), compared between lab and sandbox.
const KEYS = ["msg", "alias", "emoji", "avatar", "attachments", "parseUrls", "groupable", "tmid", "bot"];
const pick = (m) => Object.fromEntries(KEYS.filter((k) => m[k] !== undefined && m[k] !== null).map((k) => [k, m[k]]));

/** Runs the lab on the edit page of `id` with this payload; returns replies and posts shown. */
async function runLab(page, kind, id, sample) {
  await page.goto(`/integrations/${kind}/${id}`);
  await expect(page.getByLabel("Script", { exact: true })).toBeVisible();
  await page.locator("details.lab > summary").click();
  if (sample?.headers !== undefined) await page.locator("#lab-headers").fill(sample.headers);
  if (sample?.body !== undefined) await page.locator("#lab-body").fill(sample.body);
  if (sample?.answer !== undefined) await page.locator("#lab-answer").fill(sample.answer);
  await page.locator(".lab").getByRole("button", { name: "Run" }).click();
  await expect(page.locator(".lab-step").first()).toBeVisible({ timeout: 10_000 });
  await expect(page.locator(".lab .btn-primary")).toHaveText("Run", { timeout: 10_000 });
  const steps = page.locator(".lab-step");
  const result = [];
  for (let i = 0; i < (await steps.count()); i++) {
    const step = steps.nth(i);
    const replyText = (await step.locator("p", { hasText: /^Reply: / }).allTextContents())[0];
    const reply = replyText ? /^Reply: HTTP (\d+) (.*)$/s.exec(replyText) : null;
    const posts = [];
    for (const post of await step.locator(".lab-post").all()) {
      const target = await post.locator("p.muted strong").first().textContent();
      posts.push({ target, message: JSON.parse(await post.locator(".lab-message-json").textContent()) });
    }
    const http = await step.locator(".lab-http").allTextContents();
    result.push({
      method: await step.getAttribute("data-method"),
      status: reply ? Number(reply[1]) : null,
      body: reply ? JSON.parse(reply[2]) : null,
      posts,
      http: http[0] ?? null,
      error: (await step.locator(".lab-error").allTextContents())[0] ?? null,
    });
  }
  return result;
}

/** Sends the payload to the hook; returns the reply and what it posted in `rooms`. */
async function sendHook(base, hook, sample, rooms) {
  const before = {};
  for (const r of rooms) before[r] = (await messages(base, r)).length;
  const headers = Object.fromEntries(
    sample.headers.split("\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]),
  );
  const res = await fetch(`${base}/hooks/${hook._id}/${hook.token}`, { method: "POST", headers, body: sample.body, signal: AbortSignal.timeout(20_000) }).catch((e) => ({ error: e }));
  const reply = res.error ? null : { status: res.status, body: await res.json().catch(() => null) };
  const posted = [];
  for (const r of rooms) for (const m of (await messages(base, r)).slice(before[r])) posted.push({ room: r, message: m });
  return { reply, posted };
}

const JSON_HEADERS = "Content-Type: application/json";

const GIT_PUSH = `class Script {
  process_incoming_request({ request }) {
    const event = request.headers['x-github-event'];
    if (event !== 'push') {
      return;
    }
    const p = request.content;
    const branch = p.ref.replace('refs/heads/', '');
    return {
      content: {
        text: '*' + p.pusher.name + '* pushed ' + p.commits.length + ' commit(s) to \`' + branch + '\` of [' + p.repository.full_name + '](' + p.compare + ')',
        attachments: p.commits.map((c) => ({
          color: '#1d74f5',
          title: c.id.slice(0, 7) + ' ' + c.message.split('\\n')[0],
          title_link: c.url,
          text: 'by _' + c.author.name + '_',
          fields: [{ title: 'Branch', value: branch, short: true }],
        })),
      },
    };
  }
}`;

const GIT_BODY = JSON.stringify({
  ref: "refs/heads/main",
  compare: "https://github.com/acme/widgets/compare/1a2b3c4...9f8e7d6",
  pusher: { name: "octocat" },
  repository: { full_name: "acme/widgets" },
  commits: [
    { id: "9f8e7d6c5b4a", url: "https://github.com/acme/widgets/commit/9f8e7d6c5b4a", message: "Fix login redirect\n\nDetails", author: { name: "Mona" } },
    { id: "5a6b7c8d9e0f", url: "https://github.com/acme/widgets/commit/5a6b7c8d9e0f", message: "Bump deps", author: { name: "Mona" } },
  ],
});

const ALERT = `class Script {
  process_incoming_request({ request }) {
    const body = request.content;
    if (!body || !Array.isArray(body.alerts)) {
      return { error: 'expected an alerts array' };
    }
    const critical = body.alerts.some((a) => a.labels.severity === 'critical');
    const content = {
      alias: 'Alertmanager',
      emoji: critical ? ':rotating_light:' : ':warning:',
      text: body.alerts.length + ' alert(s) ' + body.status,
      attachments: body.alerts.map((a) => ({
        color: a.labels.severity === 'critical' ? '#f5455c' : '#ffd21f',
        title: a.labels.alertname + ' on ' + a.labels.instance,
        title_link: a.generatorURL,
        text: a.annotations.summary,
        fields: [{ title: 'Severity', value: a.labels.severity, short: true }],
      })),
    };
    if (critical && body.status === 'firing') {
      content.channel = '#dev';
    }
    return { content };
  }
}`;

const ALERT_BODY = JSON.stringify({
  status: "firing",
  alerts: [
    {
      labels: { alertname: "HighCPU", severity: "critical", instance: "db-1:9100" },
      annotations: { summary: "CPU above 95% for 10 minutes" },
      generatorURL: "https://prom.example/graph?g0.expr=cpu",
    },
  ],
});

const THROWS = `class Script {
  process_incoming_request({ request }) {
    return { content: { text: request.content.missing.deeper } };
  }
}`;

const LOOPS = `class Script {
  process_incoming_request() {
    for (;;) {}
  }
}`;

const OLD_GLOBAL = `class Script {
  process_incoming_request({ request }) {
    const r = HTTP('GET', 'https://example.com/');
    return { content: { text: 'got ' + r.result.statusCode } };
  }
}`;

const INCOMING = [
  { label: "git push", channel: "#dev", emoji: ":package:", script: GIT_PUSH, sample: { headers: `${JSON_HEADERS}\nX-GitHub-Event: push`, body: GIT_BODY }, rooms: ["dev"] },
  { label: "alert override", channel: "#general", override: true, script: ALERT, sample: { headers: JSON_HEADERS, body: ALERT_BODY }, rooms: ["general", "dev"] },
  { label: "returns error", channel: "#general", script: ALERT, sample: { headers: JSON_HEADERS, body: '{"text":"no alerts"}' }, rooms: ["general"] },
  { label: "throws", channel: "#general", alias: "Thrower", script: THROWS, sample: { headers: JSON_HEADERS, body: '{"text":"x"}' }, rooms: ["general"] },
  { label: "old global", channel: "#general", script: OLD_GLOBAL, sample: { headers: JSON_HEADERS, body: '{"text":"x"}' }, rooms: ["general"] },
];

test("incoming: the lab shows what the sandbox posts and answers", async ({ page, sandbox }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  for (const c of INCOMING) {
    const hook = await createIncoming(sandbox.url, c);
    expect(hook.scriptError, c.label).toBeUndefined();
    const server = await sendHook(sandbox.url, hook, c.sample, c.rooms);
    const [lab] = await runLab(page, "incoming", hook._id, c.sample);
    expect(lab.status, c.label).toBe(server.reply.status);
    expect(lab.body, c.label).toEqual(server.reply.body);
    expect(lab.posts.length, c.label).toBe(server.posted.length);
    lab.posts.forEach((p, i) => {
      expect(p.target.replace(/^#/, ""), c.label).toBe(server.posted[i].room);
      expect(pick(p.message), c.label).toEqual(pick(server.posted[i].message));
    });
    if (c.label === "throws" || c.label === "old global") {
      expect(lab.error, c.label).toMatch(c.label === "throws" ? /TypeError at line 3, column \d+/ : /ReferenceError at line 3, column \d+: HTTP is not defined/);
    }
  }
});

test("incoming: an endless loop is stopped in the lab; the sandbox posts nothing either", async ({ page, sandbox }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  const c = { label: "loop", channel: "#general", script: LOOPS, sample: { headers: JSON_HEADERS, body: '{"text":"x"}' } };
  const hook = await createIncoming(sandbox.url, c);
  const [lab] = await runLab(page, "incoming", hook._id, c.sample);
  expect(lab.error).toMatch(/Stopped after/);
  expect(lab.posts).toEqual([]);
  const before = (await messages(sandbox.url, "general")).length;
  // The real server has no time limit for methods; the sandbox must not post either way.
  await fetch(`${sandbox.url}/hooks/${hook._id}/${hook.token}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: c.sample.body, signal: AbortSignal.timeout(15_000) }).catch(() => null);
  expect((await messages(sandbox.url, "general")).length).toBe(before);
});

const HELPDESK = `class Script {
  prepare_outgoing_request({ request }) {
    const id = request.data.text.slice(request.data.trigger_word.length).trim();
    if (!/^\\d+$/.test(id)) {
      return { message: { text: 'Usage: \`!ticket <number>\`' } };
    }
    return {
      url: request.url,
      method: 'POST',
      headers: Object.assign({}, request.headers, { Authorization: 'Bearer helpdesk-key' }),
      data: { id: id, source: 'lab' },
    };
  }

  process_outgoing_response({ request, response }) {
    if (response.status_code !== 200) {
      return { content: { text: 'Lookup failed (HTTP ' + response.status_code + ')' } };
    }
    const t = JSON.parse(response.content);
    return {
      content: {
        text: 'Helpdesk: *' + t.text + '*',
        attachments: [{ color: '#1d74f5', title: 'Request ' + request.data.id, fields: [{ title: 'Status', value: 'open', short: true }] }],
      },
    };
  }
}`;

test("outgoing: the lab's request and posted answer match the sandbox's", async ({ page, sandbox }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  const receiver = "lab-helpdesk";
  await control(sandbox.url, `receiver/${receiver}/config`, { text: "Ticket 4711 is open" });
  const created = await api(sandbox.url, "POST", "integrations.create", {
    type: "webhook-outgoing",
    name: "Lab helpdesk",
    event: "sendMessage",
    enabled: true,
    username: "rocket.cat",
    channel: "#dev",
    triggerWords: ["!ticket"],
    urls: [`${sandbox.url}/sandbox/receiver/${receiver}`],
    token: "lab-token-123",
    scriptEnabled: true,
    script: HELPDESK,
  });
  const hook = created.integration;
  const before = (await messages(sandbox.url, "dev")).length;
  await fetch(`${sandbox.url}/api/v1/chat.postMessage`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-User-Id": ADMIN.id, "X-Auth-Token": ADMIN.token },
    body: JSON.stringify({ channel: "#dev", text: "!ticket 4711" }),
  });
  let posted = [];
  await expect(async () => {
    posted = (await messages(sandbox.url, "dev")).slice(before).filter((m) => m.bot?.i === hook._id);
    expect(posted.length).toBe(1);
  }).toPass({ timeout: 10_000 });
  const calls = (await control(sandbox.url, `receiver/${receiver}`)).calls;
  expect(calls.length).toBe(1);

  const steps = await runLab(page, "outgoing", hook._id, { answer: '{"text":"Ticket 4711 is open"}' });
  expect(steps.map((s) => s.method)).toEqual(["prepare_outgoing_request", "process_outgoing_response"]);
  // The request: same body and the script's header.
  const http = steps[0].http;
  expect(http).toMatch(new RegExp(`^POST ${sandbox.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/sandbox/receiver/${receiver}\n`));
  expect(http).toContain("Authorization: Bearer helpdesk-key");
  expect(JSON.parse(http.slice(http.indexOf("\n\n") + 2))).toEqual(calls[0].body);
  expect(calls[0].headers.authorization).toBe("Bearer helpdesk-key");
  // The answer posted back.
  const [post] = steps[1].posts;
  expect(post.target).toBe("#dev");
  expect(pick(post.message)).toEqual(pick(posted[0]));
});

const BROKEN = `class Script {
  process_incoming_request({ request }) {
    const text = request.content.text;
    return { content: { text: text +  } };
  }
}`;

/** The line and column (1-based) in a stored scriptError, as the app's core reads it. */
function storedPosition(error) {
  const text = `${error.message}\n${error.stack ?? ""}`;
  const ivm = /\[<isolated-vm>:(\d+):(\d+)\]/.exec(text);
  if (ivm) return { line: Number(ivm[1]) - 43, column: Number(ivm[2]) };
  // Babel's "(LINE:COLUMN)" and the sandbox's "integration script:LINE:COLUMN": column 0-based.
  const babel = /\((\d+):(\d+)\)/.exec(error.message) ?? /integration script:(\d+):(\d+)/.exec(error.stack ?? "");
  return babel ? { line: Number(babel[1]), column: Number(babel[2]) + 1 } : null;
}

test("a syntax error's line and column in the editor equal the sandbox's scriptError", async ({ page, sandbox, shot }) => {
  const hook = await createIncoming(sandbox.url, { label: "broken", channel: "#general", script: BROKEN });
  expect(hook.scriptError?.name).toBe("SyntaxError");
  const want = storedPosition(hook.scriptError);
  expect(want).toBeTruthy();

  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await page.goto(`/integrations/incoming/${hook._id}`);
  const editor = page.getByLabel("Script", { exact: true });
  await editor.fill("");
  await editor.fill(BROKEN);
  const syntax = page.locator("#script-syntax");
  await expect(syntax).toContainText(`Syntax error at line ${want.line}, column ${want.column}`);
  await expect(page.locator(".gutter-error")).toHaveText(String(want.line));
  await shot("syntax-error");
  // While the script is on it blocks the save; off, it is a warning.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#error-summary")).toContainText(`line ${want.line}, column ${want.column}`);
  await page.getByRole("switch", { name: "Script enabled" }).uncheck();
  await expect(page.locator("#error-summary")).toHaveCount(0);
  await expect(syntax).toHaveClass(/field-warning/);
});

/** The lab alone (the page at 360 px is too tall to read), beside the full-page shots. */
async function labShot(page, name) {
  const dir = new URL("../../target/e2e/screenshots/script-lab/", import.meta.url).pathname;
  await page.locator("details.lab").screenshot({ path: `${dir}${name}.png` });
}

test("screenshots: a run of each kind, light and dark, at 360 px", async ({ page, sandbox, shot }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await page.setViewportSize({ width: 360, height: 800 });
  const hook = await createIncoming(sandbox.url, { label: "shots", channel: "#dev", alias: "Alertmanager", override: true, script: ALERT });
  const created = await api(sandbox.url, "POST", "integrations.create", {
    type: "webhook-outgoing", name: "Lab shots", event: "sendMessage", enabled: true, username: "rocket.cat",
    channel: "#dev", triggerWords: ["!ticket"], urls: [`${sandbox.url}/sandbox/receiver/shots`], scriptEnabled: true, script: HELPDESK,
  });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await runLab(page, "incoming", hook._id, { headers: JSON_HEADERS, body: ALERT_BODY });
    await page.locator(".lab-step").scrollIntoViewIfNeeded();
    await shot(`incoming-${scheme}`);
    await labShot(page, `lab-incoming-${scheme}`);
    await runLab(page, "outgoing", created.integration._id, { answer: '{"text":"Ticket 4711 is open"}' });
    await page.locator(".lab-step").last().scrollIntoViewIfNeeded();
    await shot(`outgoing-${scheme}`);
    await labShot(page, `lab-outgoing-${scheme}`);
  }
});
