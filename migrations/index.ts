import { InitialSchema1764028800000 } from './1764028800000-initial-schema';
import { AgentsTeamsLogins1764030000000 } from './1764030000000-agents-teams-logins';
import { RowLevelSecurity1764031000000 } from './1764031000000-row-level-security';
import { SlaCalendarsPolicies1764032000000 } from './1764032000000-sla-calendars-policies';
import { TicketSla1764033000000 } from './1764033000000-ticket-sla';
import { RoutingRules1764034000000 } from './1764034000000-routing-rules';
import { TeamAssignment1764035000000 } from './1764035000000-team-assignment';
import { OmnichannelContinuity1764036000000 } from './1764036000000-omnichannel-continuity';
import { ReassignOnOffline1764037000000 } from './1764037000000-reassign-on-offline';
import { CsatSurveys1764038000000 } from './1764038000000-csat-surveys';
import { KpiRollups1764039000000 } from './1764039000000-kpi-rollups';
import { EmailChannel1764040000000 } from './1764040000000-email-channel';
import { Webhooks1764041000000 } from './1764041000000-webhooks';
import { StoreEvents1764042000000 } from './1764042000000-store-events';
import { MessagingChannels1764043000000 } from './1764043000000-messaging-channels';
import { TicketSearch1764044000000 } from './1764044000000-ticket-search';
import { CannedReplies1764045000000 } from './1764045000000-canned-replies';
import { MergeAndCompensations1764046000000 } from './1764046000000-merge-and-compensations';
import { KnowledgeBase1764047000000 } from './1764047000000-knowledge-base';
import { ImportJobs1764048000000 } from './1764048000000-import-jobs';
import { SearchByWeek1764049000000 } from './1764049000000-search-by-week';
import { KpiTiersAndSlaTargets1764050000000 } from './1764050000000-kpi-tiers-and-sla-targets';
import { KpiGoals1764053000000 } from './1764053000000-kpi-goals';
import { AutomationTemplates1764054000000 } from './1764054000000-automation-templates';
import { EmailIngestFailures1764055000000 } from './1764055000000-email-ingest-failures';
import { StoreCurrency1764056000000 } from './1764056000000-store-currency';
import { RepeatedDelayNotices1764057000000 } from './1764057000000-repeated-delay-notices';
import { ChatReadMarkers1764058000000 } from './1764058000000-chat-read-markers';
import { WebhookDueIndex1764059000000 } from './1764059000000-webhook-due-index';
import { SubSecondKpiBuckets1764059400000 } from './1764059400000-sub-second-kpi-buckets';
import { SkippedAutomations1764059500000 } from './1764059500000-skipped-automations';
import { SurveyPageAndMessage1764059600000 } from './1764059600000-survey-page-and-message';
import { ChatChannels1764059800000 } from './1764059800000-chat-channels';
import { StorePlatforms1764060000000 } from './1764060000000-store-platforms';
import { DistributableSchema1764061000000 } from './1764061000000-distributable-schema';
import { DistributeByStore1764062000000 } from './1764062000000-distribute-by-store';
import { EmailOauthAndLoops1764051000000 } from './1764051000000-email-oauth-and-loops';
import { TwilioVoiceChannel1764052000000 } from './1764052000000-twilio-voice-channel';

/** In order of application. A new migration is added here as well as in this folder. */
export const MIGRATIONS = [
  InitialSchema1764028800000,
  AgentsTeamsLogins1764030000000,
  RowLevelSecurity1764031000000,
  SlaCalendarsPolicies1764032000000,
  TicketSla1764033000000,
  RoutingRules1764034000000,
  TeamAssignment1764035000000,
  OmnichannelContinuity1764036000000,
  ReassignOnOffline1764037000000,
  CsatSurveys1764038000000,
  KpiRollups1764039000000,
  EmailChannel1764040000000,
  Webhooks1764041000000,
  StoreEvents1764042000000,
  MessagingChannels1764043000000,
  TicketSearch1764044000000,
  CannedReplies1764045000000,
  MergeAndCompensations1764046000000,
  KnowledgeBase1764047000000,
  ImportJobs1764048000000,
  SearchByWeek1764049000000,
  KpiTiersAndSlaTargets1764050000000,
  EmailOauthAndLoops1764051000000,
  TwilioVoiceChannel1764052000000,
  KpiGoals1764053000000,
  AutomationTemplates1764054000000,
  EmailIngestFailures1764055000000,
  StoreCurrency1764056000000,
  RepeatedDelayNotices1764057000000,
  ChatReadMarkers1764058000000,
  WebhookDueIndex1764059000000,
  SubSecondKpiBuckets1764059400000,
  SkippedAutomations1764059500000,
  SurveyPageAndMessage1764059600000,
  ChatChannels1764059800000,
  StorePlatforms1764060000000,
  DistributableSchema1764061000000,
  DistributeByStore1764062000000,
];
