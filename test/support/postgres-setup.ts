import { afterAll } from 'vitest';
import { droppingSchemas } from './test-database.js';

// Each test's schema is dropped in the background; the file waits for all of them before it ends.
afterAll(() => droppingSchemas());
