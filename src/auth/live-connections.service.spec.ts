import { AppConfig } from '../common/config/app-config';
import type { LiveSocket } from '../common/request-context';
import { CredentialsService } from './credentials.service';
import { CLOSE_UNAUTHORIZED, LiveConnectionsService } from './live-connections.service';

/** A socket that records how it was closed. */
function fakeSocket() {
  const socket = { closed: undefined as number | undefined, close: (code: number) => void (socket.closed = code), once: () => socket };
  return socket;
}

describe('LiveConnectionsService.recheckAll', () => {
  const revoked = new Set<string>();
  const credentials = {
    resolve: async (authorization: string) =>
      revoked.has(authorization) ? { refused: 'unknown', message: 'The API key is unknown or revoked' } : { actor: { type: 'API_KEY' }, scopes: ['tickets:read'], role: 'agent' },
    expiryOf: () => undefined,
  } as unknown as CredentialsService;
  const service = new LiveConnectionsService(credentials, { API_KEY_CACHE_SECONDS: 1 } as AppConfig);

  it('keeps checking after a round with no socket open (that round ends at once)', async () => {
    await service.recheckAll();
    await service.recheckAll();
    const socket = fakeSocket();
    service.track(socket as LiveSocket, 'Bearer rida_a_b', { permissions: ['tickets:read'] });
    await service.recheckAll();
    expect(socket.closed).toBeUndefined();
    revoked.add('Bearer rida_a_b');
    await service.recheckAll();
    expect(socket.closed).toBe(CLOSE_UNAUTHORIZED);
  });
});
