/**
 * Every path and each of its parents (`a.b.c`: `a`, `a.b`, `a.b.c`). An update may not name a path and its parent
 * (the engine refuses it), so another operator's path in this set meets a write: group-commit.ts leaves out such an
 * `$unset`, dashboard.model.ts such a `$setOnInsert` of a default. A set built once per update, not a prefix test of
 * every path against every written one (an award's scope statement has ~9 unsets and ~12 written paths, and a group
 * many awards': that test was ~0.8 % of a paying check-in's Node CPU, H9a).
 */
export function pathsAndParents(paths: Iterable<string>): Set<string> {
  const all = new Set<string>();
  for (const path of paths)
    for (let dot = path.indexOf('.'); ; dot = path.indexOf('.', dot + 1)) {
      all.add(dot === -1 ? path : path.slice(0, dot));
      if (dot === -1) break;
    }
  return all;
}
