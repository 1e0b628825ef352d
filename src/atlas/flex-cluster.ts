import { z } from "zod";

/** The fields of a flex cluster (`FlexClusterDescription20241113`) that discovery needs. */
export interface FlexCluster {
  name: string;
  /** IDLE, CREATING, UPDATING, DELETING, REPAIRING, or another string Atlas sends. */
  stateName: string | undefined;
  /** `backupSettings.enabled`, or undefined when Atlas left it out. */
  backupEnabled: boolean | undefined;
}

const flexClusterSchema = z.object({
  name: z.string().min(1),
  stateName: z.string().optional().catch(undefined),
  backupSettings: z
    .object({ enabled: z.boolean().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

/** Parses one item of a flex cluster list, or returns undefined when it has no name. */
export function parseFlexCluster(item: unknown): FlexCluster | undefined {
  const parsed = flexClusterSchema.safeParse(item);
  if (!parsed.success) return undefined;

  return {
    name: parsed.data.name,
    stateName: parsed.data.stateName,
    backupEnabled: parsed.data.backupSettings?.enabled,
  };
}
