// docker-compose.yml (no Docker engine here): it must start the services, commands and environment the tests run
// for real — Postgres, Redis, `nianbao worker` processes sharing DATABASE_URL / REDIS_URL / NIANBAO_HOME / prefix.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { queueConfigFromEnv } from '../../pipeline/queues.ts';
import { ROOT, workerEnv, type DeploymentEnv } from './helpers.ts';

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const services = compose.services as Record<string, any>;
const cli = readFileSync(join(ROOT, 'pipeline/cli.ts'), 'utf8');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
// The same keys the multi-worker tests give their `nianbao worker` children.
const deploymentKeys = Object.keys({
  DATABASE_URL: '',
  REDIS_URL: '',
  NIANBAO_HOME: '',
  NIANBAO_QUEUE_PREFIX: '',
} satisfies DeploymentEnv).sort();

function nianbaoServices(): Array<[string, any]> {
  return Object.entries(services).filter(([, s]) => s.build);
}

describe('docker-compose.yml', () => {
  it('runs Postgres 16 and Redis 7 with health checks, Redis without eviction', () => {
    assert.match(services.postgres.image, /^postgres:16\b/);
    assert.match(services.redis.image, /^redis:7\b/);
    assert.ok(services.postgres.healthcheck && services.redis.healthcheck);
    assert.ok(
      services.redis.command.join(' ').includes('--maxmemory-policy noeviction'),
      'BullMQ loses jobs under eviction',
    );
  });

  it('every nianbao service runs an existing command of the CLI with the deployment environment', () => {
    const ours = nianbaoServices();
    assert.ok(ours.length >= 3);
    for (const [name, service] of ours) {
      const cmd = service.command[0];
      assert.match(cli, new RegExp(`^\\s+${cmd}: \\{`, 'm'), `${name}: the CLI has no command ${cmd}`);
      assert.deepEqual(Object.keys(service.environment).sort(), deploymentKeys, name);
      const env = service.environment as DeploymentEnv;
      assert.match(env.DATABASE_URL, /^postgres:\/\/[^@]+@postgres:5432\//);
      assert.equal(env.REDIS_URL, 'redis://redis:6379');
      // The blob store is one named volume mounted where NIANBAO_HOME points, shared by every worker.
      assert.ok(
        service.volumes.includes(`nianbao-home:${env.NIANBAO_HOME}`),
        `${name}: NIANBAO_HOME not on the shared volume`,
      );
      // The worker reads these exact names: the config parses from this environment.
      const cfg = queueConfigFromEnv(workerEnv(env));
      assert.equal(cfg.redisUrl, env.REDIS_URL);
      assert.equal(cfg.prefix, env.NIANBAO_QUEUE_PREFIX);
    }
  });

  it('starts several workers on all queues after migrating, and registers the schedule once', () => {
    const worker = services.worker;
    assert.deepEqual(worker.command.slice(0, 3), ['worker', '--queues', 'crawl,extract,load']);
    assert.ok(worker.deploy.replicas >= 2);
    assert.equal(worker.depends_on.migrate.condition, 'service_completed_successfully');
    assert.ok(worker.stop_grace_period, 'SIGTERM needs time to finish the current job');
    assert.deepEqual(services.migrate.command, ['db', 'migrate']);
    assert.equal(services.scheduler.command[0], 'schedule');
    assert.equal(services.scheduler.restart, 'no');
    assert.ok(compose.volumes['nianbao-home'] !== undefined && compose.volumes.pgdata !== undefined);
  });

  it('serves the web interface after migrating, published on the host loopback only', () => {
    const web = services.web;
    assert.equal(web.command[0], 'serve');
    assert.equal(web.command[web.command.indexOf('--host') + 1], '0.0.0.0', 'inside the container: every interface');
    assert.deepEqual(web.ports, ['127.0.0.1:8420:8420']);
    assert.equal(web.depends_on.migrate.condition, 'service_completed_successfully');
  });

  it('builds from node:20 with npm ci, Debian chromium, and the nianbao CLI as entrypoint', () => {
    assert.match(dockerfile, /^FROM node:20\b/m);
    assert.match(dockerfile, /npm ci\b/);
    assert.match(dockerfile, /apt-get install[^\n]*\bchromium\b/);
    assert.doesNotMatch(dockerfile, /playwright install/);
    assert.match(dockerfile, /ENTRYPOINT \[[^\]]*"bin\/nianbao\.js"\]/);
    assert.ok(existsSync(join(ROOT, 'package-lock.json')));
  });
});
