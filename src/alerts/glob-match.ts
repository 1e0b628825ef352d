/**
 * Tests `name` against a glob where `*` matches any run of characters (also none) and `?` one
 * character. Every other character matches itself, case-sensitively, as Atlas cluster names
 * are case-sensitive.
 */
export function matchesGlob(name: string, glob: string): boolean {
  const pattern = glob
    .split("")
    .map((char) => {
      if (char === "*") return ".*";
      if (char === "?") return ".";
      return char.replace(/[.+^${}()|[\]\\-]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${pattern}$`, "s").test(name);
}
