/**
 * A capped undo/redo history. Each entry is a command (here a mask patch); pushing a new command
 * clears the redo side, and past the step limit or the memory budget the oldest command is dropped,
 * so long sessions on large images keep a bounded footprint.
 */

/** Limits of a history. */
export interface HistoryOptions {
  /** Most undo steps kept (default 200; at least 1). */
  limit?: number
  /** Most bytes kept across all undo and redo entries (default 512 MiB). The newest entry is always kept. */
  maxBytes?: number
}

/** Undo/redo stacks of commands of type T. */
export class History<T> {
  private readonly undoStack: T[] = []
  private redoStack: T[] = []
  private bytes = 0
  readonly limit: number
  readonly maxBytes: number

  /** `sizeOf` tells how many bytes a command holds, for the memory budget. */
  constructor(
    options: HistoryOptions = {},
    private readonly sizeOf: (command: T) => number = () => 0,
  ) {
    this.limit = Math.max(1, Math.floor(options.limit ?? 200))
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024
  }

  /** Records a new command: the redo side is cleared and the oldest commands dropped past the caps. */
  push(command: T): void {
    for (const c of this.redoStack) this.bytes -= this.sizeOf(c)
    this.redoStack = []
    this.undoStack.push(command)
    this.bytes += this.sizeOf(command)
    while (this.undoStack.length > this.limit || (this.bytes > this.maxBytes && this.undoStack.length > 1)) {
      this.bytes -= this.sizeOf(this.undoStack.shift() as T)
    }
  }

  /** Takes the newest command off the undo side (the caller reverts it), or undefined when empty. */
  undo(): T | undefined {
    const c = this.undoStack.pop()
    if (c !== undefined) this.redoStack.push(c)
    return c
  }

  /** Takes the newest undone command back (the caller re-applies it), or undefined when none. */
  redo(): T | undefined {
    const c = this.redoStack.pop()
    if (c !== undefined) this.undoStack.push(c)
    return c
  }

  /** The command that undo would revert next. */
  peek(): T | undefined {
    return this.undoStack[this.undoStack.length - 1]
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0
  }

  get undoDepth(): number {
    return this.undoStack.length
  }

  get redoDepth(): number {
    return this.redoStack.length
  }

  /** Bytes currently held by all commands. */
  get heldBytes(): number {
    return this.bytes
  }

  /** Forgets everything (a different mask was loaded). */
  clear(): void {
    this.undoStack.length = 0
    this.redoStack = []
    this.bytes = 0
  }
}
