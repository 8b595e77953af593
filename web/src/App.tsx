import { Route, Routes } from 'react-router';
import { OrgScope } from './components/OrgScope';
import { RequireViewer, Shell } from './components/Shell';
import { AccountPage } from './pages/account/AccountPage';
import { NotFoundPage } from './pages/ErrorPage';
import { EventLogPage } from './pages/EventLogPage';
import { GroupPage } from './pages/GroupPage';
import { GroupsPage } from './pages/GroupsPage';
import { InvitationPage } from './pages/InvitationPage';
import { MembersPage } from './pages/members/MembersPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { ScimSettingsPage } from './pages/ScimSettingsPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { SignInLinkPage } from './pages/SignInLinkPage';
import { SignInPage } from './pages/SignInPage';

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/sign-in/link" element={<SignInLinkPage />} />
      <Route path="/invitations/accept" element={<InvitationPage />} />
      <Route element={<RequireViewer />}>
        <Route element={<Shell />}>
          <Route index element={<OrganizationsPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="orgs/:orgId" element={<OrgScope />}>
            <Route index element={<MembersPage />} />
            <Route path="members" element={<MembersPage />} />
            <Route path="groups" element={<GroupsPage />} />
            <Route path="groups/:groupId" element={<GroupPage />} />
            <Route path="settings/scim" element={<ScimSettingsPage />} />
            <Route path="events" element={<EventLogPage />} />
            <Route path="settings/webhooks" element={<WebhooksPage />} />
          </Route>
        </Route>
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
