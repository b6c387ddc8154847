import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Span, spansFromTags, tagsFromSpans } from '../tags/spans.js';
import { tagSchemes } from '../tags/tag.js';
import { findSchemeViolation } from '../tags/validate.js';
import { strictSpans } from './strict-spans.js';

/** Random non-overlapping spans over a sentence: a list of (gap, length, type) steps. */
const sentenceSpans = fc
  .array(fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 4 }), fc.constantFrom('PER', 'LOC', 'B-X')), { maxLength: 8 })
  .chain((steps) => {
    const spans: Span[] = [];
    let at = 0;
    for (const [gap, length, type] of steps) {
      spans.push({ type, start: at + gap, end: at + gap + length });
      at += gap + length;
    }
    return fc.tuple(
      fc.constant(spans),
      fc.nat(3).map((tail) => at + tail),
    );
  });

describe('well-formed tags: every reading agrees (property)', () => {
  for (const scheme of tagSchemes) {
    it(`${scheme}: written spans come back from the lenient and the strict reading`, () => {
      fc.assert(
        fc.property(sentenceSpans, ([spans, length]) => {
          const tags = tagsFromSpans(spans, length, scheme);
          assert.equal(findSchemeViolation(tags, scheme), undefined);
          assert.deepEqual(
            strictSpans(tags, scheme, (i) => `t${i}`),
            spans,
          );
          assert.deepEqual(spansFromTags(tags), spans);
        }),
        { numRuns: 300, seed: 11 },
      );
    });
  }
});
