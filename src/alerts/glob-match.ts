/**
 * Tests `name` against a glob where `*` matches any run of characters (also none) and `?` one
 * character; every other character matches itself, case-sensitively, like Atlas cluster names.
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
