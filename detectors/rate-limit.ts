import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import {
  NON_SERVICE_PATH,
  useServerModel,
  usesServerlessAdapter,
  type ListenSite,
  type ServerFramework,
} from './lib/http-servers';
import { mergeVisitors } from '../src/parse/merge-visitors';

const RULE = 'no-rate-limit';
const LIMITED_FRAMEWORKS = new Set<ServerFramework>(['express', 'fastify', 'koa', 'nestjs']);
/**
 * Any sign of a limiter in the file: a rate-limit package (express-rate-limit, @fastify/rate-limit,
 * koa-ratelimit, rate-limiter-flexible, express-slow-down, @nestjs/throttler) or a middleware of
 * our own named so. Text is enough: a false "limited" only loses a finding.
 */
const LIMITER_TEXT = /rate-?limit|ratelimit|rate_limit|throttl|slow-?down|limiter/i;
/** A limiter package the service depends on: it may be applied in another file (a router, a Nest module). */
const LIMITER_PACKAGE = /rate-?limit|ratelimit|throttler|slow-?down|limiter|express-brute/i;

/** Flags an Express/Fastify/Koa server that serves its own routes with no rate limiting in front. */
const rateLimit: CodeDetector = {
  name: 'rate-limit',
  ruleIds: [RULE],
  triggers: ['.listen('],
  create(ctx: DetectorContext) {
    if (NON_SERVICE_PATH.test(ctx.file.path) || usesServerlessAdapter(ctx) || LIMITER_TEXT.test(ctx.file.text))
      return {};
    if ([...ctx.project.packageDependencies].some((d) => LIMITER_PACKAGE.test(d))) return {};
    const { model, visitors } = useServerModel(ctx);
    return mergeVisitors(visitors, {
      'Program:exit'() {
        // a server in a variable, or one a class of this file holds in a field (`this.server = fastify()`)
        const limited = (l: ListenSite): boolean => LIMITED_FRAMEWORKS.has(l.wraps ?? l.framework);
        const site = model.listens().find(limited) ?? model.fieldListens().find(limited);
        if (!site) return;
        const framework = site.wraps ?? site.framework;
        // a Nest app serves the controllers of its modules; others what they register or mount here
        if (framework !== 'nestjs' && model.routes === 0 && model.mounts === 0 && model.plugins === 0) return;
        const served =
          framework === 'nestjs'
            ? "its modules' controllers"
            : [
                model.routes ? `${model.routes} route${model.routes === 1 ? '' : 's'}` : '',
                model.mounts ? `${model.mounts} mounted router${model.mounts === 1 ? '' : 's'}` : '',
                model.plugins ? `${model.plugins} route plugin${model.plugins === 1 ? '' : 's'}` : '',
              ]
                .filter(Boolean)
                .join(' and ');
        ctx.report({
          ruleId: RULE,
          node: site.call,
          messageId: 'serverWithoutRateLimit',
          message: `${framework} server serves ${served} with no rate limiting`,
          data: { framework, routes: model.routes, mounts: model.mounts, plugins: model.plugins },
        });
      },
    });
  },
};

export default rateLimit;
