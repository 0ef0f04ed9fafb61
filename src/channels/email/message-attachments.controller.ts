import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../../auth/auth.decorators';
import { ApiErrors, ErrorBody } from '../../common/http/openapi';
import { Ctx, RequestContext } from '../../common/request-context';
import { MessageAttachmentsService } from './message-attachments.service';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api/v1/attachments')
export class MessageAttachmentsController {
  constructor(private readonly attachments: MessageAttachmentsService) {}

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: "Download a message attachment's content (Message.attachments gives the ids)" })
  @ApiResponse({ status: 200, description: 'The file, with its Content-Type, as a download' })
  @ApiErrors(400, 401, 403)
  @ApiResponse({ type: ErrorBody, status: 404, description: "No such attachment in the caller's store, or its content is not stored (too large, or not fetched)" })
  async download(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply) {
    const file = await this.attachments.content(ctx, id);
    return (
      reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.filename ?? 'attachment'))
        // The sender chose the type: never let a browser sniff or render it as our page.
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', 'sandbox')
        .header('cache-control', 'private, no-store')
        .send(file.content)
    );
  }
}

/** RFC 6266: an ASCII fallback name and the real (often Arabic) one, percent-encoded UTF-8. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
