#!/usr/bin/env node
// fake-service-proxy: the API server's service proxy in front of fake-headlamp,
// for `aks-proxy --headlamp-service`. As kube-apiserver does
// (k8s.io/apiserver/pkg/endpoints/filters/authentication.go WithAuthentication):
// the request is authenticated first (here: its bearer token goes to
// fake-apiserver as a SelfSubjectReview; a token fake-apiserver refuses —
// expired, wrong audience — gets 401, as it would), and on success
// `Authorization` is removed before the request goes on. Cookies and every
// other header pass. /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/<rest>
// goes to the service as /<rest>, WebSocket upgrades included.
//   node service_proxy.js --cert F --key F --backend URL --service NS/NAME:PORT
//                         --apiserver URL --ca FILE [--port-file F]
// Test-only: GET /_fake/seen → [{path, fingerprint}] of the bearer tokens seen.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');

const opts = { cert: '', key: '', backend: '', service: '', portFile: '', apiserver: '', ca: '' };
const names = { '--cert': 'cert', '--key': 'key', '--backend': 'backend', '--service': 'service',
                '--port-file': 'portFile', '--apiserver': 'apiserver', '--ca': 'ca' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (!names[argv[i]] || i + 1 >= argv.length) throw new Error(`fake-service-proxy: bad argument ${argv[i]}`);
  opts[names[argv[i]]] = argv[i + 1];
}
if (!opts.apiserver || !opts.ca) throw new Error('fake-service-proxy: --apiserver and --ca are required');
const [ns, svc] = opts.service.split('/');
const prefix = `/api/v1/namespaces/${ns}/services/${svc}/proxy`;
const backend = new URL(opts.backend);
const apiAgent = new https.Agent({ ca: fs.readFileSync(opts.ca), keepAlive: true });
const seen = [];

// The token's identity per fake-apiserver, or null when it refuses it.
function authenticate(token) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    const req = https.request(new URL('/apis/authentication.k8s.io/v1/selfsubjectreviews', opts.apiserver), {
      method: 'POST', agent: apiAgent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      resolve(res.statusCode === 201 || res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

// { status } when refused, else { path, headers } for the service.
async function admit(req) {
  if (!req.url.startsWith(prefix + '/') && req.url !== prefix) return { status: 404 };
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  if (!m || !(await authenticate(m[1]))) return { status: 401 };
  seen.push({ path: req.url.split('?')[0], fingerprint: 'sha256:' + crypto.createHash('sha256').update(m[1]).digest('hex').slice(0, 12) });
  if (seen.length > 200) seen.shift();
  const headers = { ...req.headers, host: backend.host };
  delete headers.authorization;  // "authorization header is not required anymore"
  return { path: req.url.slice(prefix.length) || '/', headers };
}

const server = https.createServer({ cert: fs.readFileSync(opts.cert), key: fs.readFileSync(opts.key) }, async (req, res) => {
  if (req.url === '/_fake/seen') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify(seen));
  }
  const a = await admit(req);
  if (!a.path) {
    res.writeHead(a.status, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: a.status,
                                    reason: a.status === 401 ? 'Unauthorized' : 'NotFound' }));
  }
  const up = http.request({ host: backend.hostname, port: backend.port, method: req.method, path: a.path, headers: a.headers },
    (ur) => { res.writeHead(ur.statusCode, ur.headers); ur.pipe(res); });
  up.on('error', () => { res.writeHead(503); res.end(); });
  req.pipe(up);
});

server.on('upgrade', async (req, socket, head) => {
  const a = await admit(req);
  if (!a.path) return socket.end(`HTTP/1.1 ${a.status} Refused\r\nContent-Length: 0\r\n\r\n`);
  const up = net.connect(Number(backend.port), backend.hostname, () => {
    let raw = `${req.method} ${a.path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(a.headers)) {
      for (const one of Array.isArray(v) ? v : [v]) raw += `${k}: ${one}\r\n`;
    }
    up.write(raw + '\r\n');
    if (head.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  up.on('error', () => socket.destroy());
  socket.on('error', () => up.destroy());
});

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  if (opts.portFile) {
    fs.writeFileSync(`${opts.portFile}.tmp`, String(port));
    fs.renameSync(`${opts.portFile}.tmp`, opts.portFile);
  }
  console.log(`fake-service-proxy listening on https://127.0.0.1:${port}${prefix}/`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
