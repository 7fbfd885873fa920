// Headlamp through aks-proxy in Debian's Chromium (headless, playwright-core),
// for the test_headlamp_chromium*.sh tests, against fake-headlamp's page
// (tests/fakes/fake-headlamp/frontend.js: what Headlamp's frontend does, in
// its default build or its multiplexer build). With a stale Headlamp token
// cookie already in the browser:
//  - the proxy without the launch cookie (401); the launch (from aks-proxy's
//    launch file when OPENED_URL is given); with NO_TOKEN=1, the sign-in page
//    until LOGIN_SCRIPT has run, which then reloads itself into Headlamp;
//  - pods listed, the watch open, an event pushed at fake-apiserver arriving;
//  - the token rotating under the open page, then (after the first token has
//    expired, FIRST_EXPIRES) an event on the open watch and, in multiplexer
//    mode, a new subscription on the same socket: no reload, no error;
//  - a token pasted into Headlamp's box and Log out: the page reloads onto
//    aks-proxy's notice, Headlamp never sees them, back to Headlamp;
//  - with EVIL=1, a page from another origin whose fetch and WebSocket fail.
// Env: MODE (direct|multiplexer), LAUNCH_URL or OPENED_URL, PROXY_URL,
// HEADLAMP_URL, APISERVER_URL, CA_FILE, CLUSTER, COOKIE_CLUSTER,
// FIRST_EXPIRES (epoch seconds), ROTATE_WITHIN_S, NO_TOKEN, LOGIN_SCRIPT, EVIL.
// Prints one JSON line with what it saw (fingerprints, never a token).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const env = process.env;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const multiplexer = env.MODE === 'multiplexer';
const result = { mode: env.MODE };

function getJson(url) {
    return new Promise((resolve, reject) => {
        http.get(url, (res) => {
            let body = '';
            res.on('data', (c) => { body += c; });
            res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { reject(e); } });
        }).on('error', reject);
    });
}

function emit(name) {
    const body = JSON.stringify({ type: 'ADDED', name, namespace: 'default' });
    return new Promise((resolve, reject) => {
        const req = https.request(new URL('/_control/emit', env.APISERVER_URL), {
            method: 'POST', ca: fs.readFileSync(env.CA_FILE),
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        }, (res) => { res.resume(); res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`emit ${res.statusCode}`)))); });
        req.on('error', reject);
        req.end(body);
    });
}

async function watchesAtApiserver() {
    return new Promise((resolve, reject) => {
        https.get(new URL('/_control/streams', env.APISERVER_URL), { ca: fs.readFileSync(env.CA_FILE) }, (res) => {
            let body = '';
            res.on('data', (c) => { body += c; });
            res.on('end', () => resolve(JSON.parse(body).watches));
        }).on('error', reject);
    });
}

// Waits until fake-apiserver holds at least `n` watches (the page's watch is
// open end to end) before an event is pushed.
async function untilWatching(page, n = 1) {
    const deadline = Date.now() + 20000;
    while ((await watchesAtApiserver()) < n) {
        if (Date.now() > deadline) throw new Error('no watch at the API server');
        await page.waitForTimeout(100);
    }
}

async function seen(filter) {
    return (await getJson(env.HEADLAMP_URL + '/_fake/seen')).filter(filter);
}

async function lastListFingerprint() {
    const lists = await seen((s) => s.route === 'cluster' && s.method === 'GET' && s.path.endsWith('/pods'));
    return lists.length ? lists[lists.length - 1].fingerprint : '';
}

// Another origin (another loopback port) that tries the proxy.
function startEvilSite(proxyUrl, cluster) {
    const wsUrl = proxyUrl.replace(/^http/, 'ws') + `/clusters/${cluster}/api/v1/namespaces/default/pods?watch=1`;
    const html = `<!doctype html><html><body><script>
fetch(${JSON.stringify(proxyUrl + `/clusters/${cluster}/api/v1/namespaces/default/pods`)}, { credentials: 'include' })
  .then((r) => { document.body.dataset.fetch = 'status ' + r.status; })
  .catch(() => { document.body.dataset.fetch = 'failed'; });
const ws = new WebSocket(${JSON.stringify(wsUrl)});
ws.onopen = () => { document.body.dataset.ws = 'open'; };
ws.onerror = () => { if (!document.body.dataset.ws) document.body.dataset.ws = 'failed'; };
</script></body></html>`;
    const server = http.createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(html);
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    let page;
    try {
        const context = await browser.newContext();
        await context.addCookies([{ name: `headlamp-auth-${env.COOKIE_CLUSTER}.0`, value: 'stale-token', url: env.PROXY_URL }]);
        page = await context.newPage();

        const before = await page.goto(env.PROXY_URL + '/', { waitUntil: 'domcontentloaded' });
        result.withoutLaunch = before.status();

        await page.goto(env.OPENED_URL || env.LAUNCH_URL, { waitUntil: 'domcontentloaded' });
        await page.waitForURL(env.PROXY_URL + '/', { timeout: 20000 });
        result.landedOn = page.url();

        if (env.NO_TOKEN === '1') {
            await page.waitForSelector('text=Sign in to use Headlamp', { timeout: 20000 });
            result.signInPage = await page.textContent('body');
            execFileSync(env.LOGIN_SCRIPT, { stdio: 'ignore' });
            env.FIRST_EXPIRES = String(Math.floor(Date.now() / 1000) + Number(env.TOKEN_LIFETIME));
            // The page reloads itself every 5 seconds until the token is there.
        }
        await page.waitForSelector('li.pod', { timeout: 30000 });
        await page.waitForSelector('body[data-watch=open]', { timeout: 20000 });
        result.pods = await page.$$eval('li.pod', (els) => els.map((e) => e.textContent));
        await page.waitForFunction(() => document.getElementById('user').textContent !== '', null, { timeout: 20000 });
        result.user = await page.textContent('#user');
        await page.evaluate(() => { window.notReloaded = true; });
        result.first = await lastListFingerprint();

        await untilWatching(page);
        await emit('e2e-pod-1');
        await page.waitForSelector('li.event:has-text("e2e-pod-1")', { timeout: 20000 });
        result.firstEvent = true;

        // The proxy refreshes the short-lived token in the background.
        const deadline = Date.now() + Number(env.ROTATE_WITHIN_S || 90) * 1000;
        result.listsDuringRotation = [];
        for (;;) {
            await page.evaluate(() => window.fakeHeadlamp.refreshPods());
            const status = await page.textContent('#status');
            if (!result.listsDuringRotation.includes(status)) result.listsDuringRotation.push(status);
            const now = await lastListFingerprint();
            if (now && now !== result.first) {
                result.second = now;
                break;
            }
            if (Date.now() > deadline) break;
            await page.waitForTimeout(1000);
        }
        // Past the first token's expiry: only a fresh token works from here on.
        while (Date.now() / 1000 <= Number(env.FIRST_EXPIRES) + 1) await page.waitForTimeout(250);
        await page.evaluate(() => window.fakeHeadlamp.refreshPods());
        result.statusAfterExpiry = await page.textContent('#status');
        await untilWatching(page);
        await emit('e2e-pod-2');
        await page.waitForSelector('li.event:has-text("e2e-pod-2")', { timeout: 20000 });
        result.eventAfterExpiry = true;
        if (multiplexer) {
            // A new subscription on the page's one socket (as navigating to another list does).
            await page.evaluate(() => window.fakeHeadlamp.subscribe('/api/v1/pods', 'watch=1'));
            await untilWatching(page, 2);
            await emit('e2e-pod-3');
            await page.waitForFunction(() => [...document.querySelectorAll('li.event')]
                .filter((e) => e.textContent === 'ADDED e2e-pod-3').length >= 2, null, { timeout: 20000 });
            result.newSubscriptionAfterExpiry = true;
            const mux = await seen((s) => s.route === 'multiplexer');
            result.lastMultiplexerFingerprint = mux[mux.length - 1].fingerprint;
        } else {
            // After each event the page opens a new socket, with the token of that moment.
            const until = Date.now() + 10000;
            do {
                const ws = await seen((s) => s.route === 'cluster' && s.method === 'WS');
                result.lastWebSocketFingerprint = ws[ws.length - 1].fingerprint;
                if (result.lastWebSocketFingerprint !== result.first) break;
                await page.waitForTimeout(200);
            } while (Date.now() < until);
        }
        result.errors = await page.$$eval('li.mux-error', (els) => els.map((e) => e.textContent));
        result.socketsOpened = await page.evaluate(() => window.fakeHeadlamp.state.socketsOpened);
        result.notReloaded = await page.evaluate(() => window.notReloaded === true);
        result.watchState = await page.evaluate(() => document.body.dataset.watch);

        // Headlamp's paste-a-token box, then Log out: aks-proxy's notice each time.
        await page.evaluate(() => {
            document.getElementById('token').value = 'pasted-token';
            document.getElementById('authenticate').click();
        });
        await page.waitForSelector('text=Headlamp\'s token and Log out do nothing here', { timeout: 20000 });
        result.afterPaste = await page.textContent('body');
        await page.click('text=Back to Headlamp');
        await page.waitForSelector('li.pod', { timeout: 20000 });
        await page.click('#logout');
        await page.waitForSelector('text=Headlamp\'s token and Log out do nothing here', { timeout: 20000 });
        result.afterLogout = await page.textContent('body');
        await page.click('text=Back to Headlamp');
        await page.waitForSelector('li.pod', { timeout: 20000 });
        result.afterNotices = await lastListFingerprint();
        result.setTokenSeenByHeadlamp = (await seen((s) => s.route === 'set-token')).length;

        if (env.EVIL === '1') {
            const evil = await startEvilSite(env.PROXY_URL, env.CLUSTER);
            const evilPage = await context.newPage();
            await evilPage.goto(`http://127.0.0.1:${evil.address().port}/`, { waitUntil: 'domcontentloaded' });
            await evilPage.waitForSelector('body[data-fetch][data-ws]', { state: 'attached', timeout: 20000 });
            result.evilFetch = await evilPage.evaluate(() => document.body.dataset.fetch);
            result.evilWs = await evilPage.evaluate(() => document.body.dataset.ws);
            evil.close();
        }
        result.ok = true;
    } catch (e) {
        if (page) result.page = await page.textContent('body').catch(() => '');
        throw e;
    } finally {
        await browser.close();
    }
}

main()
    .then(() => console.log(JSON.stringify(result)))
    .catch((e) => { result.ok = false; result.error = String(e && e.message || e); console.log(JSON.stringify(result)); process.exit(1); });
