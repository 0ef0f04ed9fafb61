import { readTwilioCallStatus } from './twilio-voice';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const callback = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    AccountSid: ACCOUNT,
    ApiVersion: '2010-04-01',
    CallSid: 'CA11111111111111111111111111111111',
    CallStatus: 'completed',
    Direction: 'inbound',
    From: '+966501234567',
    To: '+966112345678',
    CallDuration: '192',
    Timestamp: 'Wed, 25 Nov 2026 06:18:12 +0000',
    CallbackSource: 'call-progress-events',
    SequenceNumber: '0',
    ...overrides,
  });

describe('Twilio Voice status callbacks', () => {
  it('a completed inbound call with talk time is answered, started duration seconds before its Timestamp', () => {
    const reading = readTwilioCallStatus(callback({ RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1' }), ACCOUNT);
    expect(reading).toEqual({
      report: {
        direction: 'INBOUND',
        outcome: 'ANSWERED',
        from: '+966501234567',
        to: '+966112345678',
        startedAt: new Date('2026-11-25T06:15:00Z'),
        endedAt: new Date('2026-11-25T06:18:12Z'),
        durationSeconds: 192,
        recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1',
        provider: 'twilio',
        providerCallId: 'CA11111111111111111111111111111111',
      },
    });
  });

  it.each(['busy', 'no-answer', 'canceled', 'failed'])('an inbound call that ended %s is missed', (status) => {
    expect(readTwilioCallStatus(callback({ CallStatus: status, CallDuration: '0' }), ACCOUNT)).toMatchObject({ report: { direction: 'INBOUND', outcome: 'MISSED', durationSeconds: 0 } });
  });

  it('a completed call without talk time is missed; outbound calls are OUTBOUND', () => {
    expect(readTwilioCallStatus(callback({ CallDuration: '0' }), ACCOUNT)).toMatchObject({ report: { outcome: 'MISSED' } });
    expect(readTwilioCallStatus(callback({ Direction: 'outbound-api' }), ACCOUNT)).toMatchObject({ report: { direction: 'OUTBOUND', outcome: 'ANSWERED' } });
    expect(readTwilioCallStatus(callback({ Direction: 'outbound-dial', CallStatus: 'no-answer', CallDuration: '0' }), ACCOUNT)).toMatchObject({ report: { direction: 'OUTBOUND', outcome: 'MISSED' } });
  });

  it('ignores progress events, another account and incomplete callbacks', () => {
    for (const status of ['queued', 'initiated', 'ringing', 'in-progress']) expect(readTwilioCallStatus(callback({ CallStatus: status }), ACCOUNT)).toHaveProperty('ignored');
    expect(readTwilioCallStatus(callback({ AccountSid: 'AC99999999999999999999999999999999' }), ACCOUNT)).toHaveProperty('ignored');
    expect(readTwilioCallStatus(callback({ Direction: 'trunking-originating' }), ACCOUNT)).toHaveProperty('ignored');
    const noSid = callback();
    noSid.delete('CallSid');
    expect(readTwilioCallStatus(noSid, ACCOUNT)).toHaveProperty('ignored');
  });

  it('a callback without a usable Timestamp ends when it arrived; a non-http RecordingUrl is dropped', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    const reading = readTwilioCallStatus(callback({ Timestamp: 'yesterday', CallDuration: '60', RecordingUrl: 'javascript:alert(1)' }), ACCOUNT, now);
    expect(reading).toMatchObject({ report: { endedAt: now, startedAt: new Date('2026-11-25T09:59:00Z') } });
    expect((reading as { report: { recordingUrl?: string } }).report.recordingUrl).toBeUndefined();
  });
});
