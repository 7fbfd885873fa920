// Headlamp through aks-proxy in Debian's Chromium (headless, playwright-core),
// for test_headlamp_chromium.sh. With a stale headlamp-auth-main cookie
// already in the browser: the proxy without the launch cookie (401), the
// launch URL (pods listed, watch WebSocket open), a watch event pushed at
// fake-apiserver arriving over the WebSocket, a token rotation under the open
// page (fetches keep working, the same WebSocket still delivers, no reload),
// and a page from another origin whose fetch and WebSocket to the proxy fail.
// Env: LAUNCH_URL, PROXY_URL, HEADLAMP_URL, APISERVER_URL, CA_FILE, ROTATE_WITHIN_S.
// Prints one JSON line with what it saw (never a token).
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const env = process.env;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const result = {};

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

async function lastListFingerprint() {
    const seen = await getJson(env.HEADLAMP_URL + '/_fake/seen');
    const lists = seen.filter((s) => s.method === 'GET' && s.path.endsWith('/pods'));
    const last = lists[lists.length - 1];
    return last ? { fingerprint: last.fingerprint, source: last.source } : {};
}

// A page on another origin (another loopback port) that tries the proxy.
function startEvilSite(proxyUrl) {
    const wsUrl = proxyUrl.replace(/^http/, 'ws') + '/clusters/main/api/v1/namespaces/default/pods?watch=1';
    const html = `<!doctype html><html><body><script>
fetch(${JSON.stringify(proxyUrl + '/clusters/main/api/v1/namespaces/default/pods')}, { credentials: 'include' })
  .then((r) => { document.body.dataset.fetch = 'status ' + r.status; })
  .catch(() => { document.body.dataset.fetch = 'failed'; });
const ws = new WebSocket(${JSON.stringify(wsUrl)});
ws.onopen = () => { document.body.dataset.ws = 'open'; };
ws.onmessage = () => { document.body.dataset.ws = 'message'; };
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
    try {
        const context = await browser.newContext();
        await context.addCookies([{ name: 'headlamp-auth-main', value: 'stale-token', url: env.PROXY_URL }]);
        const page = await context.newPage();

        const before = await page.goto(env.PROXY_URL + '/', { waitUntil: 'domcontentloaded' });
        result.withoutLaunch = before.status();

        await page.goto(env.LAUNCH_URL, { waitUntil: 'domcontentloaded' });
        await page.waitForURL(env.PROXY_URL + '/', { timeout: 20000 });
        result.landedOn = page.url();
        await page.waitForSelector('li.pod', { timeout: 20000 });
        await page.waitForSelector('body[data-watch=open]', { timeout: 20000 });
        result.pods = await page.$$eval('li.pod', (els) => els.map((e) => e.textContent));
        await page.evaluate(() => { window.notReloaded = true; });
        result.first = await lastListFingerprint();

        await emit('e2e-pod-1');
        await page.waitForSelector('li.event:has-text("e2e-pod-1")', { timeout: 20000 });
        result.firstEvent = true;

        // The proxy refreshes the short-lived token in the background; the
        // open page keeps listing pods and never reloads.
        const deadline = Date.now() + Number(env.ROTATE_WITHIN_S || 90) * 1000;
        result.listsDuringRotation = [];
        for (;;) {
            await page.evaluate(() => window.refreshPods());
            const status = await page.textContent('#status');
            if (!result.listsDuringRotation.includes(status)) result.listsDuringRotation.push(status);
            const now = await lastListFingerprint();
            if (now.fingerprint && now.fingerprint !== result.first.fingerprint) {
                result.second = now;
                break;
            }
            if (Date.now() > deadline) break;
            await page.waitForTimeout(1000);
        }
        await page.evaluate(() => window.refreshPods());
        result.statusAfterRotation = await page.textContent('#status');
        await emit('e2e-pod-2');
        await page.waitForSelector('li.event:has-text("e2e-pod-2")', { timeout: 20000 });
        result.secondEvent = true;
        result.notReloaded = await page.evaluate(() => window.notReloaded === true);
        result.watchState = await page.evaluate(() => document.body.dataset.watch);

        const evil = await startEvilSite(env.PROXY_URL);
        const evilPage = await context.newPage();
        await evilPage.goto(`http://127.0.0.1:${evil.address().port}/`, { waitUntil: 'domcontentloaded' });
        await evilPage.waitForSelector('body[data-fetch][data-ws]', { state: 'attached', timeout: 20000 });
        result.evilFetch = await evilPage.evaluate(() => document.body.dataset.fetch);
        result.evilWs = await evilPage.evaluate(() => document.body.dataset.ws);
        evil.close();
        result.ok = true;
    } finally {
        await browser.close();
    }
}

main()
    .then(() => console.log(JSON.stringify(result)))
    .catch((e) => { result.ok = false; result.error = String(e && e.message || e); console.log(JSON.stringify(result)); process.exit(1); });
