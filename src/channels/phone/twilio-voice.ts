import { CallDirection, CallOutcome } from './entities/call.entity';

/**
 * Twilio Voice status callbacks (form parameters as Twilio documents them: CallSid, AccountSid,
 * From, To, Direction, CallStatus, CallDuration, Timestamp, RecordingUrl …) read into the call
 * report PhoneService.logCall takes. Only a call's final state is a call to log; the progress
 * events a store may also subscribe to (initiated, ringing, answered) are not. Pure.
 */
export interface TwilioCallReport {
  direction: CallDirection;
  outcome: CallOutcome;
  from: string;
  to: string;
  startedAt: Date;
  endedAt: Date;
  durationSeconds: number;
  recordingUrl?: string;
  provider: 'twilio';
  providerCallId: string;
}

export type TwilioReading = { report: TwilioCallReport } | { ignored: string };

const FINAL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** `now` is when the callback arrived, for a callback without a usable Timestamp. */
export function readTwilioCallStatus(params: URLSearchParams, accountSid: string, now = new Date()): TwilioReading {
  const callSid = params.get('CallSid');
  if (!callSid) return { ignored: 'no CallSid' };
  // A valid signature from an Auth Token shared with another account (e.g. a subaccount) still names the wrong account.
  if (params.get('AccountSid') !== accountSid) return { ignored: `AccountSid ${params.get('AccountSid') ?? '(none)'} is not the connected account` };
  const status = params.get('CallStatus') ?? '';
  if (!FINAL_STATUSES.has(status)) return { ignored: `CallStatus ${status || '(none)'} is not final` };
  const direction = directionOf(params.get('Direction'));
  if (!direction) return { ignored: `Direction ${params.get('Direction') ?? '(none)'} is unknown` };
  const from = params.get('From');
  const to = params.get('To');
  if (!from || !to) return { ignored: 'From or To is missing' };

  const durationSeconds = Math.max(0, Number.parseInt(params.get('CallDuration') ?? '0', 10) || 0);
  const answered = status === 'completed' && durationSeconds > 0;
  // Timestamp is when this (final) event happened, in RFC 2822: the end of the call.
  const stamped = Date.parse(params.get('Timestamp') ?? '');
  const endedAt = Number.isFinite(stamped) ? new Date(stamped) : now;
  const recordingUrl = params.get('RecordingUrl');
  return {
    report: {
      direction,
      outcome: answered ? CallOutcome.ANSWERED : CallOutcome.MISSED,
      from,
      to,
      startedAt: new Date(endedAt.getTime() - durationSeconds * 1000),
      endedAt,
      durationSeconds,
      recordingUrl: recordingUrl && /^https?:\/\//.test(recordingUrl) ? recordingUrl : undefined,
      provider: 'twilio',
      providerCallId: callSid,
    },
  };
}

function directionOf(direction: string | null): CallDirection | undefined {
  if (direction === 'inbound') return CallDirection.INBOUND;
  if (direction === 'outbound-api' || direction === 'outbound-dial') return CallDirection.OUTBOUND;
  return undefined;
}

/** What Twilio expects back: a TwiML document, here with nothing for it to do. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
