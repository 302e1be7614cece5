export default async function globalTeardown(): Promise<void> {
  await globalThis.__PIONEER_ENGINE__?.stop();
  globalThis.__PIONEER_ENGINE__ = undefined;
}
