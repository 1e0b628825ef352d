import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";

/**
 * Watches Atlas responses for the `Deprecation` and `Sunset` headers of a versioned resource.
 * The first response of each (resource, version) that carries one is logged at warn with both
 * values and sets `flexwatch_atlas_api_deprecated` to 1, labelled with the sunset date when
 * Atlas sent one.
 */
export class ApiVersionWatch {
  readonly #metrics: Metrics;
  readonly #reported = new Set<string>();

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  /** Checks the headers of one response to `resource` sent with media type `version`. */
  observe(resource: string, version: string, headers: Headers, logger: Logger): void {
    const deprecation = headers.get("deprecation") ?? undefined;
    const sunset = headers.get("sunset") ?? undefined;
    if (deprecation === undefined && sunset === undefined) return;

    const key = `${resource}@${version}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);

    this.#metrics.atlasApiDeprecated.set({ resource, version, sunset: sunset ?? "" }, 1);
    logger.warn(
      {
        resource,
        apiVersion: version,
        deprecation,
        sunset,
        configKey: `atlas.apiVersions.${resource}`,
      },
      "atlas api version is deprecated",
    );
  }
}
