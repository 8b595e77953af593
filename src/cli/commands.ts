import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Services } from '../services/services';
import { cliActor } from '../domain/actor';
import { ScimProvider } from '../domain/enums';
import { DomainError } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { MAX_PREVIOUS_KEY_VALID_MINUTES } from '../domain/scim-key-rules';
import type { OrgctlResult } from './control-socket';
import { seed } from './seed';

/** What a command works on: the services over the local database, or those of the server that owns it. */
interface Backend {
  services: Services;
}

/** A container, or a way to open one: usage errors and --help never touch the database. */
export type ContainerSource = Backend | (() => Promise<Backend>);

interface Output {
  json: Record<string, unknown>;
  human: string;
}

const USAGE_EXIT = 2;
const FAILURE_EXIT = 1;

/**
 * Runs one orgctl command line and returns what to print. The same code runs in the orgctl process,
 * in the server behind the control socket, and in tests; nothing here writes to the real stdout.
 */
export async function runOrgctl(
  argv: string[],
  source: ContainerSource,
  report?: (err: Error) => void,
): Promise<OrgctlResult> {
  const out: string[] = [];
  let output: Output | undefined;
  let json = false;
  const container = typeof source === 'function' ? source : async () => source;
  const program = buildProgram(
    (s) => out.push(s),
    async (cmd, work) => {
      json = Boolean(cmd.optsWithGlobals().json);
      output = await work(await container());
    },
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // Not the user's mistake: the caller may log it in full (the server does), the user gets one line.
    if (!(err instanceof CommanderError || err instanceof DomainError)) report?.(err as Error);
    return failure(err, out.join(''));
  }
  if (!output) return { exitCode: 0, stdout: out.join(''), stderr: '' };
  return { exitCode: 0, stdout: `${json ? JSON.stringify(output.json) : output.human}\n`, stderr: '' };
}

type Runner = (cmd: Command, work: (c: Backend) => Promise<Output>) => Promise<void>;

function buildProgram(write: (s: string) => void, run: Runner): Command {
  // exitOverride + configureOutput are inherited by the subcommands created below: nothing exits the
  // process and commander's own (multi-line) error text is replaced by one line in failure().
  const program = new Command('orgctl')
    .description('Operate an orgd organization service (same configuration as the server)')
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: () => undefined, outputError: () => undefined })
    .option('--json', 'print exactly one JSON object on stdout');
  const leaf = (parent: Command, name: string, description: string) =>
    parent.command(name).description(description).option('--json', 'print exactly one JSON object on stdout');

  const org = program.command('org').description('organizations');
  leaf(org, 'create', 'create an organization with its first CONFIRMED OWNER and an access token for the owner')
    .requiredOption('--name <name>', 'organization name')
    .requiredOption('--owner-email <email>', "the owner's email")
    .option('--owner-name <name>', "the owner's display name")
    .option('--seats <n>', 'seat limit (default: unlimited)', positiveInt)
    .action((o: { name: string; ownerEmail: string; ownerName?: string; seats?: number }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const input = {
          name: o.name,
          ownerEmail: o.ownerEmail,
          ownerName: o.ownerName ?? null,
          seatLimit: o.seats ?? null,
        };
        const { organization, owner, ownerToken } = await services.organizations.create(cliActor(), input);
        return {
          json: { organizationId: organization.id, ownerMemberId: owner.id, ownerToken },
          human: `Created organization ${organization.id} (owner member ${owner.id}). Owner access token, shown once: ${ownerToken}`,
        };
      }),
    );

  const scim = program.command('scim').description('SCIM provisioning settings of an organization');
  leaf(scim, 'enable', 'enable SCIM and issue a new API key (the old key stops working)')
    .requiredOption('--org <id>', 'organization id', uuid)
    .addOption(new Option('--provider <provider>', 'identity provider').choices(Object.values(ScimProvider)))
    .option('--staged', 'provision users as STAGED, without an invitation e-mail')
    .action((o: { org: string; provider?: ScimProvider; staged?: boolean }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const changes = { provider: o.provider, inviteUsersAfterProvisioning: !o.staged };
        const { view, apiKey } = await services.scimSettings.enable(cliActor(), o.org, changes);
        return {
          json: { scimUrl: view.endpointUrl, apiKey },
          human: `SCIM enabled. URL: ${view.endpointUrl}  API key, shown once: ${apiKey}`,
        };
      }),
    );
  leaf(scim, 'rotate-key', 'issue a new SCIM API key; the old one stops working at once, or after an overlap')
    .requiredOption('--org <id>', 'organization id', uuid)
    .option(
      '--previous-key-valid-minutes <n>',
      `minutes the old key keeps working beside the new one, 0 to ${MAX_PREVIOUS_KEY_VALID_MINUTES} (default 0: it stops at once)`,
      previousKeyMinutes,
    )
    .action((o: { org: string; previousKeyValidMinutes?: number }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const options = { previousKeyValidMinutes: o.previousKeyValidMinutes };
        const { view, apiKey } = await services.scimSettings.rotateKey(cliActor(), o.org, options);
        const until = view.previousKey?.expiresAt;
        return {
          json: { scimUrl: view.endpointUrl, apiKey },
          human:
            `New SCIM API key, shown once: ${apiKey}  URL: ${view.endpointUrl}` +
            (until ? `\nThe previous key (${view.previousKey?.hint}) works until ${until.toISOString()}.` : ''),
        };
      }),
    );
  leaf(scim, 'disable', 'disable SCIM (the key stops working)')
    .requiredOption('--org <id>', 'organization id', uuid)
    .action((o: { org: string }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        await services.scimSettings.update(cliActor(), o.org, { enabled: false });
        return { json: { enabled: false }, human: `SCIM disabled for organization ${o.org}` };
      }),
    );

  const member = program.command('member').description("an organization's members");
  leaf(member, 'revoke', "revoke a member's access (restore returns it to its prior status)")
    .requiredOption('--org <id>', 'organization id', uuid)
    .requiredOption('--member <id>', 'member id', uuid)
    .option('--reason <text>', 'why (shown in the member profile and the audit trail)')
    .option('--keep-revoked', "the identity provider's SCIM active: true does not restore the member")
    .action((o: { org: string; member: string; reason?: string; keepRevoked?: boolean }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const revoked = await services.memberLifecycle.revoke(cliActor(), o.org, o.member, o.reason ?? null, {
          keepRevoked: o.keepRevoked === true,
        });
        const kept = revoked.revocationHeldAt !== null;
        return {
          json: { memberId: revoked.id, status: revoked.status, keptRevoked: kept },
          human: `Revoked ${revoked.email}${kept ? ', kept revoked against its identity provider' : ''}`,
        };
      }),
    );
  leaf(member, 'restore', 'return a revoked member to its prior status (lifts a keep-revoked hold)')
    .requiredOption('--org <id>', 'organization id', uuid)
    .requiredOption('--member <id>', 'member id', uuid)
    .action((o: { org: string; member: string }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const restored = await services.memberLifecycle.restore(cliActor(), o.org, o.member);
        return {
          json: { memberId: restored.id, status: restored.status },
          human: `Restored ${restored.email} (${restored.status})`,
        };
      }),
    );

  const token = program.command('token').description('access tokens for the GraphQL API');
  leaf(token, 'create', "create an access token for a user's account (created if missing)")
    .requiredOption('--email <email>', "the account's email")
    .option(
      '--expires-at <iso>',
      'when the token stops working, an ISO 8601 date-time in the future (default: until revoked)',
      isoDateTime,
    )
    .action((o: { email: string; expiresAt?: Date }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const { token: secret, apiKey } = await services.tokens.create(cliActor(), {
          email: o.email,
          name: 'orgctl token',
          expiresAt: o.expiresAt ?? null,
        });
        const expiresAt = apiKey.expiresAt?.toISOString();
        return {
          json: expiresAt ? { token: secret, expiresAt } : { token: secret },
          human: `Access token for ${o.email}${expiresAt ? `, valid until ${expiresAt}` : ''}, shown once: ${secret}`,
        };
      }),
    );

  const mail = program.command('mail').description('the e-mails written to DATA_DIR/mail/ when SMTP_URL is unset');
  leaf(mail, 'list', 'list the written e-mails, newest first')
    .option('--to <email>', 'only those sent to this address')
    .action((o: { to?: string }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const mails = await services.mail.list(o.to);
        const lines = mails.map((m) => `${m.id}  ${m.date}  ${m.to}  ${m.subject}`);
        return {
          json: { mails },
          human: lines.length ? lines.join('\n') : `No e-mail in ${services.mail.dir}${o.to ? ` to ${o.to}` : ''}`,
        };
      }),
    );
  leaf(mail, 'show', 'print one written e-mail (its links included)')
    .argument('<id>', 'the id `orgctl mail list` printed', uuid)
    .action((id: string, _o: unknown, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const m = await services.mail.show(id);
        return {
          json: { ...m },
          human: `To: ${m.to}\nSubject: ${m.subject}\nDate: ${m.date}\nFile: ${m.file}\n\n${m.text}`,
        };
      }),
    );

  // Not part of the stable CLI contract: fills an organization for benchmarks and crash tests.
  leaf(program, 'seed', 'add N provisioned members and N groups (one transaction each) to an organization')
    .requiredOption('--org <id>', 'organization id', uuid)
    .option('--members <n>', 'members to provision', nonNegativeInt, 0)
    .option('--groups <n>', 'groups to create (each with up to 3 of the new members)', nonNegativeInt, 0)
    .option('--concurrency <n>', 'writes in flight at once', positiveInt, 1)
    .action((o: { org: string; members: number; groups: number; concurrency: number }, cmd: Command) =>
      run(cmd, async ({ services }) => {
        const result = await seed(services, o.org, o);
        return {
          json: { organizationId: o.org, ...result },
          human: `Added ${result.members} members and ${result.groups} groups to organization ${o.org}`,
        };
      }),
    );
  return program;
}

function failure(err: unknown, helpText: string): OrgctlResult {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { exitCode: 0, stdout: helpText, stderr: '' }; // --help, help
    if (err.code === 'commander.help') {
      // A command group without its subcommand: commander would print the whole help to stderr.
      return line(USAGE_EXIT, 'a command is required (see orgctl --help)');
    }
    return line(USAGE_EXIT, err.message.replace(/^error: /, ''));
  }
  if (err instanceof DomainError) return line(FAILURE_EXIT, err.message);
  return line(FAILURE_EXIT, (err as Error)?.message ?? String(err));
}

/** Exactly one line on stderr, never a stack trace. */
function line(exitCode: number, message: string): OrgctlResult {
  const first = message.split('\n').find((l) => l.trim()) ?? 'failed';
  return { exitCode, stdout: '', stderr: `orgctl: ${first.trim()}\n` };
}

function uuid(value: string): string {
  if (!isUuid(value)) throw new InvalidArgumentError('must be a UUID.');
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

// A date, or a date-time with seconds optional and a zone (Z or ±hh:mm) optional: what `date -Iseconds` and JSON print.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isoDateTime(value: string): Date {
  const date = new Date(value);
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  // Date() rolls 2030-02-30 over into March: a day the calendar does not have is a typo, not a date.
  const realDay = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && m >= 1 && m <= 12;
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(date.getTime()) || !realDay)
    throw new InvalidArgumentError('must be an ISO 8601 date-time (YYYY-MM-DDThh:mm:ssZ) or date (YYYY-MM-DD).');
  return date;
}

function previousKeyMinutes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_PREVIOUS_KEY_VALID_MINUTES)
    throw new InvalidArgumentError(
      `must be a whole number of minutes from 0 to ${MAX_PREVIOUS_KEY_VALID_MINUTES} (7 days).`,
    );
  return n;
}

function nonNegativeInt(value: string): number {
  return value === '0' ? 0 : positiveInt(value);
}
