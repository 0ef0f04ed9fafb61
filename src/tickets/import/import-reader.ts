import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { commentFromCsvRow, CSV_COLUMNS, CsvRow, recordKind, ticketFromCsvRow, ZendeskTicket, ZendeskUser } from './zendesk-records';

export type ImportFormat = 'jsonl' | 'csv';

export type ImportItem = { kind: 'user'; line: number; user: ZendeskUser } | { kind: 'ticket'; line: number; ticket: ZendeskTicket } | { kind: 'error'; line: number; reason: string };

/** The file's format by its name: .csv, else JSON Lines (.jsonl, .ndjson, .json). */
export function formatOf(path: string): ImportFormat {
  return /\.csv$/i.test(path) ? 'csv' : 'jsonl';
}

/**
 * The records of an import file, streamed: one JSON object per line, or CSV rows (one per
 * comment) gathered into tickets. Nothing but the current record (and, for CSV, the current
 * ticket's rows) is held in memory. `bytesRead` reports how far into the file reading has got.
 */
export async function* readImportFile(path: string, format: ImportFormat, bytesRead: (bytes: number) => void): AsyncGenerator<ImportItem> {
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => bytesRead((bytes += chunk.length)));
  if (format === 'jsonl') yield* readJsonLines(stream);
  else yield* readCsv(stream);
}

async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<ImportItem> {
  let line = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!text.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      yield { kind: 'error', line, reason: `not valid JSON (${(error as Error).message})` };
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      yield { kind: 'error', line, reason: 'a line must hold one JSON object' };
      continue;
    }
    const kind = recordKind(record as Record<string, unknown>);
    if (kind === 'user') yield { kind, line, user: record as ZendeskUser };
    else if (kind === 'ticket') yield { kind, line, ticket: record as ZendeskTicket };
    else yield { kind: 'error', line, reason: 'neither a user nor a ticket (give "type": "user" or "ticket")' };
  }
}

async function* readCsv(stream: NodeJS.ReadableStream): AsyncGenerator<ImportItem> {
  const skipped: ImportItem[] = [];
  const parser = stream.pipe(parse({ columns: (header: string[]) => checkHeader(header), bom: true, info: true, skip_empty_lines: true, trim: false, skip_records_with_error: true }));
  parser.on('skip', (error: Error & { lines?: number }) => skipped.push({ kind: 'error', line: error.lines ?? 0, reason: `not valid CSV (${error.message})` }));
  let current: { line: number; ticket: ZendeskTicket } | null = null;
  for await (const { record, info } of parser as AsyncIterable<{ record: CsvRow; info: { lines: number } }>) {
    yield* skipped.splice(0);
    const id = record.ticket_id?.trim();
    if (!id) {
      yield { kind: 'error', line: info.lines, reason: 'ticket_id is missing' };
      continue;
    }
    if (current && String(current.ticket.id) === id) {
      if (record.comment_body) current.ticket.comments!.push(commentFromCsvRow(record));
      continue;
    }
    if (current) yield { kind: 'ticket', ...current };
    current = { line: info.lines, ticket: ticketFromCsvRow(record) };
  }
  yield* skipped.splice(0);
  if (current) yield { kind: 'ticket', ...current };
}

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = ['ticket_id', 'created_at', 'comment_body'].filter((c) => !names.includes(c));
  if (missing.length) throw new Error(`The CSV header lacks ${missing.join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`);
  return names;
}
