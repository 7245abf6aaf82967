import * as net from 'net';
import * as os from 'os';
import { insideTestNamespace } from './namespace';

/** Tries a TCP connection; resolves with the error code, or 'connected'. */
function connect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the deploy tier runs inside a loopback-only network namespace', () => {
  test('it is in its own network and mount namespaces, with lo as the only interface', () => {
    expect(insideTestNamespace()).toEqual({ inside: true });
    expect(Object.keys(os.networkInterfaces())).toEqual(['lo']);
  });

  test.each([
    ['a cluster service address', '10.96.0.1', 443],
    ['a public DNS resolver', '1.1.1.1', 53],
  ])('%s (%s:%d) is unreachable', async (_what, host, port) => {
    expect(await connect(host, port)).toBe('ENETUNREACH');
  });
});
