import { ROUTES, methodAndPath, type RouteKey } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVolunteers, staffClient, startTestHub } from '../testing/test-hub.js';

type Api = Awaited<ReturnType<typeof staffClient>>;

/**
 * Issue 17 item 6: the contract's route table is what the hub serves and documents, and every
 * error body says what went wrong as a stable code with its parameters, so the dashboard can say
 * it in Japanese; the English message stays as it was for API users.
 */
describe('one route table; errors with stable codes', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let api: Api;

  beforeAll(async () => {
    ctx = await startTestHub();
    api = await staffClient(ctx.http);
    await api('POST', '/api/homes', { id: 'h-1', name: '佐藤さん宅' });
  });
  afterAll(() => ctx.stop());

  it('documents every route of the table at /docs with its method, success status and error bodies', async () => {
    const doc = (await (await fetch(`${ctx.http}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const missing: string[] = [];
    for (const key of Object.keys(ROUTES) as RouteKey[]) {
      const [method, path] = methodAndPath(key);
      const spec = ROUTES[key];
      const operation = doc.paths[path.replaceAll(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
      const statuses = [
        ...('response' in spec ? [String('status' in spec ? spec.status : 200)] : []),
        ...spec.errors.map(String),
      ];
      if (!operation) missing.push(`${key}: not documented`);
      else if (!statuses.every((status) => status in operation.responses))
        missing.push(`${key}: documents ${Object.keys(operation.responses).join(', ')}, not ${statuses.join(', ')}`);
    }
    expect(missing).toEqual([]);
  });

  it('answers a value that fails a pattern with the field, the named format and zod’s English', async () => {
    const [volunteer] = await createVolunteers(api, ['tanaka']);
    const response = await api('PUT', '/api/homes/h-1/network', {
      tiers: [{ name: '近隣', watchers: [volunteer], hours: { from: '9時から', to: '17:00' } }],
      reason: 'テスト',
    });
    expect(response).toEqual({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: 'body.tiers.0.hours.from: must be a local time HH:MM',
          problem: 'bad_format',
          params: { format: 'local_time' },
          field: 'body.tiers.0.hours.from',
          details: [
            {
              field: 'body.tiers.0.hours.from',
              message: 'must be a local time HH:MM',
              problem: 'bad_format',
              params: { format: 'local_time' },
            },
          ],
        },
      },
    });
  });

  it('answers problems the hub finds beyond the schema with their code, parameters and field', async () => {
    const expectProblem = async (
      call: Promise<{ status: number; body: unknown }>,
      status: number,
      error: Record<string, unknown>,
    ) => expect(await call).toMatchObject({ status, body: { error } });

    await expectProblem(
      api('POST', '/api/homes/h-1/absences', { reason: 'trip', endsAt: '2001-01-01T00:00:00Z' }),
      400,
      {
        problem: 'end_not_future',
        params: {},
        field: 'body.endsAt',
        message: 'body.endsAt: must be in the future and after startsAt',
      },
    );
    await expectProblem(api('GET', '/api/homes/nowhere'), 404, {
      code: 'not_found',
      problem: 'not_found',
      params: { entity: 'home', id: 'nowhere' },
      message: 'home nowhere does not exist',
    });
    await expectProblem(
      api('POST', '/api/users', { username: 'sato', displayName: '佐藤', role: 'volunteer', password: 'password123' }),
      400,
      { problem: 'password_common', field: 'body.password' },
    );
    await expectProblem(
      api('POST', '/api/users', {
        username: 'kanri',
        displayName: '管理',
        role: 'admin',
        password: 'kanri-no-aikotoba',
      }),
      403,
      { code: 'forbidden', problem: 'role_not_manageable', params: { role: 'admin', action: 'add' } },
    );
    await expectProblem(api('POST', '/api/residents/nobody/schedules', { cron: '0 9 * * *' }), 404, {
      problem: 'not_found',
      params: { entity: 'resident', id: 'nobody' },
    });
    await expectProblem(api('PATCH', '/api/rules/sos', { params: { colour: 1 }, reason: 'テストの変更' }), 400, {
      problem: 'unknown_fields',
      params: { keys: ['colour'] },
      field: 'body.params',
    });
    await expectProblem(
      fetch(`${ctx.http}/api/homes`).then(async (r) => ({ status: r.status, body: await r.json() })),
      401,
      {
        code: 'unauthenticated',
        problem: 'login_required',
      },
    );
  });
});
