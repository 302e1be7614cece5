/**
 * Reading a V8 CPU profile of the bench's one thread (cpu-per-request.ts): whose code each sample ran (koa, our
 * middleware, auth, mongoose, the driver and BSON, our services, autocannon) and the functions that ran most.
 */

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who a frame belongs to, or null for Node's own code (its time goes to the nearest caller that is not). */
export function ownerOf({ url, functionName }: ProfileNode['callFrame']): string | null {
  // The inspector's own dispatch is Profiler.stop serializing the profile: not the server's.
  if (!url) return functionName === 'dispatch' ? '(profiler)' : functionName.startsWith('(') ? functionName : null;
  if (url.startsWith('node:')) return null;
  // The innermost package (mongoose carries its own copy of the driver in its node_modules).
  const lib = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop()?.[1];
  if (lib) {
    // Helpers used by several owners: their time goes to whoever called them.
    if (/^(jsonwebtoken|jws|jwa|safe-buffer|buffer-equal-constant-time|ms|semver|lodash\.|debug)/.test(lib))
      return null;
    if (lib === 'mongodb' || lib === 'bson') return 'driver+bson';
    if (lib === 'mongoose' || lib === 'mpath' || lib === 'kareem' || lib === 'sift') return 'mongoose';
    if (
      /^(koa|@koa\/|koa-|http-errors|statuses|accepts|type-is|content-|cookies|vary|on-finished|path-to-regexp|negotiator|mime|fresh|encodeurl|escape-html|destroy|delegates|only|helmet|depd|ee-first|media-typer|raw-body|co-body)/.test(
        lib,
      )
    )
      return 'koa+helmet+cors';
    if (lib === 'autocannon' || lib === 'hdr-histogram-js' || lib === 'reinterval' || lib === 'retimer')
      return 'autocannon';
    return `lib:${lib}`;
  }
  const mine = /\/(server\/src|shared\/src|config|test\/bench)\/(.*)$/.exec(url);
  if (!mine) return `other:${url.slice(-40)}`;
  const file = mine[2]!;
  if (file === 'http/auth.ts' || file.startsWith('modules/users/') || file === 'db/change-marks.ts')
    return 'auth+session';
  if (file.startsWith('http/')) return 'our middleware';
  if (file.startsWith('db/')) return 'our db layer';
  if (mine[1] === 'shared/src') return 'shared (zod schemas)';
  if (file === 'cpu-per-request.ts') return 'autocannon';
  return `ours:${file.replace(/\.ts$/, '')}`;
}

/** Samples per owner while the main thread ran (idle and the profiler's own work left out). */
export function split(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string>();
  const ownerOfNode = (id: number): string => {
    const known = owner.get(id);
    if (known) return known;
    let at: number | undefined = id;
    let found: string | null = null;
    while (at !== undefined && !found) {
      found = ownerOf(byId.get(at)!.callFrame);
      at = parent.get(at);
    }
    const name = found ?? 'node core';
    owner.set(id, name);
    return name;
  };
  const spent = new Map<string, number>();
  // Samples are counted, not weighted by their time: on a busy machine the signal that takes a sample waits while
  // the thread waits for a core, so the gap before a sample is wall time, but each sample is one tick of running.
  for (const id of profile.samples) {
    const who = ownerOfNode(id);
    if (who !== '(idle)' && who !== '(profiler)') spent.set(who, (spent.get(who) ?? 0) + 1);
  }
  return spent;
}

/** The functions with the most samples of their own (self time), for finding the next cost: "name file:line". */
export function topFunctions(profile: Profile, count: number): Array<{ fn: string; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const { functionName, url, lineNumber = 0 } = byId.get(id)!.callFrame;
    // Waiting, and the profiler serializing itself, are not the server's work.
    if (functionName === '(idle)' || functionName === '(program)' || (!url && functionName === 'dispatch')) continue;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|main)\//, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
    busy += 1;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, n]) => ({ fn, share: +(n / busy).toFixed(3) }));
}
