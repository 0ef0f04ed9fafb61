import { tearDownTestDatabase } from './test-database';

export default async function globalTeardown() {
  await tearDownTestDatabase();
}
