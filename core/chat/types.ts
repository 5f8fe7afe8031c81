/** The languages a chat speaks: Spanish first, English when the person reads it. */
export type Lang = 'es' | 'en'
