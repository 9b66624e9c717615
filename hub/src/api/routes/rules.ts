import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RULE_TEXT, ruleParams, RULE_TYPES, type BacktestResult } from '@mimamori/contract';
import { z } from 'zod';
import { RULE_CATALOGUE, RuleChangeError } from '../../engine/index.js';
import { ApiError } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';

/** Turns a refused change into the API's error, naming the field. */
function asApiError(error: unknown): never {
  if (error instanceof RuleChangeError) throw ApiError.refused(error.refusal, error.message, error.field);
  throw error;
}

/** The rule catalogue for staff: rules, versions, overrides, rollback, backtest (docs/rules.md). */
export const ruleRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { ruleAdmin, clock } = services;
  const route = server(app, services);
  const attempt = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      return asApiError(error);
    }
  };

  route('GET /api/rule-types', async () => ({
    items: RULE_TYPES.map((type) => ({
      type,
      ...RULE_TEXT[type],
      defaultSeverity: RULE_CATALOGUE[type].defaultSeverity,
      learned: RULE_CATALOGUE[type].learned,
      pausedByAbsence: RULE_CATALOGUE[type].pausedByAbsence,
      params: z.toJSONSchema(ruleParams[type], { io: 'input' }) as Record<string, unknown>,
    })),
  }));

  route('GET /api/history-span', async () => {
    const from = services.historyStart();
    return { from: from === undefined ? null : new Date(from).toISOString(), to: new Date(clock.now()).toISOString() };
  });

  route('GET /api/rules', async () => ({
    items: ruleAdmin.list(),
  }));

  route('POST /api/rules', async (request, reply) => {
    const created = attempt(() => ruleAdmin.create(request.body, currentUser(request).username, clock.now()));
    audit(services, request, 'rule.create', { subject: created.id, detail: { reason: request.body.reason } });
    return reply.status(201).send(created);
  });

  route('GET /api/rules/:id', async (request) => attempt(() => ruleAdmin.get(request.params.id)));

  route('PATCH /api/rules/:id', async (request) => {
    const updated = attempt(() =>
      ruleAdmin.update(request.params.id, request.body, currentUser(request).username, clock.now()),
    );
    audit(services, request, 'rule.update', {
      subject: updated.id,
      detail: { reason: request.body.reason, version: updated.version },
    });
    return updated;
  });

  route('GET /api/rules/:id/versions', async (request) => ({
    items: attempt(() => ruleAdmin.versions(request.params.id)),
  }));

  route('POST /api/rules/:id/rollback', async (request) => {
    const rolledBack = attempt(() =>
      ruleAdmin.rollback(
        request.params.id,
        request.body.version,
        request.body.reason,
        currentUser(request).username,
        clock.now(),
      ),
    );
    audit(services, request, 'rule.rollback', {
      subject: rolledBack.id,
      detail: { reason: request.body.reason, to: request.body.version },
    });
    return rolledBack;
  });

  route('PUT /api/rules/:id/overrides/:homeId', async (request) => {
    const changed = attempt(() =>
      ruleAdmin.setOverride(
        request.params.id,
        request.params.homeId,
        request.body,
        currentUser(request).username,
        clock.now(),
      ),
    );
    audit(services, request, 'rule.override', {
      homeId: request.params.homeId,
      subject: changed.id,
      detail: { reason: request.body.reason },
    });
    return changed;
  });

  route('DELETE /api/rules/:id/overrides/:homeId', async (request) => {
    const changed = attempt(() =>
      ruleAdmin.removeOverride(
        request.params.id,
        request.params.homeId,
        request.query.reason,
        currentUser(request).username,
        clock.now(),
      ),
    );
    audit(services, request, 'rule.override_removed', {
      homeId: request.params.homeId,
      subject: changed.id,
      detail: { reason: request.query.reason },
    });
    return changed;
  });

  route('GET /api/homes/:id/baseline', async (request) => {
    const baseline = attempt(() => ruleAdmin.baseline(request.params.id));
    audit(services, request, 'baseline.view', { homeId: request.params.id });
    return baseline;
  });

  route('POST /api/rules/:id/backtest', async (request) => {
    let result: BacktestResult;
    try {
      result = await ruleAdmin.backtest(request.params.id, request.body);
    } catch (error) {
      return asApiError(error);
    }
    // A replay shows each home's history as the alerts it would have raised: one row per named home.
    const homeIds = request.body.homes ?? [undefined];
    for (const homeId of homeIds)
      audit(services, request, 'rule.backtest', {
        homeId,
        subject: request.params.id,
        detail: { from: request.body.from, to: request.body.to },
      });
    return result;
  });
};
