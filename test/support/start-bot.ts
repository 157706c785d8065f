/**
 * The real bot started as `npm start` starts it (src/main.ts in its own process), with Slack
 * settings that reach nothing (a closed loopback port stands for Slack), on the database given.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];

export interface StartedBot {
  child: ChildProcess;
  /** Everything it logged so far. */
  output: () => string;
  /** The port it listens on, once it says so. */
  port: Promise<number>;
}

export function startBot(databaseUrl: string): StartedBot {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-start-test',
      SLACK_SIGNING_SECRET: 'start-test-secret',
      FACILITATOR_CHANNEL_ID: 'C0FACIL',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
    },
  });
  children.push(child);
  let text = '';
  const port = new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      text += chunk.toString();
      const found = /listening on port (\d+)/.exec(text);
      if (found) resolve(Number(found[1]));
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`Tandem stopped (exit ${code}): ${text}`)));
  });
  return { child, output: () => text, port };
}

/** Kills every bot started (for afterEach). */
export function stopBots(): void {
  for (const child of children.splice(0)) child.kill('SIGKILL');
}

export async function readyz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
