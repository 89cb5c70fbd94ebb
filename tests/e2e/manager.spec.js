// The manager page: first-start setup, the PIN pad and its lock, the
// summary of a known set of responses, comments as text, the CSV.
import { readFile } from "node:fs/promises";
import { test, expect, openKiosk, face, reasonsOf, PIN } from "./kiosk.js";

/** Submits one response through the customer screen; `reasons`: factor to reasons tapped. */
async function submit(page, ratings, comment, reasons = {}) {
  for (const [factor, rating] of Object.entries(ratings)) await face(page, factor, rating).tap();
  for (const [factor, names] of Object.entries(reasons)) {
    for (const name of names) await reasonsOf(page, factor).getByRole("button", { name }).tap();
  }
  if (comment) await page.getByLabel("Anything to add?").fill(comment);
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
}

/** From the customer screen through the PIN pad into the manager view. */
async function openManager(page, pin = PIN) {
  await page.getByRole("button", { name: "Manager" }).click();
  await page.getByLabel("PIN").fill(pin);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("heading", { name: "Manager view" })).toBeVisible();
}

/** A small RFC 4180 reader. */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  return records;
}

test("a first start asks for setup, refuses a bad PIN, and keeps only the PIN's hash", async ({ page }) => {
  await page.route("**/kiosk.json", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ store_id: "store-9", kiosk_id: "exit-2" }) }),
  );
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Set up this kiosk" })).toBeVisible();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toHaveCount(0);
  // Prefilled from kiosk.json.
  await expect(page.getByLabel("Store id")).toHaveValue("store-9");
  await expect(page.getByLabel("Kiosk id")).toHaveValue("exit-2");
  await expect(page.getByLabel("Sync endpoint")).toHaveValue("");

  await page.getByLabel("New manager PIN").fill("123");
  await page.getByLabel("Repeat the PIN").fill("123");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await expect(page.getByRole("alert")).toHaveText("The PIN must be 4 to 8 digits.");
  await page.getByLabel("New manager PIN").fill("97531");
  await page.getByLabel("Repeat the PIN").fill("97532");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await expect(page.getByRole("alert")).toHaveText("The two PINs are not the same.");

  // The enrollment code is exchanged once for the kiosk's token (here the
  // collector's answer is played by the test).
  await page.route("**/v1/enrollments", async (route) => {
    expect(JSON.parse(route.request().postData())).toEqual({ code: "ABCD-EFGH-JKMN" });
    await route.fulfill({ json: { token: "fkk_enrolled", store_id: "store-9", kiosk_id: "exit-2" } });
  });
  await page.getByLabel("Enrollment code").fill("ABCD-EFGH-JKMN");
  await page.getByLabel("Repeat the PIN").fill("97531");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();

  await expect
    .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")).token))
    .toBe("fkk_enrolled");
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")));
  expect(stored.store_id).toBe("store-9");
  expect(stored.kiosk_id).toBe("exit-2");
  expect(stored.enrollment_code).toBe("");
  expect(Object.keys(stored.manager_pin).sort()).toEqual(["hash", "iterations", "salt"]);
  expect(stored.manager_pin.iterations).toBeGreaterThanOrEqual(100_000);
  expect(stored.manager_pin.salt).toMatch(/^[0-9a-f]{32}$/);
  expect(stored.manager_pin.hash).toMatch(/^[0-9a-f]{64}$/);

  // Setup is done: a reload goes straight to the customer screen, and the PIN opens the view.
  await page.reload();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  await openManager(page, "97531");
});

test("the summary, weakest factor, comments and CSV tell the truth about known responses", async ({ page }) => {
  const dialogs = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  await openKiosk(page, { cooldownMs: 300, idleMs: 1_500 });
  const attack = "<img src=x onerror=alert(1)>";
  const tricky = 'Fast, "friendly"\nand clean';
  await submit(page, { Friendliness: 5, Speed: 2, Comfort: 4 });
  await submit(page, { Friendliness: 4, Speed: 1 }, attack, { Speed: ["Long queue", "Slow checkout"] });
  await submit(page, { Friendliness: 3, Speed: 4, Hygiene: 5 }, tricky);
  // Walked away: saved as partial after the idle timeout.
  await face(page, "Hygiene", 1).tap();
  await face(page, "Security", 4).tap();
  await expect(page.getByRole("radio", { checked: true })).toHaveCount(0, { timeout: 5_000 });

  await openManager(page);
  await expect(page.getByRole("button", { name: "Today", pressed: true })).toBeVisible();
  await expect(page.getByText("4 responses (3 complete, 1 partial)")).toBeVisible();
  await expect(page.getByText("Speed needs attention: 33% satisfied. Most named: long queue (50%)")).toBeVisible();

  const table = page.getByRole("table", { name: "Ratings by factor" });
  await expect(table.getByRole("columnheader")).toHaveText(["Factor", "Ratings", "Average", "Satisfied", "Index"]);
  const rows = await table.getByRole("row").allInnerTexts();
  const cells = rows.slice(1).map((row) => row.split("\t").map((cell) => cell.trim()));
  expect(cells).toEqual([
    ["Friendliness", "3", "4.0", "67%", "75"],
    ["Speed", "3", "2.3", "33%", "33"],
    ["Comfort", "1", "4.0", "100%", "75"],
    ["Hygiene", "2", "3.0", "50%", "50"],
    ["Security", "1", "4.0", "100%", "75"],
  ]);

  // Pictures with text alternatives.
  await expect(page.getByRole("img", { name: /^Speed: Very dissatisfied 1, Dissatisfied 1, Neutral 0, Satisfied 1/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Responses and average rating\./ })).toBeVisible();

  // Comments: newest first, shown as text; the markup never runs.
  const comments = page.locator(".comment-text");
  await expect(comments).toHaveText([tricky, attack]);
  await expect(page.locator(".comments img")).toHaveCount(0);
  expect(dialogs).toEqual([]);

  // Not synced: no token in these settings.
  await expect(page.getByRole("status").filter({ hasText: "waiting to sync" })).toHaveText("4 waiting to sync");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^feedback-store-e2e-kiosk-e2e-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(await readFile(await download.path(), "utf8"));
  expect(csv[0]).toEqual([
    "id", "store_id", "kiosk_id", "created_at", "friendliness", "speed", "comfort", "hygiene", "security",
    "complete", "comment", "sync_state", "lang",
    "friendliness_reasons", "speed_reasons", "comfort_reasons", "hygiene_reasons", "security_reasons",
  ]);
  const body = csv.slice(1).map((r) => r.slice(1));
  expect(body.map((r) => r.slice(0, 2))).toEqual(Array(4).fill(["store-e2e", "kiosk-e2e"]));
  expect(body.map((r) => r[11]), "answered in English").toEqual(Array(4).fill("en"));
  expect(body.map((r) => r.slice(12)), "reasons per factor").toEqual([
    ["", "", "", "", ""],
    ["", "long_queue slow_checkout", "", "", ""],
    ["", "", "", "", ""],
    ["", "", "", "", ""],
  ]);
  expect(body.map((r) => r.slice(3, 11))).toEqual([
    ["5", "2", "4", "", "", "true", "", "pending"],
    ["4", "1", "", "", "", "true", attack, "pending"],
    ["3", "4", "", "5", "", "true", tricky, "pending"],
    ["", "", "", "1", "4", "false", "", "pending"],
  ]);
  for (const record of csv.slice(1)) {
    expect(record[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Math.abs(Date.parse(record[3]) - Date.now())).toBeLessThan(5 * 60_000);
    expect(record[3]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
  // Closing returns to a fresh customer screen.
  await page.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
});

test("an empty period says so instead of showing zeros", async ({ page }) => {
  await openKiosk(page);
  await openManager(page);
  for (const period of ["Today", "Last 7 days", "Last 30 days", "All"]) {
    await page.getByRole("button", { name: period, exact: true }).click();
    await expect(page.getByRole("button", { name: period, exact: true, pressed: true })).toBeVisible();
    await expect(page.getByText("No responses yet")).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
  }
  await expect(page.getByText("No comments yet")).toBeVisible();
  await expect(page.getByText("NaN")).toHaveCount(0);
});

test("five wrong PINs lock the pad for five minutes, also after a reload", async ({ page }) => {
  await openKiosk(page);
  await page.getByRole("button", { name: "Manager" }).click();
  const pin = page.getByLabel("PIN");
  for (let i = 1; i <= 4; i++) {
    await pin.fill("0000");
    await page.getByRole("button", { name: "Open" }).click();
    await expect(page.getByRole("alert")).toContainText(`Wrong PIN. ${5 - i} tr`);
  }
  await pin.fill("0000");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("alert")).toHaveText(/Too many wrong PINs\. Try again in (5:00|4:5\d)\./);
  await expect(pin).toBeDisabled();
  await expect(page.getByRole("button", { name: "Open" })).toBeDisabled();

  await page.reload();
  await expect(page.getByRole("alert")).toHaveText(/Too many wrong PINs\. Try again in 4:[45]\d\./);
  await expect(page.getByLabel("PIN")).toBeDisabled();
  await expect(page.getByRole("heading", { name: "Manager view" })).toHaveCount(0);

  // Cancel leads back to customers; the lock stays.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  const lock = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.pinlock")));
  expect(lock.locked_until - Date.now()).toBeGreaterThan(4 * 60_000);
});

test("settings changed in the manager view are kept, and the token is never shown", async ({ page }) => {
  await openKiosk(page, { settings: { token: "fkk_secret-token" } });
  await openManager(page);
  const token = page.getByLabel("Kiosk token");
  await expect(token).toHaveValue("");
  await expect(page.getByText("A token is set. Leave empty to keep it.")).toBeVisible();
  expect(await page.content()).not.toContain("fkk_secret-token");

  await page.getByLabel("Idle timeout (seconds)").fill("45");
  await page.getByLabel("Thank-you time (seconds)").fill("2");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  let stored = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")));
  expect([stored.idle_timeout_ms, stored.cooldown_ms, stored.token]).toEqual([45_000, 2_000, "fkk_secret-token"]);

  await page.getByLabel("Idle timeout (seconds)").fill("soon");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText(/^Enter whole seconds/)).toBeVisible();

  // Changing the PIN needs the current one.
  await page.getByLabel("Current PIN").fill("1111");
  await page.getByLabel("New manager PIN").fill("8642");
  await page.getByLabel("Repeat the PIN").fill("8642");
  await page.getByRole("button", { name: "Change PIN" }).click();
  await expect(page.getByText("The current PIN is wrong.")).toBeVisible();
  await page.getByLabel("Current PIN").fill(PIN);
  await page.getByRole("button", { name: "Change PIN" }).click();
  await expect(page.getByText("PIN changed")).toBeVisible();

  await page.getByRole("button", { name: "Close" }).click();
  await openManager(page, "8642");
  stored = await page.evaluate(() => JSON.parse(localStorage.getItem("fk1.kiosk")));
  expect(stored.idle_timeout_ms).toBe(45_000);
});
