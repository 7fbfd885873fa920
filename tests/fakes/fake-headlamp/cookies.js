// Headlamp's token cookies, as kubernetes-sigs/headlamp writes and reads them
// (backend/pkg/auth/cookies.go, v0.45.0 = tag v0.45.0, commit 0e9fe810c;
// the same since cookie auth arrived in v0.35.0), and Go's net/http Cookie
// parsing that Request.Cookie relies on (net/http/cookie.go readCookies).
'use strict';

// cookies.go chunkSize: each cookie carries at most this many characters.
const CHUNK_SIZE = 3800;

// cookies.go SanitizeClusterName: only [A-Za-z0-9_-] survive, cut at 50.
function sanitizeClusterName(cluster) {
  return cluster.replace(/[^a-zA-Z0-9\-_]/g, '').slice(0, 50);
}

// Go's isCookieNameValid: a token (RFC 7230 tchar), non-empty.
function validName(name) {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name);
}

// Go's parseCookieValue(raw, allowDoubleQuote=true).
function parseValue(raw) {
  let v = raw;
  if (v.length > 1 && v[0] === '"' && v[v.length - 1] === '"') v = v.slice(1, -1);
  for (const ch of v) {
    const b = ch.charCodeAt(0);
    if (b < 0x20 || b >= 0x7f || ch === '"' || ch === ';' || ch === '\\') return null;
  }
  return v;
}

// Go's Request.Cookie(name): the first valid cookie of that name across every
// Cookie header line, or null.
function requestCookie(headers, name) {
  const raw = headers.cookie;
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  for (const line of lines) {
    for (let part of line.trim().split(';')) {
      part = part.trim();
      if (!part) continue;
      const eq = part.indexOf('=');
      const n = eq < 0 ? part : part.slice(0, eq);
      if (!validName(n) || n !== name) continue;
      const v = parseValue(eq < 0 ? '' : part.slice(eq + 1));
      if (v !== null) return v;
    }
  }
  return null;
}

// cookies.go GetTokenFromCookie: `headlamp-auth-<sanitised>.0`, `.1`, ...
// concatenated until one is missing. An unsuffixed cookie is never read.
// Throws for a cluster name that sanitises to nothing ("invalid cluster name").
function getTokenFromCookie(headers, cluster) {
  const sanitized = sanitizeClusterName(cluster);
  if (!sanitized) throw new Error('invalid cluster name');
  let token = '';
  for (let i = 0; ; i++) {
    const v = requestCookie(headers, `headlamp-auth-${sanitized}.${i}`);
    if (v === null) break;
    token += v;
  }
  return token;
}

// cookies.go GetCookiePath.
function cookiePath(baseUrl, cluster) {
  const base = baseUrl ? '/' + baseUrl.replace(/^\/+|\/+$/g, '') : '';
  return `${base}/clusters/${cluster}`;
}

// cookies.go IsSecureContext (TLS or X-Forwarded-Proto: https; this fake serves plain HTTP).
function secure(headers) {
  return headers['x-forwarded-proto'] === 'https';
}

function cookieLine(name, value, path, maxAge, isSecure) {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly${isSecure ? '; Secure' : ''}; SameSite=Strict`;
}

// cookies.go ClearTokenCookie: expires the chunks the request carries.
function clearTokenCookie(headers, cluster, baseUrl) {
  const sanitized = sanitizeClusterName(cluster);
  const out = [];
  if (!sanitized) return out;
  for (let i = 0; ; i++) {
    const name = `headlamp-auth-${sanitized}.${i}`;
    if (requestCookie(headers, name) === null) break;
    // Go writes MaxAge<0 as "Max-Age=0".
    out.push(cookieLine(name, '', cookiePath(baseUrl, cluster), 0, secure(headers)));
  }
  return out;
}

// cookies.go SetTokenCookie: clear, then one cookie per 3,800-character chunk,
// `.0` even for a single chunk. Returns the Set-Cookie header values.
function setTokenCookie(headers, cluster, token, baseUrl, sessionTtl) {
  const sanitized = sanitizeClusterName(cluster);
  if (!cluster || !token || !sanitized) return [];
  const out = clearTokenCookie(headers, cluster, baseUrl);
  for (let i = 0, at = 0; at < token.length; i++, at += CHUNK_SIZE) {
    out.push(cookieLine(`headlamp-auth-${sanitized}.${i}`, token.slice(at, at + CHUNK_SIZE),
      cookiePath(baseUrl, cluster), sessionTtl, secure(headers)));
  }
  return out;
}

module.exports = { CHUNK_SIZE, sanitizeClusterName, requestCookie, getTokenFromCookie, setTokenCookie, clearTokenCookie };
