/** The live content size of an element (ResizeObserver), for layouts that compute columns in script. */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export function useElementSize(target: Ref<HTMLElement | null>): { width: Ref<number>; height: Ref<number> } {
  const width = ref(0)
  const height = ref(0)
  let observer: ResizeObserver | null = null
  onMounted(() => {
    if (!target.value) return
    observer = new ResizeObserver(([entry]) => {
      width.value = entry.contentRect.width
      height.value = entry.contentRect.height
    })
    observer.observe(target.value)
  })
  onBeforeUnmount(() => observer?.disconnect())
  return { width, height }
}
