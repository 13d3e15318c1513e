import { lazyPage, type KoxModule } from '../../module';
import translations from './i18n';

/** Invitations: the link's own page (public); the rest sits on the members page and in the shell. */
export const invitationsModule: KoxModule = {
  name: 'invitations',
  translations,
  routes: [{ path: '/invite/:token', page: lazyPage(() => import('./InvitePage')), public: true, title: 'invitations:page.documentTitle' }],
};
