// fake-headlamp's command line. Headlamp's own flag names where they exist
// (kubernetes-sigs/headlamp v0.45.0 backend/pkg/config/config.go), plus the
// fake's wiring (--apiserver, --ca, --port-file) and switches for the
// frontend build and older versions.
'use strict';
const fs = require('fs');

const USAGE = `usage: node server.js --apiserver URL --ca FILE [options]
  --port N                       listen port (default 0: any free one)
  --port-file FILE               write the port here once listening
  --base-url /PREFIX             Headlamp's -base-url
  --in-cluster-context-name NAME Headlamp's -in-cluster-context-name (default "main", as the Helm chart)
  --multiplexer                  a frontend built with REACT_APP_ENABLE_WEBSOCKET_MULTIPLEXER=true
  --proxy-auth                   Headlamp's -proxy-auth (trust X-Forwarded-* identity headers)
  --unsafe-use-service-account-token FILE
                                 Headlamp's -unsafe-use-service-account-token, the pod's token in FILE
  --header-only                  Headlamp before v0.35.0: no cookies, Authorization only
  --session-ttl SECONDS          Headlamp's -session-ttl (default 86400)`;

function parseArgs(argv) {
  const o = {
    port: 0, portFile: '', apiserver: '', ca: '', baseUrl: '', contextName: 'main', multiplexer: false,
    proxyAuth: false, proxyAuthUsernameHeader: 'X-Forwarded-User', proxyAuthGroupHeader: 'X-Forwarded-Group',
    proxyAuthEmailHeader: 'X-Forwarded-Email', proxyAuthTokenHeader: 'X-Forwarded-Id-Token',
    unsafeServiceAccountToken: false, serviceAccountToken: '', headerOnly: false, sessionTtl: 86400,
  };
  const withValue = {
    '--port': (v) => { o.port = Number(v); }, '--port-file': (v) => { o.portFile = v; },
    '--apiserver': (v) => { o.apiserver = v; }, '--ca': (v) => { o.ca = v; },
    '--base-url': (v) => { o.baseUrl = v; }, '--in-cluster-context-name': (v) => { o.contextName = v; },
    '--unsafe-use-service-account-token': (v) => {
      o.unsafeServiceAccountToken = true;
      o.serviceAccountToken = fs.readFileSync(v, 'utf8').trim();
    },
    '--session-ttl': (v) => { o.sessionTtl = Number(v); },
  };
  const flags = {
    '--multiplexer': () => { o.multiplexer = true; }, '--proxy-auth': () => { o.proxyAuth = true; },
    '--header-only': () => { o.headerOnly = true; },
  };
  for (let i = 0; i < argv.length; i++) {
    if (flags[argv[i]]) flags[argv[i]]();
    else if (withValue[argv[i]] && i + 1 < argv.length) withValue[argv[i]](argv[++i]);
    else throw new Error(`fake-headlamp: bad argument ${argv[i]}\n${USAGE}`);
  }
  if (!o.apiserver || !o.ca) throw new Error(`fake-headlamp: --apiserver and --ca are required\n${USAGE}`);
  o.baseUrl = o.baseUrl.replace(/\/+$/, '');
  // backend/pkg/kubeconfig/kubeconfig.go newInClusterContextFromConfig: an
  // empty name is "main" (DefaultInClusterContextName; the kubeadm-config
  // clusterName lookup finds nothing on AKS), then MakeDNSFriendly.
  if (!o.contextName.trim()) o.contextName = 'main';
  o.cluster = o.contextName.replace(/\//g, '--').replace(/ /g, '__');
  return o;
}

module.exports = { parseArgs };
