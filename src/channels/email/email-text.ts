/**
 * The new part of a customer's email: the quoted history below it (Gmail's "On … wrote:",
 * Arabic clients' "في … كتب:", Outlook's "From:/Sent:" block or "Original Message" line, and
 * trailing "> " lines) is dropped, so the ticket shows what the customer just said.
 */
const CUT_MARKERS = [/^On .{4,200}wrote:\s*$/i, /^في .{4,200}كتب.{0,200}:\s*$/, /^-{2,}\s*(Original Message|الرسالة الأصلية)\s*-{2,}\s*$/i, /^_{10,}\s*$/, /^(From|من)\s*:\s*.+$/i];

export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    // A client that wraps long lines splits "On … <address>" and "wrote:" in two.
    const wrapped = `${line} ${lines[i + 1]?.trim() ?? ''}`;
    if (/^(On|في) /i.test(line) && /^(wrote|كتب)\s*:\s*$/i.test(lines[i + 1]?.trim() ?? '') && CUT_MARKERS.some((marker) => marker.test(wrapped))) {
      end = i;
      break;
    }
    if (CUT_MARKERS.some((marker) => marker.test(line))) {
      // "From:" cuts only as the head of a forwarded/quoted block (followed by Sent/Date/To).
      if (/^(From|من)\s*:/i.test(line) && !/^(Sent|Date|To|أرسل|التاريخ|إلى)\s*:/i.test(lines[i + 1]?.trim() ?? '')) continue;
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end);
  // Below the new text: blank lines, quoted lines, and the rule Outlook draws above its header block.
  const trailing = (line: string) => line.trim() === '' || line.trimStart().startsWith('>') || /^[-_—]{5,}$/.test(line.trim());
  while (kept.length && trailing(kept[kept.length - 1])) kept = kept.slice(0, -1);
  const result = kept.join('\n').trim();
  return result || text.trim();
}

/** The ticket number a subject carries, as in "Re: تأخر الشحن [#1042]". */
export function ticketNumberInSubject(subject: string | undefined): number | null {
  const match = /\[#(\d{1,9})\]/.exec(subject ?? '');
  return match ? Number(match[1]) : null;
}

/** The reply subject: "Re: " once, and the ticket token once. */
export function replySubject(subject: string, ticketNumber: number): string {
  const base = subject.replace(/\s*\[#\d+\]\s*/g, ' ').trim();
  const re = /^(re|رد)\s*:/i.test(base) ? base : `Re: ${base}`;
  return `${re} [#${ticketNumber}]`;
}
