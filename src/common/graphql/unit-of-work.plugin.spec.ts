import { commitRefusal } from './unit-of-work.plugin';

describe('commitRefusal', () => {
  it('is a CONFLICT when the database refused the commit itself (serialization, deadlock, a deferred constraint)', () => {
    for (const code of ['40001', '40P01', '23503', '23505']) {
      expect(commitRefusal({ driverError: { code } })).toMatchObject({ code: 'CONFLICT', status: 409 });
      expect(commitRefusal({ code })).toMatchObject({ code: 'CONFLICT', status: 409 });
    }
  });

  it('is SERVICE_UNAVAILABLE when the outcome is unknown (the connection went at COMMIT)', () => {
    expect(commitRefusal(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(commitRefusal({ driverError: { code: '57P01' } })).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(commitRefusal(undefined)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });
});
