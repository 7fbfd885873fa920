// The page fake-headlamp serves for every non-API path (Headlamp's SPA
// handler answers index.html for client routes such as /c/<cluster>/token:
// backend/pkg/spa/spaHandler.go). Its script does what Headlamp's frontend
// does towards the backend (kubernetes-sigs/headlamp v0.45.0, frontend/src):
// - Every backend call is fetch() with credentials 'include'; a response
//   header `X-Reload: reload` makes the page reload itself; a non-2xx answer
//   becomes an error carrying the JSON body's `message`
//   (lib/k8s/api/v2/fetch.ts backendFetch, lib/k8s/api/v1/clusterRequests.ts).
// - The auth test is POST /clusters/<c>/apis/authorization.k8s.io/v1/
//   selfsubjectrulesreviews (lib/k8s/api/v1/clusterApi.ts testAuth); a
//   401/403 sends the user, on the client side, to /c/<c>/token
//   (components/App/RouteSwitcher.tsx AuthRoute).
// - The token page asks to paste a token and POSTs {token} to
//   /clusters/<c>/set-token, then tests auth again (components/account/
//   Auth.tsx, lib/auth.ts setToken); Log out POSTs {token: null} there
//   (lib/auth.ts logout, components/App/TopBar.tsx).
// - The top bar shows /clusters/<c>/me's username.
// - Watches, default build: one WebSocket per list,
//   <base>/clusters/<c>/<path>?watch=1&resourceVersion=RV with subprotocol
//   base64.binary.k8s.io, one JSON event per message
//   (lib/k8s/api/v2/webSocket.ts openWebSocket/useWebSockets). Each event
//   moves the list's resourceVersion, so the hook closes that socket and
//   opens a new one from the new version (useKubeObjectList.ts listsToWatch
//   → useWatchKubeObjectListsLegacy). Nothing reopens a socket that closed.
// - Watches, --multiplexer build (REACT_APP_ENABLE_WEBSOCKET_MULTIPLEXER=true,
//   useKubeObjectList.ts getWebsocketMultiplexerEnabled): one socket to
//   <base>/wsMultiplexer, opened by the first subscribe() only
//   (lib/k8s/api/v2/multiplexer.ts WebSocketManager.connect); REQUEST/CLOSE
//   messages; on close the manager only notes it is reconnecting, and the
//   next subscribe() opens a new socket and re-sends every active
//   subscription (handleWebSocketClose, resubscribeAll).
//   Simplified: a subscription stays as it is while events arrive. The real
//   hook re-subscribes with the new resourceVersion after each event
//   (useWatchKubeObjectListsMultiplexed), and the debounced CLOSE of the
//   old subscription then ends the backend connection the new one shares
//   (the backend keys connections without the query) — a Headlamp
//   behaviour aks-proxy cannot change, so the fake leaves it out.
// Test hooks: window.fakeHeadlamp.{refreshPods(), subscribe(path), logout(), state}.
'use strict';

function page(opts) {
  const cfg = JSON.stringify({ base: opts.baseUrl, cluster: opts.cluster, multiplexer: opts.multiplexer });
  return `<!doctype html><html><head><meta charset="utf-8"><title>fake Headlamp</title></head><body>
<h1>fake Headlamp</h1>
<p>user: <span id="user"></span> <button id="logout">Log out</button></p>
<p id="status">loading</p><p id="auth"></p><ul id="pods"></ul><ul id="events"></ul><ul id="errors"></ul>
<div id="token-page" hidden><p>Please paste your authentication token.</p>
<input id="token" type="password"><button id="authenticate">Authenticate</button><p id="token-error"></p></div>
<script>
const cfg = ${cfg};
const base = cfg.base, cluster = cfg.cluster;
const state = { socketsOpened: 0, watchEvents: 0 };
const $ = (id) => document.getElementById(id);
function note(list, text, cls) {
  const li = document.createElement('li');
  li.className = cls;
  li.textContent = text;
  $(list).appendChild(li);
}
async function backendFetch(path, init = {}) {
  init.credentials = 'include';
  const r = await fetch(base + path, init);
  const reload = r.headers.get('X-Reload');
  if (reload && reload.indexOf('reload') !== -1) window.location.reload();
  if (!r.ok) {
    let message;
    try { const b = await r.json(); message = typeof b === 'string' ? b : b.message; } catch (e) {}
    const err = new Error(message || 'Unreachable');
    err.status = r.status;
    throw err;
  }
  return r;
}
const clusterFetch = (path, init) => backendFetch('/clusters/' + cluster + path, init);
function testAuth() {
  return clusterFetch('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ spec: { namespace: 'default' } }) });
}
function setToken(token) {
  return backendFetch('/clusters/' + cluster + '/set-token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
}
async function refreshPods() {
  try {
    const r = await clusterFetch('/api/v1/namespaces/default/pods');
    $('status').textContent = 'list ' + r.status;
    const body = await r.json();
    state.resourceVersion = body.metadata && body.metadata.resourceVersion;
    $('pods').textContent = '';
    for (const p of body.items) note('pods', p.metadata.name, 'pod');
  } catch (e) {
    $('status').textContent = 'list ' + (e.status || 'failed');
  }
}
function onEvent(e) {
  state.watchEvents++;
  note('events', e.type + ' ' + ((e.object && e.object.metadata && e.object.metadata.name) || ''), 'event');
  const rv = e.object && e.object.metadata && e.object.metadata.resourceVersion;
  if (rv) state.resourceVersion = rv;
  return rv;
}
// Default build: a socket per list, replaced whenever the resourceVersion moves.
let direct = null;
function watchDirect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let url = proto + '//' + location.host + base + '/clusters/' + cluster + '/api/v1/namespaces/default/pods?watch=1';
  if (state.resourceVersion) url += '&resourceVersion=' + state.resourceVersion;
  const ws = new WebSocket(url, ['base64.binary.k8s.io']);
  direct = ws;
  state.socketsOpened++;
  ws.onopen = () => { if (direct === ws) document.body.dataset.watch = 'open'; };
  ws.onmessage = (m) => {
    if (direct !== ws) return;
    if (onEvent(JSON.parse(m.data))) {
      direct = null;
      ws.close();
      watchDirect();
    }
  };
  ws.onclose = () => { if (direct === ws) document.body.dataset.watch = 'closed'; };
  ws.onerror = () => { if (direct === ws) document.body.dataset.watch = 'error'; };
}
// --multiplexer build: WebSocketManager.
const mux = { socket: null, connecting: null, reconnecting: false, active: new Map() };
const userId = localStorage.getItem('headlamp-userId') ||
  (localStorage.setItem('headlamp-userId', crypto.randomUUID()), localStorage.getItem('headlamp-userId'));
function muxConnect() {
  if (mux.socket && mux.socket.readyState === WebSocket.OPEN) return Promise.resolve(mux.socket);
  if (mux.connecting) return mux.connecting;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  mux.connecting = new Promise((resolve, reject) => {
    const ws = new WebSocket(proto + '//' + location.host + base + '/wsMultiplexer');
    state.socketsOpened++;
    ws.onopen = () => {
      mux.socket = ws;
      mux.connecting = null;
      document.body.dataset.watch = 'open';
      if (mux.reconnecting) for (const s of mux.active.values()) ws.send(JSON.stringify(s.msg));
      mux.reconnecting = false;
      resolve(ws);
    };
    ws.onmessage = (m) => {
      const d = JSON.parse(m.data);
      if (!d.clusterId || !d.path) return;
      const s = mux.active.get(d.clusterId + ':' + d.path + ':' + (d.query || ''));
      if (d.type === 'COMPLETE' || !s) return;
      if (d.type === 'ERROR') {
        let msg = 'Unknown error';
        try { msg = JSON.parse(d.data).error || msg; } catch (e) {}
        note('errors', d.path + ': ' + msg, 'mux-error');
        return;
      }
      let update;
      try { update = d.data ? JSON.parse(d.data) : d; } catch (e) { return; }
      if (update && update.type) onEvent(update);
    };
    ws.onerror = () => { mux.connecting = null; reject(new Error('WebSocket connection failed')); };
    ws.onclose = () => {
      mux.socket = null;
      mux.connecting = null;
      mux.reconnecting = mux.active.size > 0;
      document.body.dataset.watch = 'closed';
    };
  });
  return mux.connecting;
}
async function subscribe(path, query) {
  const msg = { clusterId: cluster, path, query, userId, type: 'REQUEST' };
  mux.active.set(cluster + ':' + path + ':' + query, { msg });
  const ws = await muxConnect();
  ws.send(JSON.stringify(msg));
}
function watch() {
  if (!cfg.multiplexer) return watchDirect();
  return subscribe('/api/v1/namespaces/default/pods',
                   'watch=1' + (state.resourceVersion ? '&resourceVersion=' + state.resourceVersion : ''));
}
function showTokenPage() {
  $('token-page').hidden = false;
  $('status').textContent = 'token page';
}
async function logout() {
  try { await setToken(null); $('auth').textContent = 'logged out'; } catch (e) { $('auth').textContent = 'logout failed'; }
}
$('logout').onclick = logout;
$('authenticate').onclick = async () => {
  try {
    await setToken($('token').value);
    await testAuth();
    history.replaceState(null, '', base + '/c/' + cluster);
    location.reload();
  } catch (e) {
    $('token').value = '';
    $('token-error').textContent = 'Error authenticating';
  }
};
async function main() {
  const path = location.pathname.slice(base.length);
  if (/^\\/c\\/[^/]+\\/token$/.test(path)) return showTokenPage();
  await backendFetch('/config');
  try {
    await testAuth();
  } catch (e) {
    $('auth').textContent = 'auth ' + (e.status || 'failed') + ': ' + e.message;
    if (e.status === 401 || e.status === 403) {
      history.replaceState(null, '', base + '/c/' + cluster + '/token');
      return showTokenPage();
    }
    return;
  }
  $('auth').textContent = 'auth ok';
  backendFetch('/clusters/' + cluster + '/me').then((r) => r.json()).then((me) => { $('user').textContent = me.username; })
    .catch(() => {});
  await refreshPods();
  watch();
}
window.fakeHeadlamp = { refreshPods, subscribe, logout, state };
main();
</script></body></html>`;
}

module.exports = { page };
