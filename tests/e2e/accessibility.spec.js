// WCAG 2.2 AA on every kiosk screen: axe-core in both languages, contrast
// measured, larger text, reduced motion, reflow, live regions and errors
// tied to their fields.
import { test, expect, openKiosk, face, reasonsOf, fillStorage, expectAccessible, PIN } from "./kiosk.js";

/** The contrast ratio of two CSS colours (`rgb(…)`), as WCAG defines it. */
async function contrast(page, foreground, background) {
  return page.evaluate(
    ([fg, bg]) => {
      const luminance = (css) => {
        const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
        const channel = (v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    },
    [foreground, background],
  );
}

const style = (locator, property) =>
  locator.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);

test("the customer screens pass axe in both languages, larger text included", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 3_000 });
  await expectAccessible(page, { allowPinchZoomOff: true });
  await face(page, "Speed", 2).tap();
  await expectAccessible(page, { allowPinchZoomOff: true });
  await page.getByRole("button", { name: "Larger text" }).tap();
  await expectAccessible(page, { allowPinchZoomOff: true });
  await page.getByRole("button", { name: "Español" }).tap();
  await expectAccessible(page, { allowPinchZoomOff: true });
  await page.getByRole("button", { name: "Enviar" }).tap();
  await expect(page.getByRole("heading", { name: "¡Gracias!" })).toBeVisible();
  await expectAccessible(page, { allowPinchZoomOff: true });
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible({ timeout: 6_000 });
  await face(page, "Speed", 5).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Thank you!");
  await expectAccessible(page, { allowPinchZoomOff: true });
});

test("setup, the PIN pad and the manager view pass axe, and errors are tied to their fields", async ({ page }) => {
  await page.route("**/kiosk.json", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ store_id: "s", kiosk_id: "k" }) }),
  );
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Set up this kiosk" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("New manager PIN").fill("12");
  await page.getByLabel("Repeat the PIN").fill("12");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  const pin = page.getByLabel("New manager PIN");
  await expect(pin).toHaveAttribute("aria-invalid", "true");
  await expect(pin).toHaveAccessibleDescription(/The PIN must be 4 to 8 digits\./);
  await expect(page.getByLabel("Store id")).not.toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await page.getByLabel("Store id").fill("");
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await expect(page.getByLabel("Store id")).toHaveAccessibleDescription(/Enter a store id and a kiosk id\./);
  await page.getByLabel("Store id").fill("s");
  await pin.fill(PIN);
  await page.getByLabel("Repeat the PIN").fill(PIN);
  await page.getByRole("button", { name: "Start kiosk" }).click();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();

  await page.getByRole("button", { name: "Manager" }).click();
  await expect(page.getByRole("heading", { name: "Manager" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("PIN").fill("0000");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByLabel("PIN")).toHaveAccessibleDescription(/Wrong PIN/);
  await expect(page.getByLabel("PIN")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("heading", { name: "Manager view" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("group", { name: "Language", exact: true }).getByRole("button", { name: "Español" }).click();
  await expect(page.getByRole("heading", { name: "Vista del encargado" })).toBeVisible();
  await expectAccessible(page);
});

test("text, face outlines and the chosen face have enough contrast, and chosen is not colour alone", async ({ page }) => {
  await openKiosk(page);
  const paper = await style(page.locator("html"), "background-color");
  const texts = [
    page.getByRole("heading", { name: "How was your visit today?" }),
    page.locator(".hint"),
    page.locator(".face-label").first(),
    page.getByText("Anything to add?"),
    page.getByRole("button", { name: "Español" }),
    page.getByRole("button", { name: "Manager" }),
  ];
  for (const text of texts) {
    expect(await contrast(page, await style(text, "color"), paper)).toBeGreaterThanOrEqual(4.5);
  }
  // The faces' outlines against the page, and the chosen face's border.
  const outline = await style(page.locator(".face-skin").first(), "stroke");
  expect(await contrast(page, outline, paper)).toBeGreaterThanOrEqual(3);
  const chosen = face(page, "Comfort", 4);
  await chosen.tap();
  const label = page.locator("label.face.chosen");
  await expect(label).toHaveCount(1);
  expect(await contrast(page, await style(label, "border-top-color"), paper)).toBeGreaterThanOrEqual(3);
  // Also a border and bold text, not only another colour.
  expect(parseFloat(await style(label, "border-top-width"))).toBeGreaterThanOrEqual(2);
  expect(Number(await style(label.locator(".face-label"), "font-weight"))).toBeGreaterThanOrEqual(700);
  const unchosen = page.locator("label.face:not(.chosen)").first();
  expect(await style(unchosen, "border-top-color")).toBe("rgba(0, 0, 0, 0)");
  // Send, enabled: white on the accent.
  const send = page.getByRole("button", { name: "Send" });
  expect(await contrast(page, await style(send, "color"), await style(send, "background-color"))).toBeGreaterThanOrEqual(4.5);
  // A reason, before and once chosen: chosen is filled and bold as well.
  await face(page, "Speed", 2).tap();
  const reason = reasonsOf(page, "Speed").getByRole("button", { name: "Long queue" });
  expect(await contrast(page, await style(reason, "color"), paper)).toBeGreaterThanOrEqual(4.5);
  expect(await contrast(page, await style(reason, "border-top-color"), paper)).toBeGreaterThanOrEqual(3);
  await reason.tap();
  await expect(reason).toHaveAttribute("aria-pressed", "true");
  expect(await contrast(page, await style(reason, "color"), await style(reason, "background-color"))).toBeGreaterThanOrEqual(4.5);
  expect(Number(await style(reason, "font-weight"))).toBeGreaterThanOrEqual(700);
});

test("larger text is visible, lasts for one customer, and fits", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 500 });
  const name = page.getByRole("heading", { name: "Friendliness" });
  const before = parseFloat(await style(name, "font-size"));
  const toggle = page.getByRole("button", { name: "Larger text" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.tap();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(toggle).toBeFocused();
  const after = parseFloat(await style(name, "font-size"));
  expect(after / before).toBeGreaterThanOrEqual(1.2);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(1280);
  await face(page, "Hygiene", 5).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Larger text" })).toHaveAttribute("aria-pressed", "false", {
    timeout: 5_000,
  });
  expect(parseFloat(await style(name, "font-size"))).toBeCloseTo(before, 1);
});

for (const { label, width, height } of [
  { label: "320 CSS px wide", width: 320, height: 640 },
  { label: "200% zoom on a landscape tablet", width: 640, height: 400 },
]) {
  test(`the customer screen reflows without sideways scrolling at ${label}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openKiosk(page);
    // With the longest reasons on screen too.
    await face(page, "Speed", 1).tap();
    await expect(reasonsOf(page, "Speed")).toBeVisible();
    for (const larger of [false, true]) {
      if (larger) await page.getByRole("button", { name: "Larger text" }).tap();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, larger ? "with larger text" : "").toBeLessThanOrEqual(width);
      const send = await page.getByRole("button", { name: "Send" }).boundingBox();
      expect(send.x + send.width).toBeLessThanOrEqual(width);
    }
  });
}

test.describe("with reduced motion asked for", () => {
  test.use({ reducedMotion: "reduce" });

  test("nothing on the customer screen moves", async ({ page }) => {
    await openKiosk(page);
    const faceLabel = page.locator("label.face").first();
    expect(await style(faceLabel, "transition-duration")).toMatch(/^0s/);
    expect(await style(page.getByRole("button", { name: "Send" }), "transition-duration")).toMatch(/^0s/);
  });
});

test("the storage-full screen is announced and passes axe", async ({ page }) => {
  await openKiosk(page);
  await fillStorage(page);
  await face(page, "Hygiene", 2).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("status")).toHaveText("Storage full: please call the manager");
  await expectAccessible(page, { allowPinchZoomOff: true });
});
