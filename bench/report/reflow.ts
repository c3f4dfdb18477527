function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  // Keep a number with its unit ("133.9 ms") on one line.
  const words: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const previous = words[words.length - 1];
    // ...and never start a line with something Markdown would read as a list item or heading.
    const unit = /\d$/.test(previous ?? '') && /^(ms|s|MiB|KiB|B|%|cores)\b/.test(word);
    const marker = /^([-+*#>]|\d+[.)])$/.test(word);
    if (previous && (unit || marker)) words[words.length - 1] = `${previous} ${word}`;
    else words.push(word);
  }
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Re-wraps prose paragraphs and list items to `width` columns (the sections are written with
 * numbers spliced into fixed lines); headings, tables and comments are left alone.
 */
export function reflow(markdown: string, width = 100): string {
  return markdown
    .split(/\n{2,}/)
    .map((block) => {
      if (/^(#|\||<!--)/.test(block)) return block;
      if (block.startsWith('- ')) {
        return block
          .split(/\n(?=- )/)
          .map((item) => wrap(item.slice(2), width, '- ', '  ').join('\n'))
          .join('\n');
      }
      return wrap(block, width, '', '').join('\n');
    })
    .join('\n\n');
}
