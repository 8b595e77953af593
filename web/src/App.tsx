import { Route, Routes } from 'react-router';
import { OrgScope } from './shell/OrgScope';
import { RequireViewer, Shell } from './shell/Shell';
import { AccountPage } from './features/account/AccountPage';
import { NotFoundPage } from './ui/ErrorPage';
import { EventLogPage } from './features/events/EventLogPage';
import { GroupPage } from './features/groups/GroupPage';
import { GroupsPage } from './features/groups/GroupsPage';
import { InvitationPage } from './features/invitation/InvitationPage';
import { MembersPage } from './features/members/MembersPage';
import { OrganizationsPage } from './features/organizations/OrganizationsPage';
import { ScimSettingsPage } from './features/scim/ScimSettingsPage';
import { WebhooksPage } from './features/webhooks/WebhooksPage';
import { SignInLinkPage } from './features/sign-in/SignInLinkPage';
import { SignInPage } from './features/sign-in/SignInPage';

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
