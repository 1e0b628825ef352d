import { z } from "zod";

/** The fields of a project (`Group`) from `GET /groups` that discovery needs. */
export interface AtlasProject {
  /** Project (group) id, 24 lowercase hex characters. */
  id: string;
  name: string | undefined;
}

const projectSchema = z.object({
  id: z.string().regex(/^[a-f0-9]{24}$/),
  name: z.string().optional().catch(undefined),
});

/** Parses one item of the project list, or returns undefined when it has no valid id. */
export function parseAtlasProject(item: unknown): AtlasProject | undefined {
  const parsed = projectSchema.safeParse(item);
  if (!parsed.success) return undefined;

  return { id: parsed.data.id, name: parsed.data.name };
}
