import { setUpTestDatabase } from './test-database';

export default async function globalSetup() {
  await setUpTestDatabase();
}
