// A person at a real browser, for the e2e tests: Debian's Chromium, headless,
// driven by playwright-core. Used as the BROWSER program (aks-token passes
// the sign-in URL as the only argument): opens the URL, clicks "Sign in" on
// fake-entra's sign-in page (or on oidc-provider's login and consent pages),
// and waits until the browser lands on aks-token's loopback page (or, for a
// device code, on the provider's success page; USER_CODE is typed in).
// Writes one JSON line {ok, finalUrl, text|error} to $BROWSER_LOGIN_RESULT.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const url = process.argv[2];
const resultFile = process.env.BROWSER_LOGIN_RESULT || '/dev/stderr';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function report(o) { fs.appendFileSync(resultFile, JSON.stringify(o) + '\n'); }

async function onLoopback(page) {
    const u = new URL(page.url());
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
}

async function main() {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: CHROMIUM_FLAGS,
        // The test CA is not in Chromium's store; the loopback IdPs use it.
        ignoreHTTPSErrors: true,
    });
    try {
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        // Click through whatever pages stand between us and the end: fake-entra's
        // "Sign in"; oidc-provider's user code, login and consent pages.
        const done = async () => (await onLoopback(page)) ||
            ((await page.textContent('body')) || '').includes('Sign-in Success');
        const submit = async (selector) => {
            await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click(selector)]);
        };
        for (let step = 0; step < 8 && !(await done()); step++) {
            if (await page.locator('input[name=user_code]:not([type=hidden])').count()) {
                if (process.env.USER_CODE) await page.fill('input[name=user_code]:not([type=hidden])', process.env.USER_CODE);
                await submit('button[type=submit]:not([name=abort])');
            } else if (await page.locator('#signin').count()) {
                await submit('#signin');
            } else if (await page.locator('input[name=login]').count()) {
                await page.fill('input[name=login]', process.env.OIDC_LOGIN || 'alice');
                await page.fill('input[name=password]', process.env.OIDC_PASSWORD || 'any');
                await submit('button[type=submit]');
            } else if (await page.locator('button[type=submit]:not([name=abort])').count()) {
                await submit('button[type=submit]:not([name=abort])');
            } else {
                break;
            }
        }
        const text = await page.textContent('body');
        report({ ok: await done(), finalUrl: page.url().replace(/code=[^&]+/, 'code=REDACTED'), text });
    } finally {
        await browser.close();
    }
}

main().catch((e) => { report({ ok: false, error: String(e && e.message || e) }); process.exit(1); });
