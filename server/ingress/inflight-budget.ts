/**
 * An instance-wide bound on webhook request bytes held in memory at once (W-28): every request reserves what it
 * declares (Content-Length) before its body is read and what it actually holds as it arrives (chunked or inflated
 * bodies), and gives it back when its answer is done. Past the bound the request gets 503 with Retry-After instead
 * of being read: 64 concurrent 1 MB webhooks no longer take the server from ~120 MB to ~600 MB.
 */

export interface InflightBudget {
  /** A reservation for one request; `size` grows with `grow`, everything goes back with `release`. */
  lease(): InflightLease;
  /** Bytes reserved now, by all requests. */
  used(): number;
  readonly max: number;
}

export interface InflightLease {
  /** Makes the reservation at least `total` bytes; false (and nothing changed) when that would pass the bound. */
  grow(total: number): boolean;
  release(): void;
  readonly size: number;
}

/**
 * `max` bytes at most, except that a request that is alone in flight is always admitted, so a single body up to
 * the webhook's own limit always fits whatever the bound.
 */
export function createInflightBudget(max: number): InflightBudget {
  let used = 0;
  return {
    max,
    used: () => used,
    lease() {
      let size = 0;
      let released = false;
      return {
        get size() { return size; },
        grow(total) {
          if (released || total <= size) return true;
          const more = total - size;
          if (used + more > max && used - size > 0) return false;
          used += more;
          size = total;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          used -= size;
          size = 0;
        },
      };
    },
  };
}
