import type { Member, Page } from '../../api';

export const BLOCK_SIZE = 200;
/** Blocks kept in memory (× BLOCK_SIZE rows); the farthest from view go first. */
const MAX_BLOCKS = 40;

type FetchBlock = (offset: number, limit: number) => Promise<Page>;

interface Block {
  items: Member[];
  /** Generation the block was loaded in; older ones are shown but refetched. */
  gen: number;
}

/**
 * Rows of one member list, fetched by blocks of `BLOCK_SIZE` on demand and
 * cached. `invalidate` (data changed) and `setQuery` (query changed) keep the
 * rows on screen while fresh ones load, so the table never flashes.
 * Framework-free; React subscribes through `subscribe`/`version`.
 */
export class PageCache {
  private gen = 0;
  private blocks = new Map<number, Block>();
  private inflight = new Map<number, number>();
  private failed = new Map<number, number>();
  private range: [number, number] = [0, 0];
  private listeners = new Set<() => void>();
  private key: string;
  private fetchBlock: FetchBlock;
  private readonly onError: (reason: unknown) => void;
  private readonly blockSize: number;
  total: number | null = null;
  version = 0;

  constructor(
    key: string,
    fetchBlock: FetchBlock,
    onError: (reason: unknown) => void,
    blockSize = BLOCK_SIZE,
  ) {
    this.key = key;
    this.fetchBlock = fetchBlock;
    this.onError = onError;
    this.blockSize = blockSize;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** The row at `index`, or undefined while its block loads. */
  row = (index: number): Member | undefined =>
    this.blocks.get(Math.floor(index / this.blockSize))?.items[index % this.blockSize];

  /** Loads what rows `start..end` (inclusive) need and is not loaded or loading. */
  ensure = (start: number, end: number): void => {
    this.range = [Math.max(0, start), Math.max(0, end)];
    const first = Math.floor(this.range[0] / this.blockSize);
    const last = Math.floor(this.range[1] / this.blockSize);
    for (let b = first; b <= last; b++) {
      if (this.blocks.get(b)?.gen === this.gen) continue;
      if (this.inflight.get(b) === this.gen || this.failed.get(b) === this.gen) continue;
      if (this.total !== null && b * this.blockSize >= Math.max(this.total, 1)) continue;
      this.load(b);
    }
  };

  /** The data changed: refetch what is in view, keep showing the old rows meanwhile. */
  invalidate(): void {
    this.gen++;
    this.keepOnly(this.range);
    this.ensure(...this.range);
  }

  /**
   * Points the cache at a query (identified by `key`). A new key means new
   * rows from the top; the same key only makes sure the rows in view load.
   */
  setQuery(key: string, fetchBlock: FetchBlock): void {
    if (key === this.key) {
      this.ensure(...this.range);
      return;
    }
    this.key = key;
    this.fetchBlock = fetchBlock;
    this.gen++;
    this.range = [0, Math.min(this.range[1] - this.range[0], this.blockSize - 1)];
    this.keepOnly(this.range);
    this.ensure(...this.range);
  }

  private load(block: number): void {
    const gen = this.gen;
    this.inflight.set(block, gen);
    this.fetchBlock(block * this.blockSize, this.blockSize).then(
      (page) => {
        if (gen !== this.gen) return;
        this.inflight.delete(block);
        this.blocks.set(block, { items: page.items, gen });
        this.total = page.total;
        this.evict();
        this.emit();
      },
      (reason: unknown) => {
        if (gen !== this.gen) return;
        this.inflight.delete(block);
        const firstFailure = ![...this.failed.values()].includes(gen);
        this.failed.set(block, gen);
        if (this.total === null) this.total = 0;
        this.emit();
        if (firstFailure) this.onError(reason);
      },
    );
  }

  private keepOnly([start, end]: [number, number]): void {
    const first = Math.floor(start / this.blockSize);
    const last = Math.floor(end / this.blockSize);
    for (const b of this.blocks.keys()) if (b < first || b > last) this.blocks.delete(b);
    this.inflight.clear();
    this.failed.clear();
  }

  private evict(): void {
    if (this.blocks.size <= MAX_BLOCKS) return;
    const centre = Math.floor((this.range[0] + this.range[1]) / 2 / this.blockSize);
    const byDistance = [...this.blocks.keys()].sort(
      (a, b) => Math.abs(b - centre) - Math.abs(a - centre),
    );
    for (const b of byDistance.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(b);
  }

  private emit(): void {
    this.version++;
    this.listeners.forEach((l) => l());
  }
}
