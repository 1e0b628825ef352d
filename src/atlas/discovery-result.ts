/** Outcome of one discovery call, from the cache or from Atlas. */
export interface DiscoveryResult {
  /** Project ids or cluster names to watch. */
  watched: string[];
  /**
   * Every id or name Atlas listed, when this call read a complete list from Atlas. Undefined
   * when the result came from the cache or the list was cut at the page limit, because then a
   * missing entry proves nothing.
   */
  freshlyListed: ReadonlySet<string> | undefined;
}
