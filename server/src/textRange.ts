/** A half-open range of UTF-16 offsets into a document's text: [start, end). */
export interface TextRange {
  start: number;
  end: number;
}
