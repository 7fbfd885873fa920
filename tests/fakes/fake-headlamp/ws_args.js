// The command line of the WebSocket test clients (ws_client.js,
// mux_client.js): URL, then "Name: value" headers as a page would send them;
// Origin goes to the ws library's own option.
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '../../e2e/node_modules/ws'));

function openFromArgv(argv) {
  const [url, ...rawHeaders] = argv;
  const headers = {};
  for (const h of rawHeaders) {
    const colon = h.indexOf(':');
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const origin = headers.Origin;
  delete headers.Origin;
  return new WebSocket(url, { headers, ...(origin ? { origin } : {}) });
}

module.exports = { openFromArgv, WebSocket };
