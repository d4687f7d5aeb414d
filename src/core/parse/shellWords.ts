// Splits a pasted command line into words the way the shell that it was copied for would: POSIX
// shells (bash, zsh: what "Copy as cURL", Postman and API docs give) or Windows cmd ("Copy as cURL
// (cmd)"). No npm package is used: shell-quote, the common one, has no `$'…'` quoting and keeps no
// offsets, and both are needed here (Chrome's bash copy uses `$'…'`; diagnostics point at a word).

/** One word after quotes and escapes are removed; `start`/`end` are offsets of its source text. */
export interface ShellWord {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface ShellWords {
  readonly words: readonly ShellWord[];
  /** The text ends inside quotes or with a line continuation: the command goes on on the next line. */
  readonly incomplete: boolean;
  /** Offset of a `|`, `;`, `&&` or `>` that ends the command (what follows is another shell command); absent when none. */
  readonly endOfCommand?: number;
}

/** cmd's continuation is `^` at the end of a line; Chrome's cmd copy also quotes with `^"`. */
const cmdShape = /\^\r?\n|^\s*curl\s+\^"/;

/** Splits `text` into shell words; POSIX rules unless the text is shaped for Windows cmd. */
export function splitShellWords(text: string): ShellWords {
  return cmdShape.test(text) ? splitCmdWords(text) : splitPosixWords(text);
}

/** bash rules: '…' literal, "…" with \\ \" \$ \` escapes, $'…' ANSI-C escapes, \ outside quotes, \-newline removed. */
function splitPosixWords(text: string): ShellWords {
  const words: ShellWord[] = [];
  let at = 0;
  while (at < text.length) {
    at = skipSpace(text, at);
    if (at >= text.length) break;
    if (isCommandEnd(text, at)) return { words, incomplete: false, endOfCommand: at };
    if (text[at] === '#') {
      // A comment runs to the end of the line.
      while (at < text.length && text[at] !== '\n') at++;
      continue;
    }
    const start = at;
    let value = '';
    let quoted = false;
    while (at < text.length && !/\s/.test(text[at])) {
      const char = text[at];
      if (char === '\\') {
        if (at + 1 >= text.length) return { words, incomplete: true };
        const next = lineBreakLength(text, at + 1);
        if (next === 0) value += text[at + 1];
        at += 1 + Math.max(next, 1);
      } else if (char === "'") {
        const close = text.indexOf("'", at + 1);
        if (close < 0) return { words, incomplete: true };
        value += text.slice(at + 1, close);
        quoted = true;
        at = close + 1;
      } else if (char === '$' && text[at + 1] === "'") {
        const read = readAnsiC(text, at + 2);
        if (!read) return { words, incomplete: true };
        value += read.value;
        quoted = true;
        at = read.end;
      } else if (char === '"') {
        const read = readDoubleQuoted(text, at + 1);
        if (!read) return { words, incomplete: true };
        value += read.value;
        quoted = true;
        at = read.end;
      } else if (isCommandEnd(text, at)) {
        break;
      } else {
        value += char;
        at++;
      }
    }
    // A lone `\`-newline is a continuation, not an empty word.
    if (value !== '' || quoted) words.push({ value, start, end: at });
  }
  return { words, incomplete: false };
}

/** cmd rules as curl.exe sees them: `^x` is x (`^`-newline continues the line), "…" groups, \" inside quotes is ". */
function splitCmdWords(text: string): ShellWords {
  const words: ShellWord[] = [];
  let at = 0;
  while (at < text.length) {
    at = skipSpace(text, at);
    if (at >= text.length) break;
    const start = at;
    let value = '';
    let quoted = false;
    let inQuotes = false;
    while (at < text.length && (inQuotes || !/\s/.test(text[at]))) {
      let char = text[at];
      if (char === '^') {
        if (at + 1 >= text.length) return { words, incomplete: true };
        const next = lineBreakLength(text, at + 1);
        if (next > 0) {
          at += 1 + next;
          continue;
        }
        char = text[at + 1];
        at++;
        // `^"` is a quote that cmd passes on, so curl.exe still sees it as one.
      }
      if (char === '"') {
        inQuotes = !inQuotes;
        quoted = true;
      } else if (char === '\\' && text[at + 1] === '"') {
        value += '"';
        at++;
      } else {
        value += char;
      }
      at++;
    }
    if (inQuotes) return { words, incomplete: true };
    if (value !== '' || quoted) words.push({ value, start, end: at });
  }
  return { words, incomplete: false };
}

function skipSpace(text: string, at: number): number {
  while (at < text.length) {
    if (/\s/.test(text[at])) at++;
    else if (text[at] === '\\' && lineBreakLength(text, at + 1) > 0) at += 1 + lineBreakLength(text, at + 1);
    else break;
  }
  return at;
}

function lineBreakLength(text: string, at: number): number {
  if (text[at] === '\n') return 1;
  if (text[at] === '\r') return text[at + 1] === '\n' ? 2 : 1;
  return 0;
}

function isCommandEnd(text: string, at: number): boolean {
  const char = text[at];
  return char === '|' || char === ';' || char === '>' || (char === '&' && text[at + 1] === '&');
}

/** Inside "…": backslash escapes only $ ` " \ and the line break. */
function readDoubleQuoted(text: string, at: number): { value: string; end: number } | undefined {
  let value = '';
  while (at < text.length) {
    const char = text[at];
    if (char === '"') return { value, end: at + 1 };
    if (char === '\\' && at + 1 < text.length) {
      const next = text[at + 1];
      const lineBreak = lineBreakLength(text, at + 1);
      if (lineBreak > 0) {
        at += 1 + lineBreak;
        continue;
      }
      if ('$`"\\'.includes(next)) {
        value += next;
        at += 2;
        continue;
      }
    }
    value += char;
    at++;
  }
  return undefined;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
};

/** Inside $'…' (bash's ANSI-C quoting, used by Chrome for values with quotes or control characters). */
function readAnsiC(text: string, at: number): { value: string; end: number } | undefined {
  let value = '';
  while (at < text.length) {
    const char = text[at];
    if (char === "'") return { value, end: at + 1 };
    if (char !== '\\' || at + 1 >= text.length) {
      value += char;
      at++;
      continue;
    }
    const next = text[at + 1];
    if (next in simpleEscapes) {
      value += simpleEscapes[next];
      at += 2;
      continue;
    }
    const numeric = /^(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3}))/.exec(text.slice(at + 1, at + 10));
    if (numeric) {
      const [whole, hex, unicode, longUnicode, octal] = numeric;
      const code = hex ? parseInt(hex, 16) : unicode ? parseInt(unicode, 16) : longUnicode ? parseInt(longUnicode, 16) : parseInt(octal, 8);
      value += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      at += 1 + whole.length;
      continue;
    }
    value += char + next;
    at += 2;
  }
  return undefined;
}
