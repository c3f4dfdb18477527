// The two text libraries ship no types; these are the parts the detector uses.
declare module 'wink-porter2-stemmer' {
  /** The Porter2 (Snowball English) stem of one lower-case word. */
  function stem(word: string): string;
  export = stem;
}

declare module 'stopword' {
  /** English stop words (lower case). */
  export const eng: string[];
}
