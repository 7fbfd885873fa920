// The command line of the WebSocket test clients (ws_client.js,
// mux_client.js): URL, then "Name: value" headers as a page would send them;
// Origin goes to the ws library's own option.
'use strict';
const dns = require('dns');
const path = require('path');
const WebSocket = require(path.join(__dirname, '../../e2e/node_modules/ws'));

// Browsers (and curl) resolve every *.localhost name to loopback themselves
// (RFC 6761 §6.3), as aks-proxy's Headlamp launch host needs; Node asks
// getaddrinfo, which does not. This lookup does what the browser does.
function browserLookup(hostname, options, callback) {
  if (!/\.localhost$/i.test(hostname)) return dns.lookup(hostname, options, callback);
  if (options && options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return callback(null, '127.0.0.1', 4);
}

function openFromArgv(argv) {
  const [url, ...rawHeaders] = argv;
  const headers = {};
  for (const h of rawHeaders) {
    const colon = h.indexOf(':');
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const origin = headers.Origin;
  delete headers.Origin;
  return new WebSocket(url, { headers, lookup: browserLookup, ...(origin ? { origin } : {}) });
}

module.exports = { openFromArgv, WebSocket };
