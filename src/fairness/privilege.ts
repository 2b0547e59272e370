/**
 * Which groups are unprivileged and which privileged, for the metrics that compare two sides (AIF360's
 * convention: a difference is unprivileged − privileged, a ratio unprivileged / privileged). The privileged side
 * defaults to every group not named unprivileged, so `sex = Female` against everyone else, or with
 * intersections `Female × Black` against the rest.
 */
import { pool, type GroupCounts, type GroupTable } from './group-counts.js';
import { ok, problem, type DataResult } from './data-problem.js';

export interface Privilege {
  readonly unprivileged: readonly string[];
  /** Default: every other group of the sample. */
  readonly privileged?: readonly string[];
}

export interface Sides {
  readonly unprivileged: GroupCounts;
  readonly privileged: GroupCounts;
}

/** Both sides' pooled counts; a named group with no rows, or a side left empty, is a problem (column unknown here). */
export function sides(table: GroupTable, privilege: Privilege, column?: string): DataResult<Sides> {
  const where = column !== undefined ? { column } : {};
  const known = [...table.groups.keys()];
  for (const key of [...privilege.unprivileged, ...(privilege.privileged ?? [])])
    if (!table.groups.has(key))
      return problem({
        code: 'empty_group',
        ...where,
        message: `no row belongs to the group ${JSON.stringify(key)}; the groups present are ${known
          .slice(0, 20)
          .map((k) => JSON.stringify(k))
          .join(', ')}${known.length > 20 ? ', …' : ''}`,
      });
  const unprivileged = new Set(privilege.unprivileged);
  const privileged = privilege.privileged ?? known.filter((k) => !unprivileged.has(k));
  const overlap = privileged.find((k) => unprivileged.has(k));
  if (overlap !== undefined)
    return problem({
      code: 'empty_group',
      ...where,
      message: `the group ${JSON.stringify(overlap)} is named both unprivileged and privileged`,
    });
  if (unprivileged.size === 0 || privileged.length === 0)
    return problem({
      code: 'empty_group',
      ...where,
      message: `the ${unprivileged.size === 0 ? 'unprivileged' : 'privileged'} side has no group: name the unprivileged value(s), and make sure the data has other values too`,
    });
  return ok({ unprivileged: pool(table, [...unprivileged]), privileged: pool(table, privileged) });
}
