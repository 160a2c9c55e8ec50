/**
 * Turns a drop into files with folder-relative paths. Browsers list a dropped folder as one entry, so
 * folders are walked through the File System entries API; Electron only needs the top-level items,
 * whose host paths the services import recursively.
 */
import type { PickedFile } from '../api'

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = []
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all)
        else {
          all.push(...batch)
          next()
        }
      }, reject)
    next()
  })
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    out.push({ file, relPath: prefix + entry.name })
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader())
    for (const child of children) await walk(child, `${prefix}${entry.name}/`, out)
  }
}

/** Files of a drop, folders included (walked recursively when `recurse`; as top-level items otherwise). */
export async function filesFromDrop(data: DataTransfer, recurse: boolean): Promise<PickedFile[]> {
  if (!recurse) return Array.from(data.files, (file) => ({ file, relPath: file.name }))
  const entries = Array.from(data.items)
    .map((item) => item.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null)
  const out: PickedFile[] = []
  for (const entry of entries) await walk(entry, '', out)
  return out
}
