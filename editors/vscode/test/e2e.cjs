// Drives code-server in headless Chromium: opens src/routes/orders.rs of the sample service,
// waits for archlens problems, hovers the PRC002 finding, applies its quick fix and checks
// that the problem goes away, then shows a rule's page with "archlens: Explain Rule at
// Cursor". Usage: node e2e.cjs URL HOVER_SCREENSHOT FAILURE_FOLDER
const { chromium } = require("playwright-core");
const path = require("node:path");

const [url, hoverShot, failures] = process.argv.slice(2);
const text = (value) => value.replace(/\u00a0/g, " ");
let step = "start";

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await run(page);
  } catch (error) {
    const shot = path.join(failures, `${step.replace(/\W+/g, "-")}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.error(`FAIL ${step}: ${error.message.split("\n")[0]}\nscreenshot: ${shot}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

async function pass(name, action) {
  step = name;
  const started = Date.now();
  await action();
  console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function waitForText(locator, pattern, timeout) {
  await locator.first().waitFor({ state: "visible", timeout });
  const deadline = Date.now() + timeout;
  while (!pattern.test(text(await locator.first().innerText()))) {
    if (Date.now() > deadline) {
      throw new Error(`${pattern} not found in: ${text(await locator.first().innerText()).slice(0, 400)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function run(page) {
  const problems = page.locator(".markers-panel");
  const orders = page.locator(".markers-panel .monaco-list-row", { hasText: "println!" });

  await pass("workbench loads", async () => {
    await page.goto(url);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await page.locator(".statusbar").waitFor({ timeout: 60_000 });
  });

  await pass("open src/routes/orders.rs with Ctrl+P", async () => {
    await page.keyboard.press("Control+P");
    await page.locator(".quick-input-widget input").waitFor({ timeout: 20_000 });
    await page.keyboard.type("routes/orders.rs");
    await page
      .locator(".quick-input-list .monaco-list-row", { hasText: "orders.rs" })
      .first()
      .waitFor({ timeout: 20_000 });
    await page.keyboard.press("Enter");
    await page.locator(".tab.active", { hasText: "orders.rs" }).waitFor({ timeout: 20_000 });
    await waitForText(page.locator(".monaco-editor .view-lines"), /use /, 20_000);
  });

  await pass("status bar shows the running server", async () => {
    await page.locator(".statusbar-item", { hasText: /archlens \d+/ }).first().waitFor({ timeout: 60_000 });
  });

  await pass("Problems panel lists the PRC002 finding", async () => {
    await page.keyboard.press("Control+Shift+M");
    await problems.waitFor({ timeout: 20_000 });
    await page.locator(".viewpane-filter input, .markers-panel-action-filter input").first().fill("PRC002");
    await orders.first().waitFor({ timeout: 90_000 });
  });

  let token;
  await pass("hover explains the rule", async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+G");
    await page.keyboard.type("95");
    await page.keyboard.press("Enter");
    await page.waitForTimeout(500);
    token = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.querySelector(".monaco-editor .view-lines"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf("println");
        if (at !== -1) {
          const range = document.createRange();
          range.setStart(node, at + 2);
          range.setEnd(node, at + 3);
          const rect = range.getBoundingClientRect();
          return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
        }
      }
      return null;
    });
    if (!token) {
      throw new Error("`println` is not visible in the editor");
    }
    await page.mouse.move(token.x, token.y - 30);
    await page.mouse.move(token.x, token.y, { steps: 5 });
    const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: "Why it matters" });
    await waitForText(hover, /PRC002[\s\S]*Why it matters/, 30_000);
    await page.screenshot({ path: hoverShot });
  });

  await pass("Ctrl+. offers Use `tracing::info!`", async () => {
    await page.keyboard.press("Escape");
    await page.mouse.click(token.x, token.y);
    await page.keyboard.press("Control+.");
    await page
      .locator(".action-widget .monaco-list-row", { hasText: "tracing::info!" })
      .first()
      .waitFor({ timeout: 20_000 });
  });

  await pass("applying the fix clears the problem", async () => {
    await page.locator(".action-widget .monaco-list-row", { hasText: "tracing::info!" }).first().click();
    await waitForText(page.locator(".monaco-editor .view-lines"), /tracing::info!\(/, 20_000);
    await orders.first().waitFor({ state: "detached", timeout: 30_000 });
  });

  await pass("archlens: Explain Rule at Cursor shows the rule's page", async () => {
    await page.keyboard.press("F1");
    await page.keyboard.type("archlens: Explain Rule at Cursor");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Explain Rule at Cursor" }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-title", { hasText: /^archlens: Explain Rule$/ }).waitFor({ timeout: 20_000 });
    await page.keyboard.type("PRC002");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "print-instead-of-tracing" }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press("Enter");
    await waitForText(page.locator(".editor-group-container.active .monaco-editor .view-lines"), /# PRC002 print-instead-of-tracing/, 20_000);
  });
}

main();
