import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

// `npm ci` builds the bot (the `prepare` script); the README then has people run `npx tandem …`.
// npx and the CLI's imports take about 10 s here, several times that on a loaded machine: the
// limits only stop a hang.
describe('the installed `tandem` command', () => {
  it('runs as `npx tandem` (its file is executable) and prints its usage', async () => {
    expect(() => accessSync(`${root}dist/src/cli.js`, constants.X_OK)).not.toThrow();
    const { stdout } = await run('npx', ['--no-install', 'tandem', 'help'], { cwd: root, timeout: 90_000 });
    expect(stdout).toContain('jobs run [--at <ISO-8601 instant>]');
    expect(stdout).toContain('doctor');
  }, 100_000);
});
