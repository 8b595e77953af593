import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { cliActor } from '../../src/domain/actor';
import { createLogger } from '../../src/logger';
import { type TestDatabase, createTestDatabase, engineName, testConfig } from '../helpers/db';
import { GROUP_SCHEMA, PATCH_SCHEMA, newUser } from '../helpers/scim';

describe(`secrets never reach the logs (${engineName()})`, () => {
  let db: TestDatabase;
  let smtp: SMTPServer;
  let smtpPort = 0;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (s, _session, cb) => s.on('end', () => cb()).resume(),
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpPort = (smtp.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.drop();
  });

  it('a full scenario logs no API key, access token or invitation token', async () => {
    const config = testConfig({ LOG_LEVEL: 'trace', SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
    // The production logger (with its redaction), writing into memory.
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        lines.push(String(chunk));
        cb();
      },
    });
    const target = db.url.startsWith('pglite') ? undefined : { kind: 'postgres' as const, url: db.url, dataDir: '' };
    const container = createContainer(config, db.orm, createLogger('trace', sink), target);
    const { app, stop } = await createApp(container);
    const secrets: string[] = [];
    try {
      const created = await container.services.organizations.create(cliActor(), {
        name: 'Logs',
        ownerEmail: 'owner@logs.test',
      });
      secrets.push(created.ownerToken);
      const orgId = created.organization.id;
      const { apiKey } = await container.services.scimSettings.enable(cliActor(), orgId, {});
      secrets.push(apiKey);
      const { invitationToken } = await container.services.memberLifecycle.invite(cliActor(), orgId, {
        email: 'invitee@logs.test',
      });
      secrets.push(invitationToken);
      const base = `/scim/v2/${orgId}`;
      const auth = { Authorization: `Bearer ${apiKey}` };
      const user = await request(app)
        .post(`${base}/Users`)
        .set(auth)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(newUser(undefined, { password: 'Pa55word!secret' })));
      secrets.push('Pa55word!secret');
      expect(user.status).toBe(201);
      await request(app)
        .patch(`${base}/Users/${user.body.id}`)
        .set(auth)
        .send({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] })
        .expect(200);
      await request(app)
        .post(`${base}/Groups`)
        .set(auth)
        .send({ schemas: [GROUP_SCHEMA], displayName: 'G', members: [{ value: user.body.id }] })
        .expect(201);
      await request(app).get(`${base}/Users`).set('Authorization', `Bearer ${apiKey}x`).expect(401);
      await request(app).get(`${base}/Users`).set('Authorization', apiKey).expect(200);
      await request(app)
        .post('/graphql')
        .set('Authorization', `Bearer ${created.ownerToken}`)
        .send({ query: '{ __typename }' });
      await request(app)
        .post('/graphql')
        .set('Authorization', `Bearer ${created.ownerToken}`)
        .send({ query: 'mutation { scimApiKeyRotate(input: {organizationId: "x"}) { apiKey } }' });
      // Invitations go out through the dispatcher (to the SMTP receiver, not the log).
      await container.dispatcher.drainOnce();
    } finally {
      await stop();
      await container.rateLimits.close();
    }
    const log = lines.join('');
    expect(log).toContain('request completed'); // the HTTP access log was really captured
    expect(log).toContain('/scim/v2/');
    for (const secret of secrets) expect(log).not.toContain(secret);
  });

  it('without SMTP_URL, invitation and sign-in mails go to DATA_DIR/mail: the log names the file, not the link', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'orgd-logs-'));
    const config = testConfig({ LOG_LEVEL: 'trace', DATA_DIR: dataDir });
    const captured: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        captured.push(String(chunk));
        cb();
      },
    });
    const target = db.url.startsWith('pglite') ? undefined : { kind: 'postgres' as const, url: db.url, dataDir: '' };
    const container = createContainer(config, db.orm, createLogger('trace', sink), target);
    const { app, stop } = await createApp(container);
    const secrets: string[] = [];
    try {
      const created = await container.services.organizations.create(cliActor(), {
        name: 'Mail folder',
        ownerEmail: 'owner@mailfolder.test',
      });
      secrets.push(created.ownerToken);
      const invited = await request(app)
        .post('/graphql')
        .set('Authorization', `Bearer ${created.ownerToken}`)
        .send({
          query: `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { results { member { id } } } }`,
          variables: { input: { organizationId: created.organization.id, emails: ['invitee@mailfolder.test'] } },
        });
      expect(invited.body.data.membersInvite.results[0].member.id).toBeDefined();
      await request(app)
        .post('/auth/email-link')
        .set('content-type', 'application/json')
        .send({ email: 'owner@mailfolder.test' })
        .expect(202);
      await container.services.signIn.emailLinksSettled();
      await container.dispatcher.drainOnce();
      for (const to of ['invitee@mailfolder.test', 'owner@mailfolder.test']) {
        const [mail] = await container.services.mail.list(to);
        expect(mail.file.startsWith(path.join(dataDir, 'mail'))).toBe(true);
        const { text } = await container.services.mail.show(mail.id);
        const token = /token=([^\s&]+)/.exec(text)?.[1];
        expect(token).toBeDefined();
        secrets.push(decodeURIComponent(token!));
        expect(captured.join('')).toContain(mail.file);
      }
    } finally {
      await stop();
      await container.rateLimits.close();
    }
    const log = captured.join('');
    expect(log).toContain('written to');
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/token=/);
  });
});
