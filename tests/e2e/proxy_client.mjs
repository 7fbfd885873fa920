// @kubernetes/client-node through aks-proxy with no credentials of its own:
// list, watch (an event emitted by the fake arrives), exec (stdout over
// WebSocket v5.channel.k8s.io). Usage: node proxy_client.mjs PROXY_URL EMIT_CMD
import * as k8s from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { Writable, PassThrough } from 'node:stream';

const [proxyUrl, emitScript] = process.argv.slice(2);
const kc = new k8s.KubeConfig();
kc.loadFromOptions({
  // client-node refuses plain http unless skipTLSVerify is set; there is no TLS to skip here.
  clusters: [{ name: 'proxy', server: proxyUrl, skipTLSVerify: true }],
  users: [{ name: 'none' }],
  contexts: [{ name: 'proxy', cluster: 'proxy', user: 'none' }],
  currentContext: 'proxy',
});

function fail(msg) { console.error(`FAIL: ${msg}`); process.exit(1); }
const withTimeout = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out: ${what}`)), ms))]);

const core = kc.makeApiClient(k8s.CoreV1Api);
const list = await core.listNamespacedPod({ namespace: 'default' });
const names = list.items.map((p) => p.metadata.name);
if (!names.includes('web-7d9c6b8f5d-4xk2p')) fail(`list: ${names}`);
console.log(`ok: list (${names.length} pods)`);

// Watch from the list's resourceVersion, then have the fake emit one event.
const watch = new k8s.Watch(kc);
let controller;
const seen = new Promise((resolve, reject) => {
  watch.watch('/api/v1/namespaces/default/pods', { resourceVersion: list.metadata.resourceVersion },
    (type, obj) => { if (obj.metadata.name === 'node-client-pod') resolve(type); },
    (err) => { if (err) reject(err); })
    .then((c) => { controller = c; execFileSync('bash', [emitScript], { stdio: 'inherit' }); }, reject);
});
const type = await withTimeout(seen, 20000, 'watch event');
if (type !== 'ADDED') fail(`watch event type ${type}`);
controller.abort();
console.log('ok: watch');

// Exec: the fake's `echo` writes its arguments to stdout.
let out = '';
const stdout = new Writable({ write(chunk, _enc, cb) { out += chunk.toString(); cb(); } });
const status = await withTimeout(new Promise((resolve, reject) => {
  new k8s.Exec(kc).exec('default', 'web-7d9c6b8f5d-4xk2p', 'web', ['echo', 'hello', 'node'],
    stdout, null, null, false, resolve).catch(reject);
}), 20000, 'exec');
if (status.status !== 'Success') fail(`exec status ${JSON.stringify(status)}`);
if (out !== 'hello node\n') fail(`exec stdout ${JSON.stringify(out)}`);
console.log('ok: exec');
process.exit(0);
