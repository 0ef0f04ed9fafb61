import { Module } from '@nestjs/common';
import { KpisResolver } from './kpis.resolver';
import { KpisService } from './kpis.service';

@Module({ providers: [KpisService, KpisResolver] })
export class MetricsModule {}
