/**
 * A counter bumped whenever the project's band choice redraws display renditions and thumbnails. Image
 * URLs stay the same across a redraw, and a browser may keep showing an image it already holds for a
 * URL, so views append `?v=<version>` ({@link versioned}) to get the new pixels.
 */
import { ref } from 'vue'

export const displayVersion = ref(0)

/** `url` with the display version as a query (unchanged until the first redraw). */
export function versioned(url: string): string {
  return displayVersion.value === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}v=${displayVersion.value}`
}
