// fake-headlamp's side of the API server: requests with a bearer token, and
// watches read as one event per line (fake-apiserver serves watches as
// chunked JSON lines; real Headlamp opens a WebSocket to the API server for
// the same events, backend/cmd/multiplexer.go dialWebSocket, v0.45.0).
'use strict';
const fs = require('fs');
const https = require('https');

function client(apiserver, caFile) {
  const agent = new https.Agent({ ca: fs.readFileSync(caFile), keepAlive: true });

  function request(method, rest, token, headers = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    return https.request(new URL(rest, apiserver), { method, agent, headers: h });
  }

  // Starts a watch; onStatus(code) once, then onEvent(text) per line, onEnd().
  // Returns a function that stops it.
  function watch(rest, token, { onStatus, onEvent, onEnd }) {
    const req = request('GET', rest, token, { accept: 'application/json' });
    let ended = false;
    let answered = false;
    const end = () => {
      if (!ended) {
        ended = true;
        onEnd();
      }
    };
    req.on('response', (res) => {
      answered = true;
      onStatus(res.statusCode);
      if (res.statusCode !== 200) {
        res.resume();
        return;
      }
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        pending += chunk;
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) onEvent(line);
        }
      });
      res.on('end', end);
      res.on('error', end);
    });
    req.on('error', () => {
      if (!ended && !answered) onStatus(502);
      end();
    });
    req.end();
    return () => {
      ended = true;
      req.destroy();
    };
  }

  return { request, watch };
}

module.exports = { client };
