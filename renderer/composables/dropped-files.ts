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
  // Entries and files must be taken while the drop event is being handled, before any await.
  const taken = Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }))
  const out: PickedFile[] = []
  for (const { entry, file } of taken) {
    if (entry) await walk(entry, '', out)
    else if (file) out.push({ file, relPath: file.name })
  }
  return out
}
