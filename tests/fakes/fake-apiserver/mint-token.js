#!/usr/bin/env node
// Test helper for fake-apiserver (no dependencies beyond node's crypto):
//   node mint-token.js keygen DIR             RSA key DIR/signing-key.pem + DIR/jwks.json (kid "test-key-1")
//   node mint-token.js sign DIR [CLAIMS] [HDR] RS256 Entra-v1-shaped JWT on stdout;
//                                              CLAIMS / HDR are JSON merged over the defaults
//                                              (a null value removes a claim).
// Env TENANT (default 72f988bf-86f1-41af-91ab-2d7cd011db47) and AUDIENCE set iss and aud.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const [cmd, dir, claimsArg, headerArg] = process.argv.slice(2);
const b64url = (buf) => Buffer.from(buf).toString('base64url');

if (cmd === 'keygen' && dir) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'signing-key.pem'),
    privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const jwk = publicKey.export({ format: 'jwk' });
  const jwks = { keys: [{ kty: 'RSA', use: 'sig', kid: 'test-key-1', n: jwk.n, e: jwk.e }] };
  fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify(jwks));
} else if (cmd === 'sign' && dir) {
  const tenant = process.env.TENANT || '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: process.env.AUDIENCE || '6dae42f8-4368-4678-94ff-3960e28e3630',
    iss: `https://sts.windows.net/${tenant}/`,
    iat: now, nbf: now, exp: now + 3600,
    upn: 'alice@contoso.com', unique_name: 'alice@contoso.com',
    oid: '11111111-2222-3333-4444-555555555555', tid: tenant,
    groups: ['aaaaaaaa-0000-0000-0000-000000000001'],
    ver: '1.0',
    ...JSON.parse(claimsArg || '{}'),
  };
  for (const k of Object.keys(claims)) if (claims[k] === null) delete claims[k];
  const header = { typ: 'JWT', alg: 'RS256', kid: 'test-key-1', ...JSON.parse(headerArg || '{}') };
  const key = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'signing-key.pem')));
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  process.stdout.write(`${input}.${b64url(crypto.sign('sha256', Buffer.from(input), key))}\n`);
} else {
  process.stderr.write('usage: mint-token.js keygen DIR | sign DIR [CLAIMS_JSON] [HEADER_JSON]\n');
  process.exit(2);
}
