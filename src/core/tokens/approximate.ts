// Han, Hiragana, Katakana, Hangul, CJK punctuation and full-width forms: about one token each.
const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

/**
 * A character-based estimate for models whose tokenizer Parlance does not ship: one token per
 * CJK character, one per four other characters (rounded up).
 */
export function approximateTokenCount(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    if (CJK.test(ch)) cjk++;
    else other++;
  }
  return cjk + Math.ceil(other / 4);
}
