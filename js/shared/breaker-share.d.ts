/** How a CircuitBreaker shares its state with the other instances of the same breaker. */
export interface BreakerShareOptions {
  /** The breaker's name, the same on every instance: its keys are `<prefix>{breaker:<name>}:…`. */
  name: string;
  /**
   * Open when this many distinct instances report open within `windowMs` (default 2). An
   * instance is its `instanceId`: without one, an id drawn at start, so one that restarts and
   * trips again within the window counts again. The store keeps only the newest `quorum`
   * reports, so instances of one breaker need the same quorum.
   */
  quorum?: number;
  /**
   * This instance's id in the store (1 to 200 printable ASCII characters; default: random per
   * start), e.g. a pod or host name, so that a restarted instance's report replaces its own.
   * Must be unique: instances sharing an id count as one and may hold one trial lease together.
   */
  instanceId?: string;
  /**
   * The view is at most this old when a call comes (refreshed in the background; default 1000).
   * An instance refused the trial lease (another holds it) asks for it at most once per interval.
   */
  publishIntervalMs?: number;
  /** How long an instance's report of tripping counts (default: openMs). */
  windowMs?: number;
  /**
   * How long one instance holds the half-open trial calls (default: halfOpenMaxMs, else openMs).
   * A trial still running when its lease ends is not counted by the next holder: keep calls
   * (a `timeoutMs`) shorter than the lease for at most halfOpenCalls trials in all.
   */
  leaseMs?: number;
  /**
   * Each store call's deadline (default: the store's). A call not settled by then (without it:
   * within a publish interval) no longer holds the next back, and a trial waiting for the lease
   * runs unleased.
   */
  deadlineMs?: number;
  /** Edge runtimes: receives every background store call (e.g. `ctx.waitUntil.bind(ctx)`). */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** The shared view: metrics().shared and the 'sharedView' event. */
export interface SharedBreakerView {
  /** This instance's id: share.instanceId, else random (made on the first store call). */
  instanceId: string | undefined;
  quorum: number;
  /** Instances reporting open within the window, as of `viewAt`: counted up to `quorum`. */
  openReports: number;
  /** Whether the last store call was answered; undefined before the first. */
  reachable: boolean | undefined;
  /** When the view was read (the breaker's clock). */
  viewAt: number | undefined;
  /** While this instance holds the half-open trial lease: when it ends. */
  trialLeaseUntil: number | undefined;
  storeCalls: number;
  storeFailures: number;
  /** Trial calls let through unleased because the store failed (local halfOpenCalls). */
  fallbackTrials: number;
  /** The code of the last failure (StoreError code, or CLOCK_INVALID and such). */
  lastError: string | undefined;
}
