import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../support/http-client';
import { startServer } from '../support/server-process';
import { environmentOf, readDockerfile } from '../support/dockerfile';

/**
 * Runs `node dist/server.js` from the built output the way the container does: the runtime
 * stage's ENV (with /tmp mapped to a temp dir, as an emptyDir would be), NODE_ENV=production
 * (so JWT auth) and the JWT secret written as the Vault agent writes it.
 */
describe('the built artifact started like the container', () => {
  it('serves /healthz and /readyz, writes only under its /tmp, and stops on SIGTERM', async () => {
    const fakeTmp = mkdtempSync(join(tmpdir(), 'container-tmp-'));
    const vault = join(fakeTmp, 'vault-secrets');
    mkdirSync(vault);
    writeFileSync(join(vault, 'auth-jwt-secret'), `${'s'.repeat(48)}\n`);
    const environment = Object.fromEntries(
      Object.entries(environmentOf(readDockerfile(), 'runtime')).map(([name, value]) => [name, value.replace(/^\/tmp\//, `${fakeTmp}/`)]),
    );
    const { PORT: _containerPort, HOST: _containerHost, ...rest } = environment;
    const server = await startServer({
      ...rest, VAULT_SECRETS_DIR: vault, AUTH_JWT_ISSUER: 'https://id.lms.co.zm/realms/staff', AUTH_JWT_AUDIENCE: 'loan-service',
    });
    try {
      const client = new HttpClient(server.baseUrl);
      expect((await client.get('/healthz')).json).toEqual({ status: 'ok' });
      expect((await client.get('/readyz')).status).toBe(200);
      expect((await client.get('/v1/products')).status).toBe(401);
      expect(existsSync(join(fakeTmp, 'loan-service', 'loan-service.sqlite'))).toBe(true);
      expect(server.stdout.join('')).toContain('"authMode":"jwt"');
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      rmSync(fakeTmp, { recursive: true, force: true });
    }
  });
});
