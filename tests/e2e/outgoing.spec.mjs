// Outgoing webhooks end to end: create a sendMessage webhook calling the sandbox's local
// receiver → a matching message posted through the API reaches the receiver → the call shows
// in the history → replay → edit → delete; a userCreated webhook without target room is
// refused beside the field, and the server's refusals land beside theirs. Every step is
// photographed under target/e2e/screenshots/outgoing/.
import { test, expect, signIn } from "./support/fixtures.mjs";
import { control } from "./support/sandbox.mjs";

// The admin's personal access token (sandbox/README.md), to post as a person would.
const ADMIN = { id: "9ZWavJhzHXNEXeSz6", token: "VkC1cXe3wpf5tmr97gkiXC2Fpwm2x8ViYmT8JbeqmX5" };
const RECEIVER = "e2e-ship";

/** Requests the app sent to one endpoint (path only), since `from`. */
function calls(page, method, endpoint, from = 0) {
  return page.requests.slice(from).filter((r) => r.method === method && new URL(r.url).pathname === endpoint);
}

/** Posts a message to a room through the REST API, as a chat client would. */
async function postMessage(base, channel, text) {
  const res = await fetch(`${base}/api/v1/chat.postMessage`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-User-Id": ADMIN.id, "X-Auth-Token": ADMIN.token },
    body: JSON.stringify({ channel, text }),
  });
  expect(res.status).toBe(200);
}

async function received(base) {
  return (await control(base, `receiver/${RECEIVER}`)).calls ?? [];
}

async function openNewForm(page) {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await page.goto("/integrations/new/outgoing");
  await expect(page.getByRole("heading", { level: 1, name: "New outgoing webhook" })).toBeVisible();
}

test("create, fire through a message, history, replay, edit, delete", async ({ page, shot, sandbox }) => {
  await openNewForm(page);
  await shot("new-form");
  const token = page.locator("#field-token");
  await expect(token).toHaveAttribute("type", "password");
  const generated = await token.inputValue();
  expect(generated).toMatch(/^[A-Za-z0-9_-]{32}$/);

  // 1. The form, with the server's suggestions for the channel and the post-as user.
  await page.getByLabel("Name").fill("E2E ship hook");
  await page.getByRole("combobox", { name: "Channel", exact: true }).fill("#de");
  await page.getByRole("option", { name: /#dev/ }).click();
  await expect(page.getByRole("combobox", { name: "Channel", exact: true })).toHaveValue("#dev");
  await page.getByLabel("Trigger words").fill("!ship, !deploy ,");
  await page.getByLabel("URLs").fill(`${sandbox.url}/sandbox/receiver/${RECEIVER}\n`);
  await page.getByLabel("Post as").fill("rocket");
  await page.getByRole("option", { name: /rocket\.cat/ }).click();
  await expect(page.getByLabel("Post as")).toHaveValue("rocket.cat");
  await page.getByLabel("Retry delay").selectOption("powers-of-two");
  await expect(page.getByLabel("Retry delay").locator("option:checked")).toHaveText("Powers of two (2 s, 4 s, 8 s, …)");

  // 2. The trigger tester follows the words as typed.
  await page.getByLabel("Sample message").fill("!ship v2.1");
  await expect(page.locator(".tester-verdict")).toContainText("Fires on the trigger word “!ship”");
  await shot("filled-with-tester");
  await page.getByLabel("Sample message").fill("ship it !ship");
  await expect(page.locator(".tester-verdict")).toContainText("Does not fire");

  // 3. Create: one request, then the edit page of the new webhook without a second read.
  const before = page.requests.length;
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page).toHaveURL(/\/integrations\/outgoing\/[^/]+$/);
  await expect(page.getByRole("status")).toContainText("Outgoing webhook created");
  await expect(page.getByText("Created. Rocket.Chat now calls the URLs")).toBeVisible();
  expect(calls(page, "POST", "/api/v1/integrations.create", before)).toHaveLength(1);
  expect(calls(page, "GET", "/api/v1/integrations.get", before)).toHaveLength(0);
  const sent = JSON.parse(calls(page, "POST", "/api/v1/integrations.create", before)[0].body);
  expect(sent.triggerWords).toEqual(["!ship", "!deploy"]);
  expect(sent.token).toBe(generated);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("E2E ship hook");
  await expect(page.getByLabel("Trigger words")).toHaveValue("!ship, !deploy");
  await shot("created");

  // 4. A matching message posted in #dev calls the receiver with the token and the word.
  await postMessage(sandbox.url, "#dev", "nothing to see");
  await postMessage(sandbox.url, "#dev", "!ship v2.1");
  await expect.poll(async () => (await received(sandbox.url)).length).toBe(1);
  const [call] = await received(sandbox.url);
  expect(call.body.token).toBe(generated);
  expect(call.body.trigger_word).toBe("!ship");
  expect(call.body.text).toBe("!ship v2.1");

  // 5. The call in the history, then a replay.
  await page.getByRole("link", { name: "Call history" }).click();
  await expect(page).toHaveURL(/\/history$/);
  const entries = page.getByRole("list", { name: "Calls, newest first" }).locator(":scope > li");
  await expect(entries).toHaveCount(1);
  await expect(page.getByRole("link", { name: "E2E ship hook" })).toBeVisible();
  await shot("history");
  await entries.first().getByRole("button", { name: "Replay" }).click();
  await expect(page.getByRole("status")).toContainText("Replay sent");
  await expect(entries).toHaveCount(2);
  await expect.poll(async () => (await received(sandbox.url)).length).toBe(2);
  await shot("history-replayed");

  // 6. Edit: back to the webhook, change the words; one read, one write.
  const beforeEdit = page.requests.length;
  await page.getByRole("link", { name: "E2E ship hook" }).click();
  await expect(page).toHaveURL(/\/integrations\/outgoing\/[^/]+$/);
  await expect(page.getByLabel("Trigger words")).toHaveValue("!ship, !deploy");
  await page.getByLabel("Trigger words").fill("!release");
  await page.getByRole("switch", { name: "Trigger word anywhere" }).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  // Other trigger words can stop messages that fired it before: reviewed first.
  const review = page.getByRole("dialog", { name: "Review changes" });
  await expect(review.locator(".change-list > li")).toHaveText([
    /^Trigger words: .*!ship, !deploy.*!release.*Can break the webhook/,
    /^Trigger word anywhere: .*Off.*On/,
  ]);
  expect(calls(page, "PUT", "/api/v1/integrations.update", beforeEdit)).toHaveLength(0);
  await review.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  // One read when opened, one of the stored copy at save (no lost update), one write.
  expect(calls(page, "GET", "/api/v1/integrations.get", beforeEdit)).toHaveLength(2);
  expect(calls(page, "PUT", "/api/v1/integrations.update", beforeEdit)).toHaveLength(1);
  await expect(page.locator(".meta")).toContainText("Last changed by admin");
  await shot("edited");
  // The saved words fire anywhere in a message now.
  await postMessage(sandbox.url, "#dev", "time to !release");
  await expect.poll(async () => (await received(sandbox.url)).length).toBe(3);

  // 7. Reload keeps the values.
  await page.reload();
  await expect(page.getByLabel("Trigger words")).toHaveValue("!release");
  await expect(page.getByRole("switch", { name: "Trigger word anywhere" })).toBeChecked();
  await expect(page.getByLabel("Retry delay")).toHaveValue("powers-of-two");

  // 8. Delete, after a confirmation naming the webhook.
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Delete “E2E ship hook”?");
  await shot("delete-confirmation");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("status")).toContainText("Deleted “E2E ship hook”");
  await expect(page.getByRole("table")).not.toContainText("E2E ship hook");
  await shot("deleted");
});

test("userCreated without target room is refused beside the field; server refusals too", async ({ page, shot, sandbox }) => {
  await openNewForm(page);
  await page.getByLabel("Name").fill("Welcome hook");
  await page.getByLabel("Event trigger").selectOption("userCreated");
  await expect(page.getByRole("combobox", { name: "Channel", exact: true })).toHaveCount(0);
  await expect(page.getByLabel("Trigger words")).toHaveCount(0);
  await expect(page.getByLabel("Target room")).toBeVisible();
  await page.getByLabel("URLs").fill(`${sandbox.url}/sandbox/receiver/welcome`);
  await page.getByLabel("Post as").fill("ghost.user");
  await page.getByRole("button", { name: "Create webhook" }).click();

  const summary = page.locator("#error-summary");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link")).toHaveText([/^Target room: Enter the room where the results are posted/]);
  await expect(page.locator("#field-target-room-error")).toContainText("Enter the room where the results are posted");
  await expect(page.getByLabel("Target room")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveTitle(/^Error: /);
  expect(calls(page, "POST", "/api/v1/integrations.create")).toHaveLength(0);
  await shot("target-room-missing");
  await page.setViewportSize({ width: 360, height: 800 });
  await shot("target-room-missing-narrow");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot("target-room-missing-narrow-dark");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The room given, the server refuses the unknown user: beside "Post as", values kept.
  await summary.getByRole("link").first().click();
  await expect(page.getByLabel("Target room")).toBeFocused();
  await page.getByLabel("Target room").fill("#general");
  await expect(summary).toHaveCount(0);
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link")).toHaveText([/^Post as: /]);
  await expect(page.locator("#field-post-as-error")).toBeVisible();
  await expect(page.getByLabel("Target room")).toHaveValue("#general");
  await shot("server-refusal-dark");
  await page.getByLabel("Post as").fill("rocket.cat");
  await expect(page.locator("#field-post-as-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.getByRole("status")).toContainText("Outgoing webhook created");
  await expect(page.getByLabel("Target room")).toHaveValue("#general");
  await shot("user-created-dark");
});

test("a stored webhook: fields of its event, duplicate with a new token", async ({ page, shot }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await page.goto("/integrations/outgoing/nMTjo6fLuRuYQcWMh");
  await expect(page.getByLabel("Trigger words")).toHaveValue("!deploy");
  await expect(page.getByRole("combobox", { name: "Channel", exact: true })).toHaveValue("#dev");
  await expect(page.getByLabel("Event trigger")).toHaveValue("sendMessage");
  const stored = await page.locator("#field-token").inputValue();
  await page.getByRole("button", { name: "Show token" }).click();
  await expect(page.locator("#field-token")).toHaveAttribute("type", "text");
  await shot("deploy-bot-wide");
  await page.setViewportSize({ width: 360, height: 800 });
  await shot("deploy-bot-narrow");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The compile result of a saved script shows under it (Rocket.Chat's own form hides it).
  await page.goto("/integrations/outgoing/5saJMozMEisqM7wbN");
  await expect(page.locator(".script-result")).toContainText("did not compile");
  await expect(page.getByLabel("Script", { exact: true })).toHaveAttribute("aria-describedby", /script-result/);

  await page.goto("/integrations/new/outgoing?duplicate=nMTjo6fLuRuYQcWMh");
  await expect(page.getByLabel("Name")).toHaveValue("Copy of Deploy bot");
  await expect(page.getByLabel("Trigger words")).toHaveValue("!deploy");
  await expect(page.getByText("A copy of “Deploy bot”")).toBeVisible();
  const copied = await page.locator("#field-token").inputValue();
  expect(copied).not.toBe(stored);
  expect(copied).toMatch(/^[A-Za-z0-9_-]{32}$/);
});
