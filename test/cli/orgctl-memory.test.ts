import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type ServerProcess, childEnv, jsonOf, orgctl, sleep, startServer, tempDir } from '../helpers/processes';

// DATABASE_URL=pglite://memory: the database lives inside the server, and its socket still lives in
// DATA_DIR, so `npm start` + `npx orgctl ...` works the same way.
const dir = tempDir('orgd-cli-mem');
const env = childEnv({ DATABASE_URL: 'pglite://memory', DATA_DIR: dir, PUBLIC_URL: 'http://orgd.test' });
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

describe('orgctl with pglite://memory', () => {
  it('without a server, says where the database is, in one line', async () => {
    const run = await orgctl(['org', 'create', '--name', 'Acme', '--owner-email', 'owner@acme.test', '--json'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^orgctl: no orgd server is running on DATA_DIR \S+; with DATABASE_URL=pglite:\/\/memory the database lives in the server[^\n]*\n$/,
    );
  });

  it('with the server running, org create and scim enable print the contract JSON; mail list/show read the mail folder', async () => {
    server = await startServer(env);
    expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(true);
    expect(existsSync(path.join(dir, 'pgdata'))).toBe(false);
    const created = jsonOf(
      await orgctl(['org', 'create', '--name', 'Acme', '--owner-email', 'owner@acme.test', '--json'], env),
    );
    expect(Object.keys(created).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    const scim = jsonOf(
      await orgctl(['scim', 'enable', '--org', String(created.organizationId), '--staged', '--json'], env),
    );
    expect(scim).toEqual({
      scimUrl: `http://orgd.test/scim/v2/${created.organizationId}`,
      apiKey: expect.stringMatching(/^scim_/),
    });

    // No SMTP_URL: an invitation is written to DATA_DIR/mail; orgctl reads it back, the log only names the file.
    const invited = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${created.ownerToken}` },
      body: JSON.stringify({
        query: 'mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { message } } }',
        variables: { input: { organizationId: created.organizationId, emails: ['invitee@acme.test'] } },
      }),
    });
    const answer = (await invited.json()) as { data: { membersInvite: { userErrors: unknown[] } } };
    expect(answer.data.membersInvite.userErrors).toEqual([]);
    let mails: { id: string; file: string }[] = [];
    for (let i = 0; i < 50 && !mails.length; i++) {
      mails = jsonOf(await orgctl(['mail', 'list', '--to', 'invitee@acme.test', '--json'], env)).mails as typeof mails;
      if (!mails.length) await sleep(200);
    }
    expect(mails).toHaveLength(1);
    expect(mails[0].file).toBe(path.join(dir, 'mail', `${mails[0].id}.eml`));
    const shown = jsonOf(await orgctl(['mail', 'show', mails[0].id, '--json'], env));
    const token = /invitations\/accept\?token=(\S+)/.exec(String(shown.text))?.[1];
    expect(token).toMatch(/^inv_/);
    await server.waitForOutput(/written to/);
    expect(server.output()).toContain(mails[0].file);
    expect(server.output()).not.toContain(token);

    expect(await server.stop()).toBe(0);
    server = undefined;
    expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(false);
  });
});
