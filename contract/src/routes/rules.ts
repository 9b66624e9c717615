import { z } from 'zod';
import { listOf } from '../api.js';
import { entityId } from '../ids.js';
import {
  backtestInput,
  historySpan,
  backtestResult,
  homeBaseline,
  rule,
  ruleId,
  ruleInput,
  ruleOverrideInput,
  ruleRollback,
  ruleTypeInfo,
  ruleUpdate,
  ruleVersion,
} from '../rules.js';
import type { RouteSpec } from './spec.js';

const id = z.object({ id: entityId });
const ruleParamsId = z.object({ id: ruleId });
const ruleAndHome = z.object({ id: ruleId, homeId: entityId });
const changeReason = z.object({ reason: z.string().trim().min(3).max(500) });

/** The rule catalogue, rules, their versions, overrides and backtests (staff). */
export const RULE_ROUTES = {
  'GET /api/rule-types': {
    access: 'staff',
    tags: ['rules'],
    response: listOf(ruleTypeInfo),
    errors: [400, 401, 403, 404, 409],
  },
  'GET /api/history-span': {
    access: 'staff',
    tags: ['rules'],
    summary: 'The stored history a backtest can replay, for its default range',
    response: historySpan,
    errors: [400, 401, 403],
  },
  'GET /api/rules': { access: 'staff', tags: ['rules'], response: listOf(rule), errors: [400, 401, 403, 404, 409] },
  'POST /api/rules': {
    access: 'staff',
    tags: ['rules'],
    body: ruleInput,
    status: 201,
    response: rule,
    errors: [400, 401, 403, 404, 409],
  },
  'GET /api/rules/:id': {
    access: 'staff',
    tags: ['rules'],
    params: ruleParamsId,
    response: rule,
    errors: [400, 401, 403, 404, 409],
  },
  'PATCH /api/rules/:id': {
    access: 'staff',
    tags: ['rules'],
    params: ruleParamsId,
    body: ruleUpdate,
    response: rule,
    errors: [400, 401, 403, 404, 409],
  },
  'GET /api/rules/:id/versions': {
    access: 'staff',
    tags: ['rules'],
    params: ruleParamsId,
    response: listOf(ruleVersion),
    errors: [400, 401, 403, 404, 409],
  },
  'POST /api/rules/:id/rollback': {
    access: 'staff',
    tags: ['rules'],
    params: ruleParamsId,
    body: ruleRollback,
    response: rule,
    errors: [400, 401, 403, 404, 409],
  },
  'PUT /api/rules/:id/overrides/:homeId': {
    access: 'staff',
    tags: ['rules'],
    params: ruleAndHome,
    body: ruleOverrideInput,
    response: rule,
    errors: [400, 401, 403, 404, 409],
  },
  'DELETE /api/rules/:id/overrides/:homeId': {
    access: 'staff',
    tags: ['rules'],
    params: ruleAndHome,
    query: changeReason,
    response: rule,
    errors: [400, 401, 403, 404, 409],
  },
  'GET /api/homes/:id/baseline': {
    access: 'staff',
    tags: ['rules'],
    params: id,
    response: homeBaseline,
    errors: [400, 401, 403, 404, 409],
  },
  'POST /api/rules/:id/backtest': {
    access: 'staff',
    tags: ['rules'],
    params: ruleParamsId,
    body: backtestInput,
    response: backtestResult,
    errors: [400, 401, 403, 404, 409],
  },
} as const satisfies Record<string, RouteSpec>;
