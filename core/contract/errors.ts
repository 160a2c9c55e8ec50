/**
 * Error codes shared by every process and transport. Errors cross process boundaries as plain
 * `{ code, message, file? }` objects (see {@link ErrorDto}); `AppError` is the throwable form.
 */
import { z } from 'zod'

export const ErrorCode = z.enum([
  /** A payload failed its zod schema. */
  'INVALID_INPUT',
  /** A file, image, mask, run or project that was asked for does not exist. */
  'NOT_FOUND',
  /** The file exists but is not a LabelLoop project (or is corrupt). */
  'NOT_A_PROJECT',
  /** The project was written by a newer LabelLoop (higher schema version). */
  'NEWER_VERSION',
  /** The project file is damaged (SQLite integrity failure). */
  'CORRUPT_PROJECT',
  /** No project is open for a call that needs one. */
  'NO_PROJECT',
  /** An image could not be decoded (corrupt, truncated, unsupported). */
  'DECODE_FAILED',
  /** A mask does not match its image's size. */
  'MASK_SIZE',
  /** A mask uses a class index that the project does not have. */
  'MASK_CLASS',
  /** The file already exists (for example when creating a project). */
  'ALREADY_EXISTS',
  /** The disk is full; nothing already saved was lost. */
  'DISK_FULL',
  /** Any other file-system failure. */
  'IO',
  /** The operation was cancelled by the user. */
  'CANCELLED',
  /** Another long job of the same kind is running. */
  'BUSY',
  /** The caller is not allowed (bad token, foreign sender). */
  'FORBIDDEN',
  /** A bug: anything not covered above. */
  'INTERNAL',
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const ErrorDto = z.object({
  code: ErrorCode,
  message: z.string(),
  /** The file the error is about, when there is one. */
  file: z.string().optional(),
})
export type ErrorDto = z.infer<typeof ErrorDto>

/** Throwable error carrying a code; `message` always names the file and the problem where there is one. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly file?: string
  constructor(code: ErrorCode, message: string, file?: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.file = file
  }
}

/** Turns anything thrown into a plain error DTO that can cross a process or network boundary. */
export function toErrorDto(err: unknown): ErrorDto {
  if (err instanceof AppError) {
    return err.file === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, file: err.file }
  }
  const parsed = ErrorDto.safeParse(err)
  if (parsed.success) return parsed.data
  const e = err as { code?: unknown; message?: unknown } | null
  if (e && e.code === 'ENOSPC') return { code: 'DISK_FULL', message: `Disk full: ${String(e.message)}` }
  if (e && e.code === 'SQLITE_FULL') return { code: 'DISK_FULL', message: `Disk full: ${String(e.message)}` }
  if (e && e.code === 'ENOENT') return { code: 'NOT_FOUND', message: String(e.message) }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message }
}

/** Rebuilds a throwable from a DTO received over a transport. */
export function fromErrorDto(dto: ErrorDto): AppError {
  return new AppError(dto.code, dto.message, dto.file)
}
