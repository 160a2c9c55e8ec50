/** Default class colours: the contract's one palette (core/contract/palette.ts), shared with the UI and the CLI. */
export { defaultClassColor } from '../contract/palette'
