#!/usr/bin/env node
// fake-headlamp: Headlamp's backend as the browser and the API server see it,
// rebuilt from kubernetes-sigs/headlamp's source (v0.45.0: tag v0.45.0,
// commit 0e9fe810c; the mirror's HEAD 6d2b42cc7 has the same backend/ and
// frontend/src), for the Headlamp-through-aks-proxy tests. In-cluster mode,
// one cluster. Run with --help for the switches (options.js).
//
// Routes (backend/cmd/headlamp.go createHeadlampHandler unless noted), each
// under --base-url:
//   GET  /config                          cluster list (getConfig; Cluster in backend/cmd/cluster.go)
//   POST /clusters/<c>/set-token           cookies set or cleared (handleSetToken, auth/cookies.go)
//   POST /auth/set-token                   the same route without a cluster: 400
//   ANY  /externalproxy                    headers copied to proxy-to (externalProxyHandler)
//   GET  /clusters/<c>/me                  who the token says you are (auth/auth.go HandleMe)
//   GET  /clusters/<c>/serviceproxy/<ns>/<name>?request=...   (serviceproxy/handler.go)
//   ANY  /clusters/<c>/<api path>          to the API server, WebSocket upgrades included
//                                          (clusterRequestHandler)
//   WS   /wsMultiplexer                    multiplexer.js
//   GET  anything else                     the SPA page, frontend.js (spa/spaHandler.go)
// Credential precedence per route: auth.js. Token cookies: cookies.js.
// Test-only: GET {base}/_fake/seen → the last 100 credentials as
// [{method, path, route, source, fingerprint}] (a SHA-256 prefix, never the
// credential); GET {base}/_fake/mux → multiplexer handshakes seen.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '../../e2e/node_modules/ws'));
const { parseArgs } = require('./options');
const { client } = require('./apiserver');
const auth = require('./auth');
const { setTokenCookie, clearTokenCookie } = require('./cookies');
const multiplexer = require('./multiplexer');
const { page } = require('./frontend');

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
const api = client(opts.apiserver, opts.ca);
const seen = [];
const muxRecord = { handshakes: [] };

function fingerprint(token) {
  return 'sha256:' + crypto.createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function remember({ method, path: p, route, source, token }) {
  seen.push({ method, path: p, route, source, fingerprint: token ? fingerprint(token) : '' });
  if (seen.length > 100) seen.shift();
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => resolve(body));
  });
}

// /clusters/<c>/<rest> → { cluster, rest } or null (gorilla/mux {clusterName} is one segment).
function clusterRoute(url) {
  const m = /^\/clusters\/([^/?]+)(\/[^]*)$/.exec(url);
  return m ? { cluster: decodeURIComponent(m[1]), rest: m[2] } : null;
}

function clusterConfig() {
  return {
    clusters: [{
      name: opts.cluster, server: opts.apiserver, auth_type: '',
      meta_data: { source: 'incluster', namespace: '', extensions: null, origin: { kubeconfig: '' },
                   originalName: opts.cluster, clusterID: '' },
    }],
    isDynamicClusterEnabled: false, allowKubeconfigChanges: false, defaultPodDebugImage: '',
    defaultNodeShellImage: '', defaultNodeShellNamespace: '',
  };
}

// handleSetToken: JSON {token}; empty clears the chunks the request carries.
async function setToken(req, res, cluster) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (e) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    return res.end('Invalid JSON\n');
  }
  if (!cluster) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    return res.end('Cluster name is required\n');
  }
  const token = typeof body.token === 'string' ? body.token : '';
  remember({ method: 'POST', path: req.url, route: 'set-token', source: token ? 'pasted' : 'logout', token });
  const cookies = token ? setTokenCookie(req.headers, cluster, token, opts.baseUrl, opts.sessionTtl)
                        : clearTokenCookie(req.headers, cluster, opts.baseUrl);
  res.writeHead(200, cookies.length ? { 'Set-Cookie': cookies } : {});
  res.end();
}

// HandleMe: proxy-auth headers, else the token's claims.
function me(req, res, cluster) {
  const noCache = { 'Cache-Control': 'no-store, no-cache, must-revalidate, private', Vary: 'Cookie' };
  const proxied = auth.proxyAuthIdentity(opts, req.headers);
  if (proxied) {
    remember({ method: 'GET', path: req.url, route: 'me', source: 'proxy-auth', token: '' });
    return sendJson(res, 200, { ...proxied, userInfoURL: '' }, noCache);
  }
  const cred = opts.headerOnly ? { source: 'none', token: '' } : auth.meCredential(opts, req.headers, cluster);
  remember({ method: 'GET', path: req.url, route: 'me', ...cred });
  if (!cred.token) return sendJson(res, 401, { message: 'unauthorized' }, noCache);
  const claims = auth.jwtClaims(cred.token);
  if (!claims) return sendJson(res, 401, { message: 'invalid token' }, noCache);
  if (typeof claims.exp !== 'number' || Date.now() / 1000 > claims.exp) {
    return sendJson(res, 401, { message: 'token expired' }, noCache);
  }
  const username = [claims.preferred_username, claims.upn, claims.username, claims.name].find((v) => v) || '';
  sendJson(res, 200, { username, email: claims.email || '', groups: claims.groups || [], userInfoURL: '' }, noCache);
}

// serviceproxy.RequestHandler: the Service is looked up with the cookie's
// token (else the header's); 401 without one. The Service itself then gets a
// fresh GET with none of the caller's headers, Cookie and Authorization
// included (Headlamp v0.45 backend/pkg/serviceproxy/http.go HTTPGetStream),
// so the token cookie on this route stops at Headlamp.
function serviceProxy(req, res, cluster, rest) {
  const cred = auth.serviceProxyCredential(opts, req.headers, cluster);
  remember({ method: req.method, path: req.url.split('?')[0], route: 'serviceproxy', ...cred });
  if (!cred.token) {
    res.writeHead(401);
    return res.end();
  }
  const m = /^\/serviceproxy\/([^/]+)\/([^/?]+)/.exec(rest);
  const up = api.request('GET', `/api/v1/namespaces/${m[1]}/services/${m[2]}`, cred.token);
  up.on('response', (ur) => {
    ur.resume();
    res.writeHead(ur.statusCode === 401 ? 401 : ur.statusCode === 200 ? 200 : 404, { 'Content-Type': 'text/plain' });
    res.end(ur.statusCode === 200 ? 'service reached\n' : '');
  });
  up.on('error', () => { res.writeHead(502); res.end(); });
  up.end();
}

// externalProxyHandler: every request header, Cookie and Authorization
// included, is copied to the proxy-to URL when -proxy-urls allows it (none
// by default: 400). The fake records which credential would have gone out.
function externalProxy(req, res) {
  const cookie = auth.cookieToken(opts, req.headers, opts.cluster);
  const header = auth.bearerTokenValue(req.headers.authorization);
  const cred = cookie ? { source: 'cookie', token: cookie } : header ? { source: 'header', token: header }
                                                                   : { source: 'none', token: '' };
  remember({ method: req.method, path: req.url.split('?')[0], route: 'externalproxy', ...cred });
  res.writeHead(400, { 'Content-Type': 'text/plain' });
  res.end('no allowed proxy url match, request denied \n');
}

// clusterRequestHandler: the credential by auth.clusterProxyCredential, then
// the request as it is (Host and path rewritten) to the API server.
function clusterProxy(req, res, route) {
  const headers = { ...req.headers };
  const cred = auth.clusterProxyCredential(opts, headers, route.cluster, false);
  remember({ method: req.method, path: req.url.split('?')[0], route: 'cluster', ...cred });
  const fwd = {};
  for (const h of ['content-type', 'accept', 'content-length']) if (headers[h]) fwd[h] = headers[h];
  const up = api.request(req.method, route.rest, cred.token, fwd);
  up.on('response', (ur) => {
    const out = {};
    for (const h of ['content-type', 'content-length']) if (ur.headers[h]) out[h] = ur.headers[h];
    res.writeHead(ur.statusCode, out);
    ur.pipe(res);
  });
  up.on('error', (e) => sendJson(res, 502, { message: `API server: ${e.code || e.message}` }));
  req.pipe(up);
}

async function handle(req, res) {
  if (opts.baseUrl && !req.url.startsWith(opts.baseUrl + '/') && req.url !== opts.baseUrl) {
    return sendJson(res, 404, { message: 'outside the base URL' });
  }
  const url = req.url.slice(opts.baseUrl.length) || '/';
  const pathOnly = url.split('?')[0];
  if (pathOnly === '/_fake/seen') return sendJson(res, 200, seen);
  if (pathOnly === '/_fake/mux') return sendJson(res, 200, muxRecord);
  if (pathOnly === '/config' && req.method === 'GET') return sendJson(res, 200, clusterConfig());
  if (pathOnly === '/auth/set-token' && req.method === 'POST') return setToken(req, res, '');
  if (pathOnly === '/externalproxy') return externalProxy(req, res);
  const route = clusterRoute(url);
  if (route) {
    if (route.cluster !== opts.cluster) {
      // Recorded for the tests: which credential came along for a cluster Headlamp does not have.
      const cred = auth.clusterProxyCredential(opts, { ...req.headers }, route.cluster, false);
      remember({ method: req.method, path: req.url.split('?')[0], route: 'unknown-cluster', ...cred });
      return sendJson(res, 404, { message: `failed to get context: key not found` });
    }
    const restPath = route.rest.split('?')[0];
    if (!opts.headerOnly && restPath === '/set-token' && req.method === 'POST') return setToken(req, res, route.cluster);
    if (!opts.headerOnly && restPath === '/me' && req.method === 'GET') return me(req, res, route.cluster);
    if (/^\/serviceproxy\/[^/]+\/[^/]+$/.test(restPath) && req.method === 'GET' && /[?&]request=/.test(route.rest)) {
      return serviceProxy(req, res, route.cluster, route.rest);
    }
    return clusterProxy(req, res, route);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { message: 'method not allowed' });
  const html = page(opts);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(req.method === 'HEAD' ? undefined : html);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => sendJson(res, 500, { message: String(e.message || e) }));
});
const multiplexerServer = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => (protocols.has('headlamp.multiplexer.k8s.io') ? 'headlamp.multiplexer.k8s.io' : false),
});
const directServer = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => (protocols.has('base64.binary.k8s.io') ? 'base64.binary.k8s.io' : false),
});

function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

server.on('upgrade', (req, socket, head) => {
  if (opts.baseUrl && !req.url.startsWith(opts.baseUrl + '/')) return refuse(socket, 404, 'Not Found');
  const url = req.url.slice(opts.baseUrl.length);
  if (url.split('?')[0] === '/wsMultiplexer') {
    return multiplexerServer.handleUpgrade(req, socket, head, (ws) => {
      multiplexer.attach(ws, req, { opts, api, remember, record: muxRecord });
    });
  }
  const route = clusterRoute(url);
  if (!route || route.cluster !== opts.cluster) return refuse(socket, 404, 'Not Found');
  // Headlamp's reverse proxy passes the API server's answer to the handshake
  // through: a 401 there is a 401 here.
  const headers = { ...req.headers };
  const cred = auth.clusterProxyCredential(opts, headers, route.cluster, true);
  remember({ method: 'WS', path: req.url.split('?')[0], route: 'cluster', ...cred });
  let ws = null;
  let early = [];
  const stop = api.watch(route.rest, cred.token, {
    onStatus(code) {
      if (code !== 200) return refuse(socket, code, 'Refused by the API server');
      directServer.handleUpgrade(req, socket, head, (accepted) => {
        ws = accepted;
        for (const line of early) ws.send(line);
        early = null;
        ws.on('close', () => stop());
      });
    },
    onEvent(line) {
      if (ws) ws.send(line);
      else if (early) early.push(line);
    },
    onEnd() {
      if (ws) ws.close(1000, 'watch ended');
    },
  });
  socket.on('error', () => stop());
});

server.listen(Number(opts.port), '127.0.0.1', () => {
  const port = server.address().port;
  if (opts.portFile) {
    // Written whole, then renamed: a waiting test never reads half a number.
    fs.writeFileSync(`${opts.portFile}.tmp`, String(port));
    fs.renameSync(`${opts.portFile}.tmp`, opts.portFile);
  }
  console.log(`fake-headlamp listening on http://127.0.0.1:${port}${opts.baseUrl}/ (cluster ${opts.cluster}` +
              `${opts.multiplexer ? ', multiplexer frontend' : ''}${opts.headerOnly ? ', pre-0.35' : ''})`);
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
