// A customer at the exit: rate, send, thank-you, fresh screen; nothing lost.
import { test, expect, openKiosk, face, storedResponses, FACTORS, LABELS } from "./kiosk.js";

test("every factor is a named radio group of five named faces", async ({ page }) => {
  await openKiosk(page);
  for (const factor of FACTORS) {
    const group = page.getByRole("radiogroup", { name: factor, exact: true });
    await expect(group.getByRole("radio")).toHaveCount(5);
    for (const label of LABELS) {
      await expect(group.getByRole("radio", { name: label, exact: true })).toBeVisible();
    }
  }
  await expect(page.getByRole("button", { name: "Send" })).toBeDisabled();
  await expect(page.getByRole("textbox", { name: "Anything to add?" })).toBeVisible();
});

test("a sent response is stored before the thank-you and survives a reload", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 1_000 });
  await face(page, "Friendliness", 5).tap();
  await face(page, "Speed", 2).tap();
  await face(page, "Speed", 4).tap(); // changed their mind
  await face(page, "Hygiene", 1).tap();
  await expect(face(page, "Speed", 4)).toBeChecked();
  await page.getByRole("textbox", { name: "Anything to add?" }).fill("Queue was long, staff kind");
  await page.getByRole("button", { name: "Send" }).tap();

  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  // Already stored while the thank-you is showing.
  expect(await storedResponses(page)).toHaveLength(1);

  // Then a fresh screen for the next person.
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  await expect(page.getByRole("radio", { checked: true })).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Anything to add?" })).toHaveValue("");
  await expect(page.getByRole("button", { name: "Send" })).toBeDisabled();

  await page.reload();
  await expect(page.getByRole("radiogroup", { name: "Friendliness" })).toBeVisible();
  const stored = await storedResponses(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({
    state: "p",
    complete: true,
    ratings: [5, 4, 0, 1, 0],
    comment: "Queue was long, staff kind",
    kiosk: { store_id: "store-e2e", kiosk_id: "kiosk-e2e" },
  });
});

test("the comment is limited to 500 characters and counted", async ({ page }) => {
  await openKiosk(page);
  const comment = page.getByRole("textbox", { name: "Anything to add?" });
  await comment.fill("x".repeat(520));
  await expect(comment).toHaveValue("x".repeat(500));
  await expect(page.getByText("500 / 500")).toBeVisible();
});

test("taps during the cool-down are ignored", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 3_000 });
  await face(page, "Comfort", 3).tap();
  const sendBox = await page.getByRole("button", { name: "Send" }).boundingBox();
  const faceBox = await face(page, "Comfort", 3).boundingBox();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();

  // A child pressing everything: where the faces and Send were, and the keyboard.
  for (let i = 0; i < 5; i++) {
    await page.touchscreen.tap(faceBox.x + faceBox.width / 2, faceBox.y + faceBox.height / 2);
    await page.touchscreen.tap(sendBox.x + sendBox.width / 2, sendBox.y + sendBox.height / 2);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Space");
  }
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  expect(await storedResponses(page)).toHaveLength(1);

  await expect(page.getByRole("radiogroup", { name: "Comfort" })).toBeVisible({ timeout: 6_000 });
  await expect(page.getByRole("radio", { checked: true })).toHaveCount(0);
  expect(await storedResponses(page)).toHaveLength(1);
});

test("the screen works with a keyboard alone", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 1_000 });
  // The language switch and the larger-text control come first.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "English" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Español" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Larger text" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(face(page, "Friendliness", 1)).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(face(page, "Friendliness", 3)).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(face(page, "Speed", 1)).toBeFocused();
  await page.getByRole("button", { name: "Send" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Thank you!" })).toBeVisible();
  const stored = await storedResponses(page);
  expect(stored.map((r) => r.ratings)).toEqual([[3, 0, 0, 0, 0]]);
});

for (const viewport of [
  { name: "landscape tablet", width: 1280, height: 800, oneScreen: true },
  { name: "portrait tablet", width: 800, height: 1280, oneScreen: true },
  { name: "phone", width: 390, height: 844, oneScreen: false },
]) {
  test(`faces are big enough to tap on a ${viewport.name}`, async ({ page }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await openKiosk(page);
    const faces = page.locator("label.face");
    await expect(faces).toHaveCount(25);
    for (const box of await faces.evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect().toJSON()),
    )) {
      expect(box.width).toBeGreaterThanOrEqual(64);
      expect(box.height).toBeGreaterThanOrEqual(64);
    }
    const send = await page.getByRole("button", { name: "Send" }).boundingBox();
    expect(send.height).toBeGreaterThanOrEqual(64);
    if (viewport.oneScreen) {
      // On a tablet everything, Send included, is on screen without scrolling.
      expect(send.y + send.height).toBeLessThanOrEqual(viewport.height);
    }
    // Nothing wider than the screen.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(viewport.width);
  });
}
