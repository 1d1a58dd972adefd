// Jobs dispatched by label, after crawlee's Router: one handler per page kind, `prefix:*` for a family of labels
// (an adapter's own list jobs), and an unknown label is an error rather than a guess.
import type { Job } from './platforms/base.ts';

export type RouteHandler<Context> = (context: Context) => Promise<void>;

export class Router<Context extends { job: Job }> {
  private readonly handlers = new Map<string, RouteHandler<Context>>();

  static create<Context extends { job: Job }>(): Router<Context> {
    return new Router<Context>();
  }

  /** `label` is exact ('article') or a family ('hanweb:*', every label starting with 'hanweb:'). */
  addHandler(label: string, handler: RouteHandler<Context>): this {
    if (this.handlers.has(label)) throw new Error(`route '${label}' defined twice`);
    this.handlers.set(label, handler);
    return this;
  }

  handlerFor(label: string): RouteHandler<Context> {
    const family = label.includes(':') ? `${label.slice(0, label.indexOf(':'))}:*` : null;
    const handler = this.handlers.get(label) ?? (family ? this.handlers.get(family) : undefined);
    if (!handler) throw new Error(`no route for label '${label}'`);
    return handler;
  }

  route(context: Context): Promise<void> {
    return this.handlerFor(context.job.label)(context);
  }
}
