import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';

/** A stored file as staff download it. */
export interface AttachmentFile {
  filename: string | null;
  contentType: string;
  content: Buffer;
}

@Injectable()
export class MessageAttachmentsService {
  constructor(private readonly db: TenantTransactions) {}

  /** The file's content, for the caller's store only (another store's id is simply not found). */
  async content(ctx: RequestContext, id: string): Promise<AttachmentFile> {
    const [row] = await this.db.read(ctx, (m) => m.query(`SELECT filename, content_type, content, fetch_error FROM message_attachments WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, id]));
    if (!row) throw notFound('Attachment', id);
    if (!row.content) throw new DomainError('NOT_FOUND', `The attachment's content is not stored: ${row.fetch_error ?? 'it has not been fetched yet'}`);
    return { filename: row.filename, contentType: row.content_type, content: row.content };
  }
}
