export * from './errors'
export * from './model'
export * from './api'
export * from './train'
