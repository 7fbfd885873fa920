#!/usr/bin/env node
// Test helper: opens a WebSocket as a browser page would (Cookie and Origin
// headers given on the command line) and prints "open", each text message on
// its own line, and "close <code>" or "error <status>" at the end.
//   node ws_client.js URL [Header: value]...
'use strict';
const { openFromArgv } = require('./ws_args');

const ws = openFromArgv(process.argv.slice(2));
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
