// From a tap at the exit to a manager acting: unhappy customers on the real
// kiosk make the collector (run with an alerts file) post a signed webhook
// to a real HTTP receiver, and a manager acknowledges the alert with a note
// and closes it in the dashboard, opened on the kiosk's own tablet (whose
// service worker must leave the dashboard to the network).
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect, openKiosk, face, reasonsOf, expectAccessible } from "./kiosk.js";
import { Collector } from "./collector.js";
import { account, signIn } from "./dashboard.js";

// The dashboard asks who is signed in before anyone is (401), and a bad
// address is refused (400): answers these tests expect.
test.use({ expectedConsoleErrors: /status of (401|400)/ });

const SECRET = "e2e webhook secret";
process.env.FEEDBACK_E2E_HOOK_SECRET = SECRET;

let collector;
let receiver;
const posts = [];
test.beforeEach(async () => {
  posts.length = 0;
  receiver = createServer((request, reply) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      posts.push({ headers: request.headers, body });
      reply.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const dir = mkdtempSync(join(tmpdir(), "alerts-"));
  const file = join(dir, "alerts.toml");
  writeFileSync(
    file,
    `[[webhook]]\nname = "ops"\nurl = "http://127.0.0.1:${receiver.address().port}/hook"\n` +
      `secret_env = "FEEDBACK_E2E_HOOK_SECRET"\n`,
  );
  collector = await Collector.start({ args: ["--alerts", file] });
});
test.afterEach(async () => {
  await collector?.dispose();
  await new Promise((resolve) => receiver.close(resolve));
});

/** One customer: speed rated `speed` (naming a long queue when low), sent. */
async function customer(page, speed) {
  await face(page, "Speed", speed).tap();
  if (speed <= 2) await reasonsOf(page, "Speed").getByRole("button", { name: "Long queue" }).tap();
  await face(page, "Friendliness", 5).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
}

test("unhappy customers at the exit reach a signed webhook and a manager who acknowledges and closes the alert", async ({
  page,
}) => {
  await openKiosk(page, {
    url: collector.url,
    cooldownMs: 300,
    settings: { token: collector.token, sync_interval_ms: 1_000 },
  });
  for (const speed of [1, 5, 2, 4]) await customer(page, speed);

  await expect.poll(() => posts.length, { timeout: 30_000 }).toBe(1);
  const [post] = posts;
  const signature = `sha256=${createHmac("sha256", SECRET).update(post.body).digest("hex")}`;
  expect(post.headers["x-feedback-signature"]).toBe(signature);
  const alert = JSON.parse(post.body);
  expect(alert.rule).toBe("unhappy_run");
  expect(alert.store_id).toBe("store-e2e");
  expect(alert.message).toBe(
    "Unhappy customers at store-e2e: 2 of 4 responses in the last 15 minutes rated speed 1 or 2. Most named: long queue (2).",
  );

  account(collector, "boss", "--all-stores");
  await signIn(page, collector, "boss");
  await page.getByRole("button", { name: "Alerts" }).click();
  await expect(page).toHaveURL(/view=alerts/);
  const card = page.getByRole("listitem", { name: "Unhappy customers: store-e2e" });
  await expect(card).toContainText(alert.message);
  await expect(card).toContainText("New: nobody has acknowledged it yet.");
  await expect(page.getByText("1 new alert.")).toBeVisible();
  await expectAccessible(page);

  await card.getByLabel("Note").fill("Opened a second till");
  await card.getByRole("button", { name: "Acknowledge" }).click();
  await expect(card).toContainText("Acknowledged by boss");
  await expect(card).toContainText("Note: Opened a second till");
  await expect(card.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(page.getByText("No new alerts.")).toBeVisible();

  // The state is the collector's: a reload shows it, and closing ends it.
  await page.reload();
  await card.getByRole("button", { name: "Close" }).click();
  await expect(card).toContainText("Closed by boss");
  await expect(card.getByRole("button")).toHaveCount(0);
  expect(posts).toHaveLength(1);

  // The same page sets the manager's own digest by mail.
  const digest = page.getByRole("region", { name: "Your digest by email" });
  await expect(digest.getByLabel("How often")).toHaveValue("off");
  await digest.getByLabel("How often").selectOption({ label: "Daily, about the day before" });
  await digest.getByLabel("Email address").fill("not an address");
  await digest.getByRole("button", { name: "Save digest" }).click();
  await expect(digest.getByRole("alert")).toContainText("not an email address");
  await digest.getByLabel("Email address").fill("boss@example.com");
  await digest.getByLabel("Hour it is sent at (0–23, local time)").fill("8");
  await digest.getByLabel("Time zone").fill("Europe/Madrid");
  await digest.getByRole("button", { name: "Save digest" }).click();
  await expect(digest.getByRole("status")).toHaveText("Saved.");
  await expectAccessible(page);
  await page.reload();
  await expect(digest.getByLabel("How often")).toHaveValue("daily");
  await expect(digest.getByLabel("Email address")).toHaveValue("boss@example.com");
  await expect(digest.getByLabel("Hour it is sent at (0–23, local time)")).toHaveValue("8");
  await expect(digest.getByLabel("Time zone")).toHaveValue("Europe/Madrid");
});
