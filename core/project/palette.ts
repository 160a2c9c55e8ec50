/** Default class colours: distinct on a dark canvas and distinguishable for common colour blindness. */
const PALETTE = [
  '#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6',
  '#bcf60c', '#fabebe', '#008080', '#e6beff', '#9a6324', '#fffac8', '#800000', '#aaffc3',
  '#808000', '#ffd8b1', '#000075', '#808080',
]

/** Colour for class `index` when the user gave none; repeats after the palette's 20 entries. */
export function defaultClassColor(index: number): string {
  return PALETTE[index % PALETTE.length]
}
