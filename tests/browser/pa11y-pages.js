// pa11y (HTML_CodeSniffer, WCAG 2 AA) on many pages in one browser: Debian's Chromium,
// started once. Usage: node pa11y-pages.js WIDTH URL... ; prints a JSON object of
// url -> [errors], each "code | selector | message".
"use strict";
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

(async () => {
  const [width, ...urls] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
  const found = {};
  try {
    for (const url of urls) {
      const result = await pa11y(url, {
        browser, standard: "WCAG2AA", runners: ["htmlcs"], timeout: 60000,
        viewport: { width: Number(width), height: 900 },
      });
      found[url] = result.issues.filter((i) => i.type === "error")
        .map((i) => `${i.code} | ${i.selector} | ${i.message}`);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
})().catch((error) => { console.error(error); process.exit(2); });
