// Pages from other origins drive Debian's Chromium (headless, playwright-core)
// at aks-proxy, for test_proxy_cross_site_chromium.sh (security finding F3):
//  - API-server mode: a page on http://127.0.0.9:PORT (another site) tries a
//    no-cors fetch (GET and POST), <img>, <script>, a form POST into an
//    iframe and a top-level navigation to the proxy: requests that carry no
//    Origin header (the GETs, the navigation) and need no answer to do harm.
//  - Headlamp mode, after the launch (so the browser holds the session
//    cookie): the same from a page on another port of the proxy's own host
//    name (an attacker who learnt it), which is same-site with it, so the
//    SameSite=Strict cookie goes along.
//  - Controls: what the user does still works: a typed URL (Sec-Fetch-Site:
//    none) and the proxy's own page fetching (same-origin).
// Each attack request names itself in its path (namespaces/csrf-<mode>-<how>),
// so the test can look for them in fake-apiserver's log.
// Env: API_URL, HL_URL, HL_LAUNCH, HL_CLUSTER. Prints one JSON line.
'use strict';
const http = require('http');
const path = require('path');
const { chromium } = require(path.join(__dirname, 'node_modules', 'playwright-core'));

const env = process.env;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const result = {};

// The attacker's page: every request shape that needs neither CORS nor an
// answer. `base` is where the API paths live on the proxy.
function attackPage(base, tag) {
    const p = (how, res) => `${base}/api/v1/namespaces/csrf-${tag}-${how}/${res}`;
    return `<!doctype html><html><body><iframe name="sink"></iframe>
<form id="f" method="POST" target="sink" action="${p('form', 'configmaps')}"><input name="x" value="1"></form>
<script>
(async () => {
  const done = [];
  const settle = (what, promise) => promise.then(() => done.push(what), () => done.push(what));
  await settle('nocorsGet', fetch(${JSON.stringify(p('nocors-get', 'pods'))}, {mode: 'no-cors', credentials: 'include'}));
  await settle('nocorsPost', fetch(${JSON.stringify(p('nocors-post', 'configmaps'))},
      {mode: 'no-cors', method: 'POST', body: '{}', credentials: 'include'}));
  await new Promise((res) => { const i = new Image(); i.onload = i.onerror = res; i.src = ${JSON.stringify(p('img', 'secrets'))}; });
  done.push('img');
  await new Promise((res) => { const s = document.createElement('script'); s.onload = s.onerror = res;
      s.src = ${JSON.stringify(p('script', 'pods'))}; document.body.appendChild(s); });
  done.push('script');
  await new Promise((res) => { document.querySelector('iframe').onload = res; document.getElementById('f').submit(); });
  done.push('form');
  document.title = 'DONE ' + done.join(',');
})();
</script></body></html>`;
}

// Serves `html` on one port of each of `hosts` (a *.localhost name is
// reached on [::1] first, then 127.0.0.1); returns { servers, port }.
async function serve(hosts, html) {
    const servers = [];
    let port = 0;
    for (const host of hosts) {
        const server = http.createServer((req, res) => {
            res.writeHead(200, { 'Content-Type': 'text/html' });
            res.end(html);
        });
        try {
            port = await new Promise((resolve, reject) => {
                server.once('error', reject);
                server.listen(port, host, () => resolve(server.address().port));
            });
        } catch (e) {
            // No ::1 on this machine: browsers use 127.0.0.1.
            if (host === '::1' && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) continue;
            throw e;
        }
        servers.push(server);
    }
    return { servers, port };
}

// Runs the attack page at `origin`, then the top-level navigation it starts.
async function attack(page, origin, navigateTo) {
    await page.goto(origin + '/');
    await page.waitForFunction(() => document.title.startsWith('DONE'), null, { timeout: 20000 });
    const sent = (await page.title()).slice(5).split(',');
    await Promise.all([
        page.waitForURL(navigateTo, { timeout: 20000 }),
        page.evaluate((u) => { location.href = u; }, navigateTo),
    ]);
    await page.waitForLoadState('load');
    return { sent, navigatedTo: page.url() };
}

async function main() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    const servers = [];
    try {
        const context = await browser.newContext();
        const page = await context.newPage();

        // API-server mode, from another site.
        const evil = await serve(['127.0.0.9'], attackPage(env.API_URL, 'api'));
        servers.push(...evil.servers);
        result.api = await attack(page, `http://127.0.0.9:${evil.port}`,
            `${env.API_URL}/api/v1/namespaces/csrf-api-navigation/secrets`);
        // The user's own typed URL, and that page's same-origin fetch.
        const typed = await page.goto(`${env.API_URL}/api/v1/namespaces/default/pods`);
        result.apiTyped = typed.status();
        result.apiSameOrigin = await page.evaluate(async () => (await fetch('/api/v1/namespaces/default/pods')).status);

        // Headlamp mode: the launch (typed URL), then a same-site page.
        await page.goto(env.HL_LAUNCH);
        await page.waitForURL(env.HL_URL + '/', { timeout: 20000 });
        const hlBase = `${env.HL_URL}/clusters/${env.HL_CLUSTER}`;
        result.hlSameOrigin = await page.evaluate(async (u) => (await fetch(u)).status,
            `${hlBase}/api/v1/namespaces/default/pods`);
        const hlHost = new URL(env.HL_URL).hostname;
        const sameSite = await serve(['127.0.0.1', '::1'], attackPage(hlBase, 'hl'));
        servers.push(...sameSite.servers);
        result.hl = await attack(page, `http://${hlHost}:${sameSite.port}`,
            `${hlBase}/api/v1/namespaces/csrf-hl-navigation/secrets`);
        // Back through a typed URL: the session still works.
        const again = await page.goto(`${hlBase}/api/v1/namespaces/default/pods`);
        result.hlTyped = again.status();
        result.ok = true;
    } finally {
        for (const s of servers) s.close();
        await browser.close();
    }
}

main()
    .then(() => console.log(JSON.stringify(result)))
    .catch((e) => { result.ok = false; result.error = String(e && e.message || e); console.log(JSON.stringify(result)); process.exit(1); });
