import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEntry, errorBody, monthlyReport, monthlyReportQuery } from '@mimamori/contract';
import { z } from 'zod';
import { monthlyReportCsv } from '../../reports/index.js';
import type { ApiServices } from '../session.js';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody };

/** The monthly report (staff), as JSON and as CSV. */
export const reportRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  app.get(
    '/reports/monthly',
    {
      schema: {
        tags: ['reports'],
        summary: 'Alerts by rule, response times, outcomes, check-in rates and absences for a month',
        querystring: monthlyReportQuery,
        response: { 200: monthlyReport, ...errors },
      },
    },
    async (request) => services.monthlyReport(request.query.month),
  );

  app.get(
    '/reports/monthly.csv',
    {
      schema: {
        tags: ['reports'],
        summary: 'The same report as CSV (UTF-8 with BOM, one figure per row)',
        querystring: monthlyReportQuery,
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="mimamori-${request.query.month}.csv"`)
        .send(monthlyReportCsv(services.monthlyReport(request.query.month))),
  );
};

const auditQuery = z.object({
  homeId: z.string().max(64).optional(),
  actor: z.string().max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().min(1).optional().describe('Page back: entries with a smaller id'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** The audit log (admins): who saw which home's personal data and who changed what. */
export const auditRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log, newest first',
        querystring: auditQuery,
        response: { 200: z.object({ items: z.array(auditEntry) }), ...errors },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      return {
        items: services.audit.list({
          ...rest,
          from: from ? Date.parse(from) : undefined,
          to: to ? Date.parse(to) : undefined,
        }),
      };
    },
  );
};
