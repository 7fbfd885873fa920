#!/usr/bin/env node
// fake-headlamp: an upstream that behaves as Headlamp's backend does towards
// the browser and the API server, for the Headlamp-through-aks-proxy tests.
//
//   node server.js --apiserver URL --ca FILE [--port 0] [--port-file F]
//                  [--base-url /prefix] [--cluster main]
//
// What it copies from Headlamp (in-cluster mode, one cluster named "main"):
// - The credential for /clusters/{name}/... is the `headlamp-auth-{name}`
//   cookie when present (split into `.0`, `.1`, ... chunks when long), and only
//   otherwise the `Authorization` header: a stale cookie wins over a fresh
//   header, which is the trap aks-proxy must defuse.
// - /clusters/{name}/<api path> is forwarded to the API server with
//   `Authorization: Bearer <that credential>`; status and body come back as is.
// - A WebSocket under /clusters/{name}/...?watch=1 carries the watch events
//   (one JSON text message per event). Headlamp tunnels the socket to the API
//   server; this fake opens the equivalent chunked watch and relays it, which
//   is enough for the browser-facing behaviour the tests look at.
// - /config answers the cluster list; / serves a page whose script lists pods
//   with fetch() and keeps a watch WebSocket open (what Headlamp's UI does).
// - A --base-url prefix is honoured on every route.
// Test-only: GET {base}/_fake/seen returns how the last requests authenticated
// (source and a SHA-256 fingerprint of the credential, never the credential).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '../../e2e/node_modules/ws'));

function parseArgs(argv) {
  const opts = { port: 0, portFile: '', apiserver: '', ca: '', baseUrl: '', cluster: 'main' };
  const names = { '--port': 'port', '--port-file': 'portFile', '--apiserver': 'apiserver', '--ca': 'ca',
                  '--base-url': 'baseUrl', '--cluster': 'cluster' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) throw new Error(`fake-headlamp: bad argument ${argv[i]}`);
    opts[key] = argv[i + 1];
  }
  if (!opts.apiserver || !opts.ca) throw new Error('fake-headlamp: --apiserver and --ca are required');
  opts.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const agent = new https.Agent({ ca: fs.readFileSync(opts.ca), keepAlive: true });
const seen = [];  // newest last, at most 50

function fingerprint(token) {
  return 'sha256:' + crypto.createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

// Headlamp's rule: the cluster's auth cookie (whole or in chunks) first, then the header.
function credential(req, cluster) {
  const jar = cookies(req);
  const name = `headlamp-auth-${cluster}`;
  let fromCookie = jar[name];
  if (fromCookie === undefined && jar[`${name}.0`] !== undefined) {
    fromCookie = '';
    for (let i = 0; jar[`${name}.${i}`] !== undefined; i++) fromCookie += jar[`${name}.${i}`];
  }
  if (fromCookie) return { source: 'cookie', token: fromCookie };
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  if (m) return { source: 'header', token: m[1] };
  return { source: 'none', token: '' };
}

function remember(req, cred) {
  seen.push({ method: req.method, path: req.url.split('?')[0], source: cred.source,
              fingerprint: cred.token ? fingerprint(cred.token) : '' });
  if (seen.length > 50) seen.shift();
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// /clusters/{name}/rest → { cluster, rest } or null.
function clusterRoute(url) {
  const m = /^\/clusters\/([^/]+)(\/.*)$/.exec(url);
  return m ? { cluster: m[1], rest: m[2] } : null;
}

function upstreamRequest(method, rest, token, headers = {}) {
  const target = new URL(rest, opts.apiserver);
  return https.request(target, {
    method, agent,
    headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

function page() {
  const base = opts.baseUrl;
  const c = opts.cluster;
  return `<!doctype html><html><head><meta charset="utf-8"><title>fake Headlamp</title></head><body>
<h1>fake Headlamp</h1>
<p id="status">loading</p><ul id="pods"></ul><ul id="events"></ul>
<script>
const base = ${JSON.stringify(base)};
const podsUrl = base + '/clusters/${c}/api/v1/namespaces/default/pods';
async function list() {
  const r = await fetch(podsUrl, { credentials: 'same-origin' });
  document.getElementById('status').textContent = 'list ' + r.status;
  if (!r.ok) return;
  const body = await r.json();
  const ul = document.getElementById('pods');
  ul.textContent = '';
  for (const p of body.items) {
    const li = document.createElement('li');
    li.className = 'pod';
    li.textContent = p.metadata.name;
    ul.appendChild(li);
  }
}
function watch() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(proto + '//' + location.host + podsUrl + '?watch=1');
  ws.onopen = () => { document.body.dataset.watch = 'open'; };
  ws.onmessage = (m) => {
    const e = JSON.parse(m.data);
    const li = document.createElement('li');
    li.className = 'event';
    li.textContent = e.type + ' ' + ((e.object && e.object.metadata && e.object.metadata.name) || '');
    document.getElementById('events').appendChild(li);
  };
  ws.onclose = () => { document.body.dataset.watch = 'closed'; };
}
window.refreshPods = list;
list().then(watch);
</script></body></html>`;
}

function handle(req, res) {
  if (opts.baseUrl && !req.url.startsWith(opts.baseUrl + '/') && req.url !== opts.baseUrl) {
    return sendJson(res, 404, { message: 'outside the base URL' });
  }
  const url = req.url.slice(opts.baseUrl.length) || '/';
  if (url === '/' || url === '/index.html') {
    const html = page();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    return res.end(html);
  }
  if (url === '/config') {
    return sendJson(res, 200, { clusters: [{ name: opts.cluster, server: opts.apiserver, meta_data: { source: 'incluster' } }] });
  }
  if (url === '/_fake/seen') return sendJson(res, 200, seen);
  const route = clusterRoute(url);
  if (!route || route.cluster !== opts.cluster) return sendJson(res, 404, { message: `no such route ${url.split('?')[0]}` });

  const cred = credential(req, route.cluster);
  remember(req, cred);
  const headers = {};
  for (const h of ['content-type', 'accept', 'content-length']) if (req.headers[h]) headers[h] = req.headers[h];
  const up = upstreamRequest(req.method, route.rest, cred.token, headers);
  up.on('response', (ur) => {
    const out = {};
    for (const h of ['content-type', 'content-length']) if (ur.headers[h]) out[h] = ur.headers[h];
    res.writeHead(ur.statusCode, out);
    ur.pipe(res);
  });
  up.on('error', (e) => sendJson(res, 502, { message: `API server: ${e.code || e.message}` }));
  req.pipe(up);
}

const server = http.createServer(handle);
const wss = new WebSocketServer({ noServer: true });

server.on('upgrade', (req, socket, head) => {
  const url = req.url.slice(opts.baseUrl.length);
  const route = clusterRoute(url);
  if (!req.url.startsWith(opts.baseUrl + '/') || !route || route.cluster !== opts.cluster) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const cred = credential(req, route.cluster);
  remember(req, cred);
  wss.handleUpgrade(req, socket, head, (ws) => {
    const up = upstreamRequest('GET', route.rest, cred.token, { accept: 'application/json' });
    up.on('response', (ur) => {
      if (ur.statusCode !== 200) {
        ws.close(4000 + Math.min(ur.statusCode, 999), `API server answered ${ur.statusCode}`);
        ur.resume();
        return;
      }
      let pending = '';
      ur.setEncoding('utf8');
      ur.on('data', (chunk) => {
        pending += chunk;
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) ws.send(line);
        }
      });
      ur.on('end', () => ws.close(1000, 'watch ended'));
    });
    up.on('error', () => ws.close(1011, 'API server unreachable'));
    up.end();
    ws.on('close', () => up.destroy());
  });
});

server.listen(Number(opts.port), '127.0.0.1', () => {
  const port = server.address().port;
  if (opts.portFile) {
    // Written whole, then renamed: a waiting test never reads half a number.
    fs.writeFileSync(`${opts.portFile}.tmp`, String(port));
    fs.renameSync(`${opts.portFile}.tmp`, opts.portFile);
  }
  console.log(`fake-headlamp listening on http://127.0.0.1:${port}${opts.baseUrl}/`);
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
