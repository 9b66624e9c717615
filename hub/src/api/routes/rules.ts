import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  backtestInput,
  backtestResult,
  entityId,
  errorBody,
  homeBaseline,
  listOf,
  rule,
  ruleId,
  ruleInput,
  ruleOverrideInput,
  ruleParams,
  ruleRollback,
  ruleUpdate,
  ruleVersion,
  RULE_TYPES,
  severity,
  type BacktestResult,
} from '@mimamori/contract';
import { z } from 'zod';
import { RULE_CATALOGUE, RuleChangeError } from '../../engine/index.js';
import { ApiError } from '../errors.js';
import { audit, currentUser, type ApiServices } from '../session.js';

const idParams = z.object({ id: ruleId });
const overrideParams = z.object({ id: ruleId, homeId: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const ruleTypeInfo = z.object({
  type: z.string(),
  defaultSeverity: severity,
  learned: z.boolean().describe('Judges against the home’s learned baseline (needs weeks of history first)'),
  pausedByAbsence: z.boolean(),
  params: z.record(z.string(), z.unknown()).describe('JSON Schema of the parameters, with defaults'),
});

/** Turns a refused change into the API's error shape, naming the field. */
function asApiError(error: unknown): never {
  if (error instanceof RuleChangeError) {
    throw new ApiError(
      error.code,
      error.message,
      error.field ? [{ field: error.field, message: error.message }] : undefined,
    );
  }
  throw error;
}

/** The rule catalogue for staff: rules, versions, overrides, rollback, backtest (docs/rules.md). */
export const ruleRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { ruleAdmin, clock } = services;
  const attempt = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      return asApiError(error);
    }
  };

  app.get(
    '/rule-types',
    { schema: { tags: ['rules'], response: { 200: listOf(ruleTypeInfo), ...errors } } },
    async () => ({
      items: RULE_TYPES.map((type) => ({
        type,
        defaultSeverity: RULE_CATALOGUE[type].defaultSeverity,
        learned: RULE_CATALOGUE[type].learned,
        pausedByAbsence: RULE_CATALOGUE[type].pausedByAbsence,
        params: z.toJSONSchema(ruleParams[type], { io: 'input' }) as Record<string, unknown>,
      })),
    }),
  );

  app.get('/rules', { schema: { tags: ['rules'], response: { 200: listOf(rule), ...errors } } }, async () => ({
    items: ruleAdmin.list(),
  }));

  app.post(
    '/rules',
    { schema: { tags: ['rules'], body: ruleInput, response: { 201: rule, ...errors } } },
    async (request, reply) => {
      const created = attempt(() => ruleAdmin.create(request.body, currentUser(request).username, clock.now()));
      audit(services, request, 'rule.create', { subject: created.id, detail: { reason: request.body.reason } });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/rules/:id',
    { schema: { tags: ['rules'], params: idParams, response: { 200: rule, ...errors } } },
    async (request) => attempt(() => ruleAdmin.get(request.params.id)),
  );

  app.patch(
    '/rules/:id',
    { schema: { tags: ['rules'], params: idParams, body: ruleUpdate, response: { 200: rule, ...errors } } },
    async (request) => {
      const updated = attempt(() =>
        ruleAdmin.update(request.params.id, request.body, currentUser(request).username, clock.now()),
      );
      audit(services, request, 'rule.update', {
        subject: updated.id,
        detail: { reason: request.body.reason, version: updated.version },
      });
      return updated;
    },
  );

  app.get(
    '/rules/:id/versions',
    { schema: { tags: ['rules'], params: idParams, response: { 200: listOf(ruleVersion), ...errors } } },
    async (request) => ({ items: attempt(() => ruleAdmin.versions(request.params.id)) }),
  );

  app.post(
    '/rules/:id/rollback',
    { schema: { tags: ['rules'], params: idParams, body: ruleRollback, response: { 200: rule, ...errors } } },
    async (request) => {
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
    },
  );

  app.put(
    '/rules/:id/overrides/:homeId',
    {
      schema: { tags: ['rules'], params: overrideParams, body: ruleOverrideInput, response: { 200: rule, ...errors } },
    },
    async (request) => {
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
    },
  );

  app.delete(
    '/rules/:id/overrides/:homeId',
    {
      schema: {
        tags: ['rules'],
        params: overrideParams,
        querystring: z.object({ reason: z.string().trim().min(3).max(500) }),
        response: { 200: rule, ...errors },
      },
    },
    async (request) => {
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
    },
  );

  app.get(
    '/homes/:id/baseline',
    { schema: { tags: ['rules'], params: z.object({ id: entityId }), response: { 200: homeBaseline, ...errors } } },
    async (request) => {
      const baseline = attempt(() => ruleAdmin.baseline(request.params.id));
      audit(services, request, 'baseline.view', { homeId: request.params.id });
      return baseline;
    },
  );

  app.post(
    '/rules/:id/backtest',
    {
      schema: { tags: ['rules'], params: idParams, body: backtestInput, response: { 200: backtestResult, ...errors } },
    },
    async (request) => {
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
    },
  );
};
