/**
 * The one class palette: new projects from the UI, `labelloop new --classes` and the project store all
 * colour classes from it, so the same class list looks the same everywhere. The first class (by convention
 * the background) is a neutral grey that does not compete with the objects; the rest are saturated,
 * mutually distinct colours (Sasha Trubetskoy's list) that stay visible over natural imagery at the
 * editor's default overlay opacity.
 */

/** Class colours in the order new classes get them; index 0 is the neutral background grey. */
export const CLASS_PALETTE: readonly string[] = [
  '#8d8d8d', '#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6',
  '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324', '#800000', '#aaffc3',
]

/** Colour for class `index` when none was given; repeats after the palette's 16 entries. */
export function defaultClassColor(index: number): string {
  return CLASS_PALETTE[index % CLASS_PALETTE.length]
}

/** The mask overlay's default opacity in the editor: labels clearly visible, the image still readable under them. */
export const DEFAULT_OVERLAY_OPACITY = 0.55
