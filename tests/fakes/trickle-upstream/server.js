#!/usr/bin/env node
// trickle-upstream: a TLS upstream for aks-proxy that speaks HTTP/1.1 by hand
// and sends every byte it writes in a write of its own (so a TLS record of its
// own), heads included: whoever reads from it gets one byte per read.
//
//   node server.js --cert FILE --key FILE [--port 0] [--port-file F]
//
// Routes (each needs `Authorization: Bearer <JWT-shaped token>`, else 401):
//   GET  /trickle?bytes=N   200, chunked, N random bytes in 1-byte chunks;
//                           X-Body-Sha256 names their SHA-256 (hex).
//   POST /echo              the request body (Content-Length or chunked) back
//                           with Content-Length; X-Body-Reads says in how many
//                           reads the body arrived.
//   GET  /tunnel            with `Connection: Upgrade` and `Upgrade: trickle`:
//                           101, then every byte received is echoed back.
// Connections are kept alive between requests. One log line per request to
// stdout (method, path, status; never a header value).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const tls = require('tls');
const { ByteReader, readHead, readBody, hasToken, trickle, head } = require('./http1');

function parseArgs(argv) {
  const opts = { port: 0, portFile: '', cert: '', key: '' };
  const names = { '--port': 'port', '--port-file': 'portFile', '--cert': 'cert', '--key': 'key' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) throw new Error(`trickle-upstream: bad argument ${argv[i]}`);
    opts[key] = argv[i + 1];
  }
  if (!opts.cert || !opts.key) throw new Error('trickle-upstream: --cert and --key are required');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const MAX_TRICKLE = 1024 * 1024;
// What fake-entra issues and aks-proxy must inject: three base64url segments.
const BEARER = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function log(method, path, status) {
  console.log(`trickle-upstream: ${method} ${path} ${status}`);
}

// A complete answer with a Content-Length body, trickled.
async function answer(socket, status, reason, body, extra = []) {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  await trickle(socket, head(`HTTP/1.1 ${status} ${reason}`,
                             [...extra, ['Content-Length', data.length]]));
  await trickle(socket, data);
}

function statusJson(code, message) {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
}

// Serves requests on one connection until it ends or switches protocols.
async function serve(socket) {
  const reader = new ByteReader(socket);
  for (;;) {
    const req = await readHead(reader);
    if (!req) return;
    const [method, target = '', version = ''] = req.start.split(' ');
    if (!version.startsWith('HTTP/1.')) throw new Error(`bad request line ${JSON.stringify(req.start)}`);
    const url = new URL(target, 'https://upstream.invalid');
    const path = url.pathname;

    if (!BEARER.test(req.headers.authorization || '')) {
      log(method, path, 401);
      await answer(socket, 401, 'Unauthorized', statusJson(401, 'no bearer token'),
                   [['Content-Type', 'application/json'], ['Connection', 'close']]);
      socket.end();
      return;
    }

    const readsBefore = reader.reads;
    const body = await readBody(reader, req.headers, false);
    const bodyReads = reader.reads - readsBefore;

    if (method === 'GET' && path === '/tunnel') {
      if (!hasToken(req.headers.connection, 'upgrade') || (req.headers.upgrade || '').toLowerCase() !== 'trickle') {
        log(method, path, 400);
        await answer(socket, 400, 'Bad Request', statusJson(400, 'expected Upgrade: trickle'),
                     [['Content-Type', 'application/json']]);
        continue;
      }
      log(method, path, 101);
      await trickle(socket, head('HTTP/1.1 101 Switching Protocols', [['Connection', 'Upgrade'], ['Upgrade', 'trickle']]));
      // From here on raw bytes: each one back in its own write.
      for (let got; (got = await reader.some()) !== null;) await trickle(socket, got);
      socket.end();
      return;
    }
    if (method === 'GET' && path === '/trickle') {
      const n = Number(url.searchParams.get('bytes') || '0');
      if (!Number.isInteger(n) || n < 0 || n > MAX_TRICKLE) {
        log(method, path, 400);
        await answer(socket, 400, 'Bad Request', statusJson(400, 'bytes out of range'), [['Content-Type', 'application/json']]);
        continue;
      }
      const data = crypto.randomBytes(n);
      log(method, path, 200);
      await trickle(socket, head('HTTP/1.1 200 OK', [
        ['Content-Type', 'application/octet-stream'],
        ['X-Body-Sha256', crypto.createHash('sha256').update(data).digest('hex')],
        ['Transfer-Encoding', 'chunked'],
      ]));
      for (let i = 0; i < n; i++) await trickle(socket, Buffer.concat([Buffer.from('1\r\n'), data.subarray(i, i + 1), Buffer.from('\r\n')]));
      await trickle(socket, Buffer.from('0\r\n\r\n'));
      continue;
    }
    if (method === 'POST' && path === '/echo') {
      log(method, path, 200);
      await answer(socket, 200, 'OK', body, [['Content-Type', 'application/octet-stream'], ['X-Body-Reads', bodyReads]]);
      continue;
    }
    log(method, path, 404);
    await answer(socket, 404, 'Not Found', statusJson(404, `no route ${path}`), [['Content-Type', 'application/json']]);
  }
}

const server = tls.createServer({ cert: fs.readFileSync(opts.cert), key: fs.readFileSync(opts.key) }, (socket) => {
  serve(socket).catch((e) => {
    console.log(`trickle-upstream: connection dropped: ${e.message}`);
    socket.destroy();
  });
});
server.on('tlsClientError', (e) => console.log(`trickle-upstream: TLS handshake failed: ${e.code || e.message}`));

server.listen(Number(opts.port), '127.0.0.1', () => {
  const port = server.address().port;
  if (opts.portFile) {
    // Written whole, then renamed: a waiting test never reads half a number.
    fs.writeFileSync(`${opts.portFile}.tmp`, String(port));
    fs.renameSync(`${opts.portFile}.tmp`, opts.portFile);
  }
  console.log(`trickle-upstream listening on https://127.0.0.1:${port}/`);
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
