// The launch secret in Debian's Chromium (headless, playwright-core), for
// test_headlamp_launch_chromium.sh: the browser opens the file aks-proxy gave
// $BROWSER (file://...), which forwards it to the launch URL; Headlamp's page
// loads; then the same browser visits other local servers, and we report
// which aks-proxy cookies each of them received.
// Env: OPENED_URL (the file:// URL), PROXY_URL, SHARED_LAUNCH (launch URL of a
// second aks-proxy started with --address 127.0.0.1), SHARED_PROXY_URL.
// Prints one JSON line (never a secret: cookie names only).
'use strict';
const http = require('http');
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const env = process.env;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const result = {};

// A local server, on 127.0.0.1 and [::1] at one port (as another user's
// server could be), that records the names of the aks-proxy cookies it receives.
async function recorder() {
    const got = [];
    const handler = (req, res) => {
        for (const part of (req.headers.cookie || '').split(';')) {
            const name = part.split('=')[0].trim();
            if (name.startsWith('aks-proxy-') && !got.includes(name)) got.push(name);
        }
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><p>another local server</p>');
    };
    const listen = (server, port, host) => new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address().port));
    });
    const v4 = http.createServer(handler);
    const port = await listen(v4, 0, '127.0.0.1');
    const v6 = http.createServer(handler);
    try {
        await listen(v6, port, '::1');
    } catch (e) {
        if (e.code !== 'EADDRNOTAVAIL' && e.code !== 'EAFNOSUPPORT') throw e;
        return { servers: [v4], got, port };  // no ::1 on this machine: browsers use 127.0.0.1
    }
    return { servers: [v4, v6], got, port };
}

async function main() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    const servers = [];
    try {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(env.OPENED_URL);
        await page.waitForURL(env.PROXY_URL + '/', { timeout: 20000 });
        result.landedOn = page.url();
        await page.waitForSelector('li.pod', { timeout: 20000 });
        result.pods = await page.$$eval('li.pod', (els) => els.length);
        result.cookies = (await context.cookies()).map((c) => ({ name: c.name, domain: c.domain, path: c.path,
            httpOnly: c.httpOnly, sameSite: c.sameSite }));

        // Every way to reach another local server but by the proxy's own name.
        const proxyHost = new URL(env.PROXY_URL).hostname;
        const other = await recorder();
        servers.push(...other.servers);
        const hosts = ['127.0.0.1', 'localhost', 'aks-0000000000000000.localhost', 'evil.localhost'];
        if (other.servers.length > 1) hosts.push('[::1]');
        for (const host of hosts) await page.goto(`http://${host}:${other.port}/`);
        result.otherServer = other.got;
        // By the proxy's own name it does get the cookie: that name must stay unknown (README).
        const sameName = await recorder();
        servers.push(...sameName.servers);
        await page.goto(`http://${proxyHost}:${sameName.port}/`);
        result.sameNameOtherPort = sameName.got;

        // With --address 127.0.0.1 the cookie is set for 127.0.0.1 and goes to
        // every port there: the check above sees that leak when it exists.
        await page.goto(env.SHARED_LAUNCH);
        await page.waitForURL(env.SHARED_PROXY_URL + '/', { timeout: 20000 });
        const shared = await recorder();
        servers.push(...shared.servers);
        await page.goto(`http://127.0.0.1:${shared.port}/`);
        result.otherServerWithSharedAddress = shared.got;
        result.ok = true;
    } catch (e) {
        result.page = await browser.contexts()[0].pages()[0].textContent('body').catch(() => '');
        throw e;
    } finally {
        for (const s of servers) s.close();
        await browser.close();
    }
}

main()
    .then(() => console.log(JSON.stringify(result)))
    .catch((e) => { result.ok = false; result.error = String(e && e.message || e); console.log(JSON.stringify(result)); process.exit(1); });
