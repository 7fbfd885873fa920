// The demo's Headlamp step (scripts/demo.sh): Debian's Chromium (headless,
// playwright-core) opens the launch file aks-proxy handed its "browser",
// lands on Headlamp (fake-headlamp) served through aks-proxy, waits for the
// pod list, and saves a screenshot.
// Env: OPENED_URL (file:// URL aks-proxy gave $BROWSER), PROXY_URL, SCREENSHOT (path).
// Prints one JSON line: where it landed and how many pods it saw.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function main() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
        await page.goto(process.env.OPENED_URL);
        await page.waitForURL(process.env.PROXY_URL + '/', { timeout: 20000 });
        await page.waitForSelector('li.pod', { timeout: 20000 });
        const pods = await page.$$eval('li.pod', (els) => els.length);
        await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
        console.log(JSON.stringify({ landedOn: page.url(), pods }));
    } finally {
        await browser.close();
    }
}

main().catch((e) => {
    console.error(`demo_headlamp: ${e.message}`);
    process.exit(1);
});
