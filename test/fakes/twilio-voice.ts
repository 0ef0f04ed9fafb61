import { createHmac } from 'node:crypto';

/**
 * Twilio Voice status callbacks as Twilio sends them: form-encoded parameters (CallSid, AccountSid,
 * From, To, Direction, CallStatus, CallDuration, Timestamp in RFC 2822 …) signed with
 * X-Twilio-Signature. The signer is written here independently of the one under test.
 */
let counter = 0;
export const callSid = () => `CA${(Date.now().toString(16) + (++counter).toString(16).padStart(6, '0')).padStart(32, '0').slice(-32)}`;

export function twilioCallStatus(accountSid: string, params: Record<string, string>): Record<string, string> {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid(),
    CallStatus: 'completed',
    Called: params.To ?? '+966112345678',
    Caller: params.From ?? '+966501234567',
    Direction: 'inbound',
    From: '+966501234567',
    To: '+966112345678',
    CallDuration: '0',
    Timestamp: new Date().toUTCString().replace('GMT', '+0000'),
    CallbackSource: 'call-progress-events',
    SequenceNumber: '0',
    ...params,
  };
}

/** base64(HMAC-SHA1(authToken, url + name1 + value1 + name2 + value2 …)) with the names in alphabetical order. */
export function twilioSign(url: string, params: Record<string, string>, authToken: string): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export const formBody = (params: Record<string, string>) => new URLSearchParams(params).toString();
