import type { KoxModule } from './module';
import { accountsModule } from './pages/accounts/module';
import { authModule } from './pages/auth/module';
import { calendarModule } from './pages/calendar/module';
import { campaignsModule } from './pages/campaigns/module';
import { contentModule } from './pages/content/module';
import { contentSettingsModule } from './pages/content-settings/module';
import { customFieldsModule } from './pages/custom-fields/module';
import { eventsModule } from './pages/events/module';
import { homeModule } from './pages/home/module';
import { importsModule } from './pages/imports/module';
import { invitationsModule } from './pages/invitations/module';
import { meModule } from './pages/me/module';
import { metricsModule } from './pages/metrics/module';
import { membersModule } from './pages/members/module';
import { notificationsModule } from './pages/notifications/module';
import { platformsModule } from './pages/platforms/module';
import { redLinesModule } from './pages/red-lines/module';
import { workspacesModule } from './pages/workspaces/module';

/**
 * Every capability of the UI. The router, the side menu and the translations are built from
 * this list, so a new capability is its folder under pages/ plus one line here.
 */
export const MODULES: readonly KoxModule[] = [
  authModule,
  homeModule,
  meModule,
  workspacesModule,
  accountsModule,
  contentModule,
  calendarModule,
  campaignsModule,
  membersModule,
  invitationsModule,
  importsModule,
  metricsModule,
  customFieldsModule,
  platformsModule,
  redLinesModule,
  contentSettingsModule,
  eventsModule,
  notificationsModule,
];
