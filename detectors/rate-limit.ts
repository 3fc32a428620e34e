import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { NON_SERVICE_PATH, useServerModel, usesServerlessAdapter, type ServerFramework } from './lib/http-servers';
import { mergeVisitors } from '../src/parse/merge-visitors';

const RULE = 'no-rate-limit';
const LIMITED_FRAMEWORKS = new Set<ServerFramework>(['express', 'fastify', 'koa']);
/**
 * Any sign of a limiter in the file: a rate-limit package (express-rate-limit, @fastify/rate-limit,
 * koa-ratelimit, rate-limiter-flexible, express-slow-down, @nestjs/throttler) or a middleware of
 * our own named so. Text is enough: a false "limited" only loses a finding.
 */
const LIMITER_TEXT = /rate-?limit|ratelimit|rate_limit|throttl|slow-?down|limiter/i;

/** Flags an Express/Fastify/Koa server that serves its own routes with no rate limiting in front. */
const rateLimit: CodeDetector = {
  name: 'rate-limit',
  ruleIds: [RULE],
  triggers: ['.listen('],
  create(ctx: DetectorContext) {
    if (NON_SERVICE_PATH.test(ctx.file.path) || usesServerlessAdapter(ctx) || LIMITER_TEXT.test(ctx.file.text))
      return {};
    const { model, visitors } = useServerModel(ctx);
    return mergeVisitors(visitors, {
      'Program:exit'() {
        if (model.routes === 0) return;
        const site = model.listens().find((l) => LIMITED_FRAMEWORKS.has(l.wraps ?? l.framework));
        if (!site) return;
        const framework = site.wraps ?? site.framework;
        ctx.report({
          ruleId: RULE,
          node: site.call,
          messageId: 'serverWithoutRateLimit',
          message: `${framework} server serves ${model.routes} route${model.routes === 1 ? '' : 's'} with no rate limiting`,
          data: { framework, routes: model.routes },
        });
      },
    });
  },
};

export default rateLimit;
