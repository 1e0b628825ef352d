/** One watched flex cluster. */
export interface ClusterRef {
  /** Atlas project (group) id. */
  projectId: string;
  /** Flex cluster name. */
  cluster: string;
  /** True when found by discovery (`"*"`) rather than named in the config. */
  discovered: boolean;
}

/** Returns the `<projectId>/<cluster>` form used in logs and Redis hash tags. */
export function clusterKey(ref: Pick<ClusterRef, "projectId" | "cluster">): string {
  return `${ref.projectId}/${ref.cluster}`;
}
