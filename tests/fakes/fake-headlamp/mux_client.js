#!/usr/bin/env node
// Test helper: Headlamp's frontend multiplexer as a script. Opens one
// WebSocket to URL (headers given on the command line, as a page would send
// them), then reads commands on stdin, one per line:
//   subscribe PATH [QUERY]   send a REQUEST (frontend/src/lib/k8s/api/v2/multiplexer.ts)
//   unsubscribe PATH         send a CLOSE
//   raw TEXT                 send TEXT as it is
// Prints "open", then one JSON line per message received
// ({type, path, state|error|event}), and "close CODE" at the end.
//   node mux_client.js URL [Header: value]...
'use strict';
const readline = require('readline');
const { openFromArgv, WebSocket } = require('./ws_args');

const userId = 'mux-client-user';
const ws = openFromArgv(process.argv.slice(2));
const out = (line) => process.stdout.write(line + '\n');

ws.on('open', () => out('open'));
ws.on('message', (raw) => {
  let m;
  try { m = JSON.parse(String(raw)); } catch (e) { return out(JSON.stringify({ type: 'garbage' })); }
  const line = { type: m.type, path: m.path };
  try {
    const d = m.data ? JSON.parse(m.data) : {};
    if (m.type === 'STATUS') line.state = d.state;
    if (m.type === 'ERROR') line.error = d.error;
    if (m.type === 'DATA') line.event = `${d.type} ${d.object && d.object.metadata && d.object.metadata.name}`;
  } catch (e) { /* as it came */ }
  out(JSON.stringify(line));
});
ws.on('unexpected-response', (req, res) => { out(`error ${res.statusCode}`); process.exit(0); });
ws.on('close', (code) => { out(`close ${code}`); process.exit(0); });
ws.on('error', (e) => { out(`error ${e.message}`); process.exit(0); });

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.startsWith('raw ')) {  // a message as it is (tests of what the proxy lets through)
    if (ws.readyState === WebSocket.OPEN) ws.send(line.slice(4));
    return;
  }
  const [cmd, p, query = 'watch=1'] = line.trim().split(/\s+/);
  if (!p || ws.readyState !== WebSocket.OPEN) return;
  const type = cmd === 'subscribe' ? 'REQUEST' : 'CLOSE';
  ws.send(JSON.stringify({ clusterId: process.env.MUX_CLUSTER || 'main', path: p, query, userId, type }));
});
