// Signing in (spec §6): password, two-factor by TOTP and by e-mail, personal access token,
// where the session is kept, signing out, and what the form says about bad input.
import { test, expect, signIn, DEMO } from "./support/fixtures.mjs";
import { storedSession, totp, mailedCodes, tokenWorks, shotAllLooks } from "./support/auth.mjs";

/** What the sign-in page says about the last sign-out. */
const signedOut = (page) => page.getByRole("status").filter({ hasText: "Signed out" });

const ADMIN_PAT = { userId: "9ZWavJhzHXNEXeSz6", token: "VkC1cXe3wpf5tmr97gkiXC2Fpwm2x8ViYmT8JbeqmX5" };

test("password sign-in keeps the session for this tab only; sign-out ends it on the server", async ({ page, sandbox, shot }) => {
  const consoleText = [];
  page.on("console", (m) => consoleText.push(m.text()));
  await page.goto("/sign-in");
  await expect(page.getByRole("checkbox", { name: "Keep me signed in on this device" })).not.toBeChecked();
  await shotAllLooks(page, shot, "credentials");
  await signIn(page, DEMO);
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByText("Signed in as")).toContainText("admin");

  const stored = await storedSession(page);
  expect(stored.where).toBe("session");
  expect(stored.value).toMatchObject({ server: sandbox.url, user_id: "9ZWavJhzHXNEXeSz6", username: "admin", remember: false, login_token: true });
  // Recent servers keep addresses, never tokens.
  const recent = await page.evaluate(() => localStorage.getItem("hookpanel.servers"));
  expect(recent).toBe(sandbox.url);
  const token = stored.value.auth_token;
  expect(token.length).toBeGreaterThan(10);
  expect(page.requests.filter((r) => r.url.includes(token)), "the token never goes into a URL").toEqual([]);

  // A new tab of the same browser starts signed out: session storage is per tab.
  const other = await page.context().newPage();
  await other.goto("/integrations");
  await expect(other).toHaveURL(/\/sign-in\?next=%2Fintegrations$/);
  await other.close();

  // The app does not wait for logout's answer before leaving; the check below does, or it
  // could ask the server before the server has heard.
  const loggedOut = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/logout"));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  const logout = page.requests.find((r) => r.method === "POST" && r.url.endsWith("/api/v1/logout"));
  expect(logout, "sign-out calls logout").toBeTruthy();
  await loggedOut;
  await expect(signedOut(page)).toHaveText("Signed out. The server ended your login token.");
  await expect(signedOut(page), "focus moves to what happened, as the button pressed is gone").toBeFocused();
  expect((await storedSession(page)).where).toBeNull();
  expect(await tokenWorks(sandbox.url, stored.value), "the server forgot the token").toBe(false);
  expect(consoleText.filter((t) => t.includes(token)), "the token never goes into a log").toEqual([]);
});

test("“Keep me signed in” keeps the session across tabs; sign-out forgets it there too", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Username or e-mail").fill("admin@example.com");
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByRole("checkbox", { name: "Keep me signed in on this device" }).check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  const stored = await storedSession(page);
  expect(stored.where).toBe("local");
  expect(stored.value.remember).toBe(true);
  expect(page.requests.find((r) => r.url.endsWith("/api/v1/login")).body).toContain('"email":"admin@example.com"');

  const other = await page.context().newPage();
  await other.goto("/about");
  await expect(other.getByRole("heading", { name: "About this server" })).toBeVisible();
  await other.close();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await page.evaluate(() => localStorage.getItem("hookpanel.session"))).toBeNull();
});

test("TOTP: a wrong code is refused, the right one signs in", async ({ page, sandbox, shot }) => {
  await signIn(page, { user: "admin2fa", password: DEMO.password });
  const code = page.getByLabel("Code");
  await expect(code).toBeFocused();
  await expect(page.getByText("enter the code from your authenticator app")).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toBeHidden();
  await expect(page.getByRole("button", { name: "Send a new code" })).toBeHidden();
  await shotAllLooks(page, shot, "totp-step");

  // Empty first: the summary links to the code input.
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("link", { name: "Enter the code" })).toBeVisible();

  const right = await totp(sandbox.url, "admin2fa");
  const wrong = right.replace(/^./, (d) => String((Number(d) + 5) % 10));
  await code.fill(wrong);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toContainText("That code was not accepted");
  await expect(code).toHaveValue(wrong);
  await shot("totp-wrong");

  await code.fill(await totp(sandbox.url, "admin2fa"));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByText("Signed in as")).toContainText("admin2fa");
  const logins = page.requests.filter((r) => r.url.endsWith("/api/v1/login")).map((r) => JSON.parse(r.body));
  expect(logins.map((b) => b.code ?? null)).toEqual([null, wrong, expect.stringMatching(/^\d{6}$/)]);
  expect(logins.every((b) => b.username === "admin2fa" && b.password === DEMO.password)).toBe(true);
});

test("e-mail code: “Send a new code” sends one, and that code signs in", async ({ page, sandbox, shot }) => {
  await signIn(page, { user: "mailadmin", password: DEMO.password });
  await expect(page.getByText("enter the code sent to its e-mail address")).toBeVisible();
  const first = await mailedCodes(sandbox.url, "mailadmin");
  expect(first.length).toBe(1);

  await page.getByRole("button", { name: "Send a new code" }).click();
  await expect(page.getByRole("status")).toContainText("A new code is on its way");
  await expect.poll(async () => (await mailedCodes(sandbox.url, "mailadmin")).length).toBe(2);
  const send = page.requests.find((r) => r.url.endsWith("/api/v1/users.2fa.sendEmailCode"));
  expect(JSON.parse(send.body)).toEqual({ emailOrUsername: "mailadmin" });
  await shot("email-code");

  const codes = await mailedCodes(sandbox.url, "mailadmin");
  await page.getByLabel("Code").fill(codes[codes.length - 1]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByText("Signed in as")).toContainText("mailadmin");
});

test("a sign-out the server does not answer: signed out here, and the page says the token may still work", async ({ page, sandbox, shot }) => {
  await signIn(page, DEMO);
  await expect(page).toHaveURL(/\/integrations$/);
  const stored = await storedSession(page);
  await page.route("**/api/v1/logout", (route) => route.abort());
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  const notice = signedOut(page);
  await expect(notice).toContainText("Signed out here, but the server did not confirm that your login token ended");
  await expect(notice).toHaveClass(/\bwarn\b/);
  expect((await storedSession(page)).where, "forgotten here all the same").toBeNull();
  expect(await tokenWorks(sandbox.url, stored.value), "the token was not ended").toBe(true);
  await shotAllLooks(page, shot, "sign-out-unconfirmed");
});

test("personal access token: user id and token, checked with /me; signing out leaves the token alone", async ({ page, sandbox, shot }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Use a personal access token instead" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toBeHidden();
  await page.getByLabel("User id").fill(ADMIN_PAT.userId);
  await page.getByLabel("Personal access token").fill("not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That user id and token were not accepted");
  await shotAllLooks(page, shot, "token-refused");

  await page.getByLabel("Personal access token").fill(ADMIN_PAT.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByText("Signed in as")).toContainText("admin");
  expect(page.requests.some((r) => r.url.endsWith("/api/v1/login")), "a token needs no login").toBe(false);
  expect((await storedSession(page)).value).toMatchObject({ user_id: ADMIN_PAT.userId, auth_token: ADMIN_PAT.token, username: "admin", login_token: false });

  // Rocket.Chat's logout deletes the token it is called with, a personal access token too.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(signedOut(page)).toContainText("Your personal access token still works");
  expect(page.requests.some((r) => r.url.endsWith("/api/v1/logout")), "no logout with a personal access token").toBe(false);
  expect((await storedSession(page)).where).toBeNull();
  expect(await tokenWorks(sandbox.url, { user_id: ADMIN_PAT.userId, auth_token: ADMIN_PAT.token }), "the token still works").toBe(true);
  await shot("token-kept");
});

test("a session stored by an older hookpanel: sign-out leaves its token alone and says why", async ({ page, sandbox }) => {
  // Older versions did not record whether the token was a personal one.
  const login = await fetch(`${sandbox.url}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: DEMO.password }),
  });
  const { data } = await login.json();
  const old = { server: sandbox.url, user_id: data.userId, auth_token: data.authToken, username: "admin", remember: false };
  await page.goto("/sign-in");
  await page.evaluate((s) => sessionStorage.setItem("hookpanel.session", JSON.stringify(s)), old);
  await page.goto("/integrations");
  await expect(page.getByText("Signed in as")).toContainText("admin");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(signedOut(page)).toContainText("The session's token was left on the server");
  expect(page.requests.some((r) => r.url.endsWith("/api/v1/logout")), "no logout with a token of unknown kind").toBe(false);
  expect(await tokenWorks(sandbox.url, old), "the token still works").toBe(true);
});

test("bad input: one summary linking to each input, the title says Error, nothing is lost", async ({ page, sandbox, shot }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Server address").fill("ftp://chat.example.com");
  await page.getByLabel("Username or e-mail").fill("admin");
  await page.getByRole("button", { name: "Sign in" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("There is a problem");
  await expect(summary).toBeFocused();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(summary.getByRole("link")).toHaveText(["The address must start with https:// or http://", "Enter your password"]);
  await expect(page.getByLabel("Server address")).toHaveAttribute("aria-invalid", "true");
  // Each input is described by its hint and its error ("Error:" for screen readers only).
  await expect(page.getByLabel("Server address")).toHaveAccessibleDescription(
    "For example https://chat.example.com Error: The address must start with https:// or http://",
  );
  await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription("Error: Enter your password");
  await expect(page.getByLabel("Username or e-mail")).toHaveAccessibleDescription("");
  await expect(page.locator("#user-error")).toBeHidden();
  await expect(page.locator("#password-error")).toHaveText("Error: Enter your password");
  await expect(page.getByLabel("Username or e-mail")).toHaveValue("admin");
  expect(page.requests.filter((r) => r.url.includes("/api/")), "nothing is sent").toEqual([]);
  await shotAllLooks(page, shot, "summary");

  // A link moves to its input.
  await summary.getByRole("link", { name: "Enter your password" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();

  // Corrected inputs lose their errors as typed; a page address pasted from the browser works.
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await expect(page.getByRole("link", { name: "Enter your password" })).toBeHidden();
  await page.getByLabel("Server address").fill(`${sandbox.url}/home`);
  await expect(page.getByRole("alert")).toBeHidden();
  await expect(page).toHaveTitle(/^Sign in/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  expect((await storedSession(page)).value.server).toBe(sandbox.url);
});

test("a deep link opens after signing in", async ({ page }) => {
  await page.goto("/about");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fabout$/);
  await page.getByLabel("Username or e-mail").fill(DEMO.user);
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/about$/);
  await expect(page.getByRole("heading", { name: "About this server" })).toBeVisible();
});
