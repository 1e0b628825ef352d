import type { AlertEvent } from "./alert-event.ts";
import { matchesGlob } from "./glob-match.ts";

/** Criteria of a route or silence; an undefined criterion matches every alert. */
export interface AlertSelector {
  /** Atlas project ids. */
  projects: readonly string[] | undefined;
  /** Cluster name globs (`*`, `?`). */
  clusters: readonly string[] | undefined;
  /** Alert kinds. */
  kinds: readonly string[] | undefined;
}

/** Tests whether an alert meets every criterion of `selector`. */
export function matchesSelector(
  event: Pick<AlertEvent, "projectId" | "cluster" | "kind">,
  selector: AlertSelector,
): boolean {
  if (selector.projects !== undefined && !selector.projects.includes(event.projectId)) {
    return false;
  }
  if (
    selector.clusters !== undefined &&
    !selector.clusters.some((glob) => matchesGlob(event.cluster, glob))
  ) {
    return false;
  }
  return selector.kinds === undefined || selector.kinds.includes(event.kind);
}
