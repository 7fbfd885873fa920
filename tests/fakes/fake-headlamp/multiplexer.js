// Headlamp's /wsMultiplexer (kubernetes-sigs/headlamp v0.45.0,
// backend/cmd/multiplexer.go, tag v0.45.0 commit 0e9fe810c):
// - One client WebSocket carries every watch of a page. The subprotocol
//   headlamp.multiplexer.k8s.io is selected when offered (Upgrader.Subprotocols);
//   CheckOrigin accepts any Origin.
// - Each REQUEST {clusterId, path, query, userId} takes its token with
//   GetTokenFromCookie(r, clusterId) where r is the UPGRADE request: the cookie
//   of the handshake, for the whole life of the socket (processClientMessage).
//   A later cookie is never seen: after the token rotates, new subscriptions
//   still use the handshake's token.
// - Connections are keyed clusterId:path:userId (createConnectionKey; the
//   query is not part of the key). A REQUEST for an existing key reuses it.
// - A new connection dials the API server with `Authorization: Bearer
//   <token>` (no header without a token). Failure: STATUS {state:"error"}
//   then ERROR {error:"dialing WebSocket: websocket: bad handshake"}.
//   Success: STATUS {state:"connected"}; then per event a COMPLETE when the
//   resourceVersion changes (sendIfNewResourceVersion) and a DATA message
//   with the event as text.
// - CLOSE ends that key's connection (STATUS {state:"closed"}); the client
//   socket closing ends all of its connections.
// - With -unsafe-use-service-account-token the pod's token replaces the
//   cookie's (clusterConnectionToken).
// Not modelled: the 30 s heartbeat ping to the API server and its reconnect
// (which reuses the same frozen token).
'use strict';
const { getTokenFromCookie } = require('./cookies');

function attach(ws, req, { opts, api, remember, record }) {
  const handshake = { cookie: req.headers.cookie };  // frozen: this is all GetTokenFromCookie ever sees
  const conns = new Map();
  record.handshakes.push({ at: Date.now() });

  function send(msg) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }
  function status(m, state, error) {
    send({ clusterId: m.clusterId, path: m.path, data: JSON.stringify({ state, error: error || '' }), type: 'STATUS' });
  }
  function sendError(m, error) {
    send({ clusterId: m.clusterId, path: m.path, query: m.query, userId: m.userId,
           data: JSON.stringify({ error }), type: 'ERROR' });
  }

  function establish(m, key) {
    let token = '';
    let source = 'none';
    if (opts.unsafeServiceAccountToken) {
      token = opts.serviceAccountToken;
      source = 'service-account';
    } else if (!opts.headerOnly) {
      try {
        token = getTokenFromCookie(handshake, m.clusterId);
      } catch (e) {
        return sendError(m, e.message);
      }
      if (token) source = 'cookie';
    }
    if (m.clusterId !== opts.cluster) return sendError(m, `getting cluster config: getting context: key not found`);
    remember({ method: 'WS', path: m.path, route: 'multiplexer', source, token });
    const conn = { m, lastRv: '', stop: null };
    conns.set(key, conn);
    const rest = m.path + (m.query ? `?${m.query}` : '');
    conn.stop = api.watch(rest, token, {
      onStatus(code) {
        if (code !== 200) {
          conns.delete(key);
          status(m, 'error', 'dialing WebSocket: websocket: bad handshake');
          sendError(m, 'dialing WebSocket: websocket: bad handshake');
          return;
        }
        status(m, 'connected');
      },
      onEvent(line) {
        let rv = '';
        try {
          const e = JSON.parse(line);
          rv = (e.metadata && e.metadata.resourceVersion) ||
               (e.object && e.object.metadata && e.object.metadata.resourceVersion) || '';
        } catch (err) { /* non-JSON frames are passed on as they are */ }
        if (rv && rv !== conn.lastRv) {
          conn.lastRv = rv;
          send({ clusterId: m.clusterId, path: m.path, query: m.query, userId: m.userId, type: 'COMPLETE' });
        }
        send({ clusterId: m.clusterId, path: m.path, query: m.query, userId: m.userId, data: line,
               binary: false, type: 'DATA' });
      },
      onEnd() {
        if (conns.get(key) === conn) {
          conns.delete(key);
          status(m, 'closed');
        }
      },
    });
  }

  ws.on('message', (raw) => {
    let m;
    try {
      m = JSON.parse(String(raw));
    } catch (e) {
      return;  // "failed to read client message": logged, the socket stays
    }
    if (!m.clusterId || !m.path || !m.userId || !m.type) return;  // missing routing fields: ignored
    const key = `${m.clusterId}:${m.path}:${m.userId}`;
    if (m.type === 'CLOSE') {
      const c = conns.get(key);
      if (c) {
        conns.delete(key);
        status(m, 'closed');
        c.stop();
      }
      return;
    }
    if (m.type !== 'REQUEST') return sendError(m, `unsupported message type: ${m.type}`);
    if (!conns.has(key)) establish(m, key);
  });
  ws.on('close', () => {
    for (const c of conns.values()) c.stop();
    conns.clear();
  });
}

module.exports = { attach };
