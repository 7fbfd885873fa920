#!/usr/bin/env node
// Test helper: opens a WebSocket as a browser page would (Cookie and Origin
// headers given on the command line) and prints "open", each text message on
// its own line, and "close <code>" or "error <status>" at the end.
//   node ws_client.js URL [Header: value]...
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '../../e2e/node_modules/ws'));

const [url, ...rawHeaders] = process.argv.slice(2);
const headers = {};
for (const h of rawHeaders) {
  const colon = h.indexOf(':');
  headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
}
const origin = headers.Origin;
delete headers.Origin;
const ws = new WebSocket(url, { headers, ...(origin ? { origin } : {}) });
ws.on('open', () => console.log('open'));
ws.on('message', (data) => console.log(String(data)));
ws.on('unexpected-response', (req, res) => {
  console.log(`error ${res.statusCode}`);
  process.exit(0);
});
ws.on('close', (code) => {
  console.log(`close ${code}`);
  process.exit(0);
});
ws.on('error', (e) => {
  console.log(`error ${e.message}`);
  process.exit(0);
});
