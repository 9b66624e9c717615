/** The shape of a catalogue with any words in it: an English catalogue must have every key of the Japanese one. */
export type Words<T> = { readonly [K in keyof T]: T[K] extends string ? string : Words<T[K]> };
