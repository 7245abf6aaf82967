import Fastify from 'fastify';

/**
 * The ceiling: a bare fastify hello-world on the same machine, no logging, no database.
 * Started as its own process by run-bench.ts; listens on 127.0.0.1:$PORT.
 */
async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('listening\n');
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

void main();
