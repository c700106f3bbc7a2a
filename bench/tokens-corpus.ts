// Deterministic text for the token benchmarks: pseudo-random English and Chinese of a given size.

const EN =
  `the of and to in is that for it as with was on be by this are at from or have an they which one you
were all we her she there been if more when will would who so no model token context window reply prompt message
conversation history budget count encode worker thread browser react component render state network stream chunk
server request response error retry timeout people time year way day thing man world life hand part child eye
woman place work week case point government company number group problem fact`.split(/\s+/);
const ZH = `的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严`;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** About `bytes` of English prose with punctuation, numbers and paragraphs. */
export function englishText(bytes: number, seed = 1): string {
  const r = rng(seed);
  const parts: string[] = [];
  let size = 0;
  let sentence = 0;
  while (size < bytes) {
    let w = EN[Math.floor(r() * EN.length)]!;
    if (sentence === 0) w = w[0]!.toUpperCase() + w.slice(1);
    if (r() < 0.02) w = String(Math.floor(r() * 10_000));
    sentence++;
    const end = sentence > 6 && r() < 0.15;
    const piece = w + (end ? (r() < 0.1 ? '.\n\n' : '. ') : r() < 0.08 ? ', ' : ' ');
    if (end) sentence = 0;
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('');
}

/** About `bytes` (UTF-8) of Chinese text with punctuation. */
export function chineseText(bytes: number, seed = 2): string {
  const r = rng(seed);
  const chars = [...ZH];
  const parts: string[] = [];
  let size = 0;
  let run = 0;
  while (size < bytes) {
    let c = chars[Math.floor(r() * chars.length)]!;
    run++;
    if (run > 8 && r() < 0.12) {
      c += r() < 0.5 ? '，' : '。';
      run = 0;
    }
    parts.push(c);
    size += new TextEncoder().encode(c).length;
  }
  return parts.join('');
}

/** A conversation of `n` messages: a system message, then alternating user and assistant turns. */
export function longConversation(n: number): { role: string; content: string }[] {
  const out = [{ role: 'system', content: 'You are a helpful assistant. Answer briefly.' }];
  for (let i = 1; i < n; i++) {
    const text = i % 5 === 0 ? chineseText(300, i) : englishText(200 + (i % 7) * 150, i);
    out.push({ role: i % 2 ? 'user' : 'assistant', content: text });
  }
  return out;
}
