// A small XML/HTML tokenizer for highlighted source. It only splits text into typed pieces; the
// webview turns each piece into a text node (never parsed as HTML).

export type MarkupTokenKind = 'text' | 'punct' | 'tag' | 'attr' | 'value' | 'comment' | 'doctype' | 'cdata' | 'pi';

export interface MarkupToken {
  readonly kind: MarkupTokenKind;
  readonly text: string;
}

/** Splits markup into tokens whose concatenation is exactly the input. */
export function tokenizeMarkup(source: string): MarkupToken[] {
  const tokens: MarkupToken[] = [];
  const push = (kind: MarkupTokenKind, text: string) => {
    if (text) tokens.push({ kind, text });
  };
  let i = 0;
  const n = source.length;
  while (i < n) {
    const lt = source.indexOf('<', i);
    if (lt < 0) {
      push('text', source.slice(i));
      break;
    }
    push('text', source.slice(i, lt));
    i = lt;
    const blocks: [string, string, MarkupTokenKind][] = [
      ['<!--', '-->', 'comment'],
      ['<![CDATA[', ']]>', 'cdata'],
      ['<?', '?>', 'pi'],
    ];
    const block = blocks.find(([open]) => source.startsWith(open, i));
    if (block) {
      const end = source.indexOf(block[1], i + block[0].length);
      const stop = end < 0 ? n : end + block[1].length;
      push(block[2], source.slice(i, stop));
      i = stop;
      continue;
    }
    if (source.startsWith('<!', i)) {
      const end = source.indexOf('>', i);
      const stop = end < 0 ? n : end + 1;
      push('doctype', source.slice(i, stop));
      i = stop;
      continue;
    }
    const nameMatch = /^<\/?([A-Za-z_:][\w:.-]*)/.exec(source.slice(i, i + 256));
    if (!nameMatch) {
      push('text', '<');
      i++;
      continue;
    }
    const opener = nameMatch[0].startsWith('</') ? '</' : '<';
    push('punct', opener);
    push('tag', nameMatch[1]);
    i += nameMatch[0].length;
    // Attributes until '>' (quoted values may contain '>').
    while (i < n) {
      const c = source[i];
      if (c === '>') {
        push('punct', '>');
        i++;
        break;
      }
      if (c === '/' && source[i + 1] === '>') {
        push('punct', '/>');
        i += 2;
        break;
      }
      if (c === '"' || c === "'") {
        const end = source.indexOf(c, i + 1);
        const stop = end < 0 ? n : end + 1;
        push('value', source.slice(i, stop));
        i = stop;
        continue;
      }
      if (c === '=') {
        push('punct', '=');
        i++;
        continue;
      }
      if (/\s/.test(c)) {
        let j = i + 1;
        while (j < n && /\s/.test(source[j])) j++;
        push('text', source.slice(i, j));
        i = j;
        continue;
      }
      let j = i;
      while (j < n && !/[\s=>"']/.test(source[j]) && !(source[j] === '/' && source[j + 1] === '>')) j++;
      if (j === i) j = i + 1;
      const word = source.slice(i, j);
      push(tokens[tokens.length - 1]?.text === '=' ? 'value' : 'attr', word);
      i = j;
    }
  }
  return tokens;
}
