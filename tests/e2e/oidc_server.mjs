// An identity provider nobody here wrote: npm's oidc-provider (v8), started
// on loopback HTTPS by the e2e tests. One public native client (loopback
// redirects on any port, PKCE, device flow, refresh tokens) and one resource
// whose access tokens are RS256 JWTs, so fake-apiserver can verify them
// against this provider's JWKS.
//   node oidc_server.mjs --cert F --key F --port-file F --client-id ID --audience AUD
// Accounts: the dev interactions' login form accepts any login; the account
// id (the token's sub) is that login.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

const args = Object.fromEntries(
    process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
for (const k of ['cert', 'key', 'port-file', 'client-id', 'audience']) {
    if (!args[k]) { console.error(`oidc_server: --${k} is required`); process.exit(2); }
}
const RESOURCE = 'https://kubernetes.aks-auth.test';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'oidc-test-1', use: 'sig', alg: 'RS256' };

const server = https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) });
server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    const issuer = `https://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
        clients: [{
            client_id: args['client-id'],
            application_type: 'native',
            token_endpoint_auth_method: 'none',
            redirect_uris: ['http://localhost', 'http://127.0.0.1'],
            grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
            response_types: ['code'],
        }],
        jwks: { keys: [jwk] },
        cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
        features: {
            devInteractions: { enabled: true },
            deviceFlow: { enabled: true },
            revocation: { enabled: true },
            resourceIndicators: {
                enabled: true,
                defaultResource: () => RESOURCE,
                useGrantedResource: () => true,
                getResourceServerInfo: () => ({
                    scope: 'kube',
                    audience: args.audience,
                    accessTokenTTL: 3600,
                    accessTokenFormat: 'jwt',
                    jwt: { sign: { alg: 'RS256' } },
                }),
            },
        },
        // Public native clients get refresh tokens (offline_access without
        // prompt=consent is dropped by the spec's rules otherwise).
        issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
        findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: `${id}@oidc.test` }) }),
        loadExistingGrant: async (ctx) => {
            // Consent once per session is enough for tests: reuse or create the grant.
            const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
            return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
        },
        pkce: { required: () => true },
        ttl: { DeviceCode: 600, RefreshToken: 86400, AccessToken: 3600, IdToken: 3600, Grant: 86400, Session: 86400, Interaction: 600 },
    });
    provider.proxy = false;
    server.on('request', provider.callback());
    const tmp = `${args['port-file']}.tmp`;
    fs.writeFileSync(tmp, `${port}\n`);
    fs.renameSync(tmp, args['port-file']);
    console.error(`oidc-provider listening on ${issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
