/**
 * What the garbage collector did over a stretch of a run, from V8's own
 * GCProfiler (node:v8): the time it took, the bytes the program allocated
 * (the heap's growth between collections), and the bytes that survived
 * young-generation collections into the old generation (promoted). Per
 * request, these tell a client that allocates more from one whose objects
 * live longer; CPU time alone cannot.
 */
import { GCProfiler, getHeapStatistics } from 'node:v8';

/** GC figures of one stretch. */
export interface GcFigures {
  /** Time spent in collections, ms (V8's `cost`). */
  readonly gcMs: number;
  /** Bytes allocated on the JavaScript heap over the stretch. */
  readonly allocatedBytes: number;
  /** Bytes that scavenges moved into the old generation. */
  readonly promotedBytes: number;
  /** Young-generation collections (scavenges). */
  readonly scavenges: number;
}

/** The heap figures GCProfiler gives before and after each collection. */
interface HeapAt {
  readonly heapStatistics: { readonly usedHeapSize: number };
  readonly heapSpaceStatistics: readonly { spaceName: string; spaceUsedSize: number }[];
}

/** One collection as GCProfiler records it. */
interface GcRecord {
  readonly gcType: string;
  readonly cost: number;
  readonly beforeGC: HeapAt;
  readonly afterGC: HeapAt;
}

const oldUsed = (at: HeapAt): number =>
  at.heapSpaceStatistics.find((s) => s.spaceName === 'old_space')?.spaceUsedSize ?? 0;

/** Starts recording; `stop()` ends it and sums what it saw. */
export function startGcProfile(): { stop(): GcFigures } {
  const profiler = new GCProfiler();
  const usedAtStart = getHeapStatistics().used_heap_size;
  profiler.start();
  return {
    stop(): GcFigures {
      const records = (profiler.stop()?.statistics ?? []) as GcRecord[];
      const usedAtEnd = getHeapStatistics().used_heap_size;
      let gcMs = 0;
      let allocatedBytes = 0;
      let promotedBytes = 0;
      let scavenges = 0;
      let usedAfterLast = usedAtStart;
      for (const r of records) {
        gcMs += r.cost / 1000;
        allocatedBytes += Math.max(0, r.beforeGC.heapStatistics.usedHeapSize - usedAfterLast);
        usedAfterLast = r.afterGC.heapStatistics.usedHeapSize;
        if (r.gcType === 'Scavenge') {
          scavenges++;
          promotedBytes += Math.max(0, oldUsed(r.afterGC) - oldUsed(r.beforeGC));
        }
      }
      allocatedBytes += Math.max(0, usedAtEnd - usedAfterLast);
      return { gcMs, allocatedBytes, promotedBytes, scavenges };
    },
  };
}
