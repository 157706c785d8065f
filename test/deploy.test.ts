/**
 * The documented way to run a fleet: the Dockerfile and compose.yaml at the top of the repository.
 * No container engine runs in the tests; these check what the files promise, read as Docker reads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const healthcheck = z.object({ test: z.array(z.string()).min(2) });
const service = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: healthcheck.optional(),
  ports: z.array(z.string()).optional(),
});
const compose = z.object({ services: z.record(z.string(), service) });

describe('compose.yaml', () => {
  // Compose fills in ${VAR} and ${VAR:?message} from the environment (or .env) before reading the file.
  const interpolated = read('compose.yaml').replace(/\$\{(\w+)(?::?[?-][^}]*)?\}/g, (_, name: string) => `${name.toLowerCase()}-value`);
  const file = compose.parse(parse(interpolated, { merge: true }));
  const tandems = Object.entries(file.services).filter(([, s]) => s.build === '.');

  it('runs PostgreSQL and two Tandem instances built from this repository', () => {
    expect(tandems.map(([name]) => name)).toEqual(['tandem-1', 'tandem-2']);
    expect(file.services.postgres?.image).toMatch(/^postgres:\d+/);
    expect(file.services.postgres?.healthcheck?.test).toContain('pg_isready');
  });

  it('points every instance at the one PostgreSQL database, once it is healthy', () => {
    const urls = new Set(tandems.map(([, s]) => s.environment?.DATABASE_URL));
    expect(urls.size).toBe(1);
    const url = new URL([...urls][0] ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    for (const [, s] of tandems) expect(s.depends_on?.postgres?.condition).toBe('service_healthy');
  });

  it('checks each instance on /readyz, on the port it listens on, and publishes distinct ports', () => {
    for (const [, s] of tandems) {
      const port = s.environment?.PORT ?? '3000';
      expect(s.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/readyz`);
      expect(s.ports?.every((p) => p.endsWith(`:${port}`))).toBe(true);
    }
    const published = tandems.flatMap(([, s]) => s.ports ?? []).map((p) => p.split(':')[0]);
    expect(new Set(published).size).toBe(published.length);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const instructions = lines.map((l) => l.split(/\s+/)[0]?.toUpperCase());
  const stages = lines.reduce<string[][]>((all, line) => (line.toUpperCase().startsWith('FROM ') ? [...all, [line]] : [...all.slice(0, -1), [...(all.at(-1) ?? []), line]]), []);

  it('builds with npm ci and npm run build in a first stage, from files the repository has', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0] ?? [];
    expect(build).toContain('RUN npm ci --no-audit --no-fund');
    expect(build).toContain('RUN npm run build');
    for (const line of build.filter((l) => l.startsWith('COPY '))) {
      for (const source of line.split(/\s+/).slice(1, -1)) expect(existsSync(new URL(`../${source}`, import.meta.url)), source).toBe(true);
    }
  });

  it('runs the compiled bot as an unprivileged user, checked on /healthz', () => {
    const run = stages.at(-1) ?? [];
    const user = run.find((l) => l.startsWith('USER '))?.split(/\s+/)[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(run.at(-1)).toBe('CMD ["node", "dist/src/main.js"]');
    expect(run.find((l) => l.startsWith('HEALTHCHECK '))).toContain('/healthz');
    // The entry point the image runs is what the build compiles.
    expect(existsSync(new URL('../src/main.ts', import.meta.url))).toBe(true);
    expect(JSON.parse(read('package.json')).scripts.start).toContain('node dist/src/main.js');
    expect(instructions.filter((i) => i === 'CMD')).toHaveLength(1);
  });
});
