/** Every item of a discovery list (projects or flex clusters) and whether the read finished. */
export interface DiscoveryListing<T> {
  items: T[];
  /**
   * False when reading stopped at the page limit. An item missing from an incomplete list may
   * still exist, so such a list never marks a cluster gone.
   */
  complete: boolean;
}
