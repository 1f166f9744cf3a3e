import type { SchedulerLike } from 'rxjs';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import type { LimiterPool } from '../../src/limiter/Limiter.js';

/** Slots a test pool has, and how many of them its streams hold now. */
export interface SlotState {
  slots: number;
  open: number;
}

/** A limiter pool of one ready session with `state.slots` slots, read live, on `scheduler`'s clock. */
export function slotPool(scheduler: SchedulerLike, state: SlotState): LimiterPool {
  return {
    freeSlots: () => state.slots - state.open,
    capacity: (): CapacitySnapshot => ({
      atMs: scheduler.now(),
      sessions: [],
      readySessions: 1,
      slotsTotal: state.slots,
      slotsInUse: state.open,
      slotsAvailable: state.slots - state.open,
    }),
  };
}
