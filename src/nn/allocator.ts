/**
 * An engine takes all its memory from ONE `reserve` of the backend (views from before a
 * reserve may be detached), so it must know the total before it allocates its first
 * buffer. Rather than sum the sizes by hand next to the allocations (two lists that
 * drift apart), the engine writes ONE allocation routine and `allocateOnce` runs it
 * twice: over a Counter, which only adds up what the routine asks for, to size the
 * reserve; then over an Arena, which hands out the backend's views and checks that the
 * routine asks for exactly what was counted. The routine must therefore only allocate
 * (the counting pass's views are empty): filling buffers comes after.
 */
import type { Floats, KernelOps } from "./kernel-ops";

/** What an allocation routine asks for: zero-filled float and Int32 buffers. */
export interface Allocator {
  floats(elements: number): Floats;
  ints(elements: number): Int32Array;
}

/** Float and Int32 elements. */
interface Size { floats: number; ints: number }

const NO_FLOATS = new Float64Array(0);
const NO_INTS = new Int32Array(0);

/** The counting pass: adds up the sizes, hands out empty views. */
class Counter implements Allocator {
  readonly size: Size = { floats: 0, ints: 0 };

  floats(elements: number): Floats {
    this.size.floats += elements;
    return NO_FLOATS;
  }

  ints(elements: number): Int32Array {
    this.size.ints += elements;
    return NO_INTS;
  }
}

/** The real pass: the backend's views, out of one reserve of the counted size. */
class Arena implements Allocator {
  private readonly left: Size;

  constructor(private readonly ops: KernelOps, private readonly size: Size) {
    ops.reserve(size.floats, size.ints);
    this.left = { ...size };
  }

  floats(elements: number): Floats {
    this.take("floats", elements);
    return this.ops.alloc(elements);
  }

  ints(elements: number): Int32Array {
    this.take("ints", elements);
    return this.ops.allocInt(elements);
  }

  /** Check that the routine asked for everything it was counted for. */
  close(): void {
    if (this.left.floats !== 0 || this.left.ints !== 0) this.disagree();
  }

  private take(kind: keyof Size, elements: number): void {
    this.left[kind] -= elements;
    if (this.left[kind] < 0) this.disagree(); // before the backend hands out memory past the reserve
  }

  private disagree(): never {
    const used = { floats: this.size.floats - this.left.floats, ints: this.size.ints - this.left.ints };
    throw new Error(`allocateOnce: the allocation routine counted ${JSON.stringify(this.size)} but allocated ${JSON.stringify(used)}: it must ask for the same buffers on both passes`);
  }
}

/** Run `allocate` over a Counter, reserve exactly that much, run it again for real: its buffers. */
export function allocateOnce<T>(ops: KernelOps, allocate: (a: Allocator) => T): T {
  const counter = new Counter();
  allocate(counter);
  const arena = new Arena(ops, counter.size);
  const buffers = allocate(arena);
  arena.close();
  return buffers;
}
