import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { monthlyReportCsv } from '../../reports/index.js';
import { server } from '../serve.js';
import type { ApiServices } from '../session.js';

/** The monthly report (staff), as JSON and as CSV. */
export const reportRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const route = server(app, services);
  route('GET /api/reports/monthly', async (request) => services.monthlyReport(request.query.month));

  route('GET /api/reports/monthly.csv', async (request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="mimamori-${request.query.month}.csv"`)
      .send(monthlyReportCsv(services.monthlyReport(request.query.month))),
  );
};

/** The audit log (admins): who saw which home's personal data and who changed what. */
export const auditRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  server(app, services)('GET /api/audit', async (request) => {
    const { from, to, ...rest } = request.query;
    return {
      items: services.audit.list({
        ...rest,
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
      }),
    };
  });
};
