#!/usr/bin/env node
// fake-service-proxy: the API server's service proxy in front of fake-headlamp,
// for `aks-proxy --headlamp-service`. Like kube-apiserver it requires
// `Authorization: Bearer ...`, removes that header after checking it, and
// forwards /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/<rest> to the
// service as /<rest>, WebSocket upgrades included.
//   node service_proxy.js --cert F --key F --backend URL --service NS/NAME:PORT [--port-file F]
// Test-only: GET /_fake/seen → [{path, fingerprint}] of the bearer tokens seen.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');

const opts = { cert: '', key: '', backend: '', service: '', portFile: '' };
const names = { '--cert': 'cert', '--key': 'key', '--backend': 'backend', '--service': 'service', '--port-file': 'portFile' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (!names[argv[i]] || i + 1 >= argv.length) throw new Error(`fake-service-proxy: bad argument ${argv[i]}`);
  opts[names[argv[i]]] = argv[i + 1];
}
const [ns, svc] = opts.service.split('/');
const prefix = `/api/v1/namespaces/${ns}/services/${svc}/proxy`;
const backend = new URL(opts.backend);
const seen = [];

// The path on the service, or null when the request is not for it / not authenticated.
function admit(req) {
  if (!req.url.startsWith(prefix + '/') && req.url !== prefix) return { status: 404 };
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  if (!m) return { status: 401 };
  seen.push({ path: req.url.split('?')[0], fingerprint: 'sha256:' + crypto.createHash('sha256').update(m[1]).digest('hex').slice(0, 12) });
  const headers = { ...req.headers, host: backend.host };
  delete headers.authorization;  // kube-apiserver drops it once authenticated
  return { path: req.url.slice(prefix.length) || '/', headers };
}

const server = https.createServer({ cert: fs.readFileSync(opts.cert), key: fs.readFileSync(opts.key) }, (req, res) => {
  if (req.url === '/_fake/seen') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify(seen));
  }
  const a = admit(req);
  if (!a.path) {
    res.writeHead(a.status, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ kind: 'Status', code: a.status }));
  }
  const up = http.request({ host: backend.hostname, port: backend.port, method: req.method, path: a.path, headers: a.headers },
    (ur) => { res.writeHead(ur.statusCode, ur.headers); ur.pipe(res); });
  up.on('error', () => { res.writeHead(503); res.end(); });
  req.pipe(up);
});

server.on('upgrade', (req, socket, head) => {
  const a = admit(req);
  if (!a.path) return socket.end(`HTTP/1.1 ${a.status} Refused\r\nContent-Length: 0\r\n\r\n`);
  const up = net.connect(Number(backend.port), backend.hostname, () => {
    let raw = `${req.method} ${a.path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(a.headers)) raw += `${k}: ${v}\r\n`;
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
