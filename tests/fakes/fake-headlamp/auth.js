// Where Headlamp takes the cluster credential from, route by route
// (kubernetes-sigs/headlamp v0.45.0, tag v0.45.0, commit 0e9fe810c). Each
// function returns { source, token } and may edit `headers` (the request as
// it continues) the way Headlamp edits it; sources: 'service-account',
// 'proxy-auth', 'cookie', 'header', 'protocol', 'none'.
'use strict';
const { getTokenFromCookie } = require('./cookies');

// backend/pkg/auth/auth.go BearerTokenValue.
function bearerTokenValue(value) {
  const v = (value || '').replace(/^[ \t]+/, '');
  if (v.length > 6 && v.slice(0, 6).toLowerCase() === 'bearer' && (v[6] === ' ' || v[6] === '\t')) {
    return v.slice(7).trim();
  }
  return (value || '').trim();
}

// Before v0.35.0 Headlamp read no cookies at all (no backend/pkg/auth/cookies.go).
function cookieToken(opts, headers, cluster) {
  if (opts.headerOnly) return '';
  try {
    return getTokenFromCookie(headers, cluster);
  } catch (e) {
    return '';
  }
}

// backend/cmd/headlamp.go processWebSocketProtocolHeader / processTokenProtocol:
// a `base64url.bearer.authorization.k8s.io.<token>` subprotocol becomes
// Authorization when the request has none, and is removed from the list.
function processWebSocketProtocolHeader(headers) {
  const raw = headers['sec-websocket-protocol'];
  if (!raw) return false;
  const prefix = 'base64url.bearer.authorization.k8s.io.';
  const keep = [];
  let used = false;
  for (let p of raw.split(',')) {
    p = p.trim();
    if (!p.startsWith(prefix)) {
      keep.push(p);
      continue;
    }
    if (headers.authorization) continue;
    const enc = p.slice(prefix.length);
    if (!enc) continue;
    headers.authorization = 'Bearer ' + Buffer.from(enc, 'base64url').toString();
    used = true;
  }
  if (keep.length) headers['sec-websocket-protocol'] = keep.join(', ');
  else delete headers['sec-websocket-protocol'];
  return used;
}

// backend/cmd/headlamp.go clusterRequestHandler (/clusters/{c}/{api}): with
// --unsafe-use-service-account-token in-cluster, Authorization and Cookie are
// deleted and the pod's token is used; otherwise the --proxy-auth token
// header, else the headlamp-auth cookie, REPLACES Authorization; only with
// neither does the client's own Authorization reach the API server. The
// proxy token header is removed in every case.
function clusterProxyCredential(opts, headers, cluster, isUpgrade) {
  let fromProtocol = false;
  if (isUpgrade) fromProtocol = processWebSocketProtocolHeader(headers);
  let result;
  if (opts.unsafeServiceAccountToken) {
    delete headers.authorization;
    delete headers.cookie;
    result = { source: 'service-account', token: opts.serviceAccountToken };
  } else {
    let token = '';
    let source = '';
    if (opts.proxyAuth && opts.proxyAuthTokenHeader) {
      token = (headers[opts.proxyAuthTokenHeader.toLowerCase()] || '').trim();
      if (token) source = 'proxy-auth';
    }
    if (!token) {
      token = cookieToken(opts, headers, cluster);
      if (token) source = 'cookie';
    }
    if (token) {
      headers.authorization = `Bearer ${token}`;
      result = { source, token };
    } else {
      const h = bearerTokenValue(headers.authorization);
      result = h ? { source: fromProtocol ? 'protocol' : 'header', token: h } : { source: 'none', token: '' };
    }
  }
  if (opts.proxyAuthTokenHeader) delete headers[opts.proxyAuthTokenHeader.toLowerCase()];
  return result;
}

// backend/pkg/serviceproxy/handler.go getAuthToken: the cookie first, then Authorization.
function serviceProxyCredential(opts, headers, cluster) {
  if (opts.unsafeServiceAccountToken) return { source: 'service-account', token: opts.serviceAccountToken };
  const c = cookieToken(opts, headers, cluster);
  if (c) return { source: 'cookie', token: c };
  const h = bearerTokenValue(headers.authorization);
  return h ? { source: 'header', token: h } : { source: 'none', token: '' };
}

// backend/pkg/auth/auth.go ParseClusterAndToken (/me, the OIDC refresh
// middleware): Authorization first, the cookie only when it is missing.
function meCredential(opts, headers, cluster) {
  const h = bearerTokenValue(headers.authorization);
  if (h.includes(',')) return { source: 'none', token: '' };
  if (h) return /^[\x21-\x7E]+$/.test(h) ? { source: 'header', token: h } : { source: 'none', token: '' };
  const c = cookieToken(opts, headers, cluster);
  if (c && /^[\x21-\x7E]+$/.test(c)) return { source: 'cookie', token: c };
  return { source: 'none', token: '' };
}

// backend/pkg/auth/auth.go tryProxyAuth (/me with --proxy-auth): the
// identity headers are believed as they come.
function proxyAuthIdentity(opts, headers) {
  if (!opts.proxyAuth) return null;
  const username = headers[opts.proxyAuthUsernameHeader.toLowerCase()];
  if (!username) return null;
  const groupsRaw = headers[opts.proxyAuthGroupHeader.toLowerCase()] || '';
  return {
    username,
    email: headers[opts.proxyAuthEmailHeader.toLowerCase()] || '',
    groups: groupsRaw.split(',').map((g) => g.trim()).filter(Boolean),
  };
}

// A JWT's claims (auth.go parseClaimsFromToken), or null.
function jwtClaims(token) {
  const parts = token.split('.');
  if (parts.length < 3 || !parts[1]) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  } catch (e) {
    return null;
  }
}

module.exports = {
  bearerTokenValue, processWebSocketProtocolHeader, clusterProxyCredential, serviceProxyCredential,
  meCredential, proxyAuthIdentity, jwtClaims, cookieToken,
};
