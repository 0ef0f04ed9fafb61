import { Module } from '@nestjs/common';
import { SlaResolver } from './sla.resolver';
import { SlaSettingsService } from './sla-settings.service';

@Module({ providers: [SlaSettingsService, SlaResolver], exports: [SlaSettingsService] })
export class SlaModule {}
