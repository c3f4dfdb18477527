/**
 * The kind of weakness a report describes, read from its words and CWE ids. Two reports about
 * the same package that describe different kinds (an XSS and a ReDoS) are rarely one bug, however
 * much vocabulary they share; the same kind is a reason a person can check.
 */
const classes: Array<{ name: string; words: RegExp; cwes: number[] }> = [
  { name: 'cross-site scripting', words: /\b(xss|cross[- ]site scripting)\b/i, cwes: [79, 80] },
  { name: 'SQL injection', words: /\bsql[- ]?injection|\bsqli\b/i, cwes: [89] },
  {
    name: 'command injection',
    words: /\b(command|shell|os command|argument) injection\b/i,
    cwes: [77, 78, 88],
  },
  {
    name: 'code execution',
    words: /\b(code injection|(arbitrary|remote) code execution|execute arbitrary code|\brce\b)/i,
    cwes: [94, 95],
  },
  {
    name: 'path traversal',
    words: /\b(path|directory) traversal\b|\.\.\/|zip ?slip/i,
    cwes: [22, 23, 35],
  },
  {
    name: 'server-side request forgery',
    words: /\b(ssrf|server[- ]side request forgery)\b/i,
    cwes: [918],
  },
  {
    name: 'cross-site request forgery',
    words: /\b(csrf|cross[- ]site request forgery)\b/i,
    cwes: [352],
  },
  {
    name: 'open redirect',
    words: /\bopen redirect|\bredirect(ion)? to (an )?(untrusted|arbitrary)/i,
    cwes: [601],
  },
  { name: 'XML external entities', words: /\b(xxe|xml external entit)/i, cwes: [611] },
  { name: 'deserialization', words: /\bdeseriali[sz]/i, cwes: [502] },
  { name: 'prototype pollution', words: /\bprototype pollution\b/i, cwes: [1321] },
  {
    name: 'regular expression denial of service',
    words:
      /\b(redos|regular expression denial|catastrophic backtracking|exponential backtracking)/i,
    cwes: [1333],
  },
  {
    name: 'memory corruption',
    words:
      /\b(buffer (over|under)(flow|read|run)|heap[- ](buffer[- ])?overflow|stack[- ](buffer[- ])?overflow|out[- ]of[- ]bounds|use[- ]after[- ]free|double free|memory corruption)/i,
    cwes: [119, 120, 121, 122, 125, 787, 416, 415],
  },
  {
    name: 'null pointer dereference',
    words: /\bnull pointer|\bnil pointer|null dereference/i,
    cwes: [476],
  },
  {
    name: 'integer overflow',
    words: /\binteger (over|under)flow|wrap-?around\b/i,
    cwes: [190, 191],
  },
  {
    name: 'authentication or authorization bypass',
    words:
      /\b(auth(entication|orization)? bypass|bypass(es)? (the )?auth|improper (authentication|authorization|access control)|privilege escalation|unauthori[sz]ed access)/i,
    cwes: [284, 285, 287, 288, 862, 863, 269],
  },
  {
    name: 'information disclosure',
    words:
      /\b(information (disclosure|exposure|leak)|sensitive (data|information)|leaks?\b|exposes?\b)/i,
    cwes: [200, 201, 532, 209],
  },
  {
    name: 'timing side channel',
    words: /\btiming (attack|side[- ]channel)|constant[- ]time/i,
    cwes: [208],
  },
  {
    name: 'denial of service',
    words:
      /\b(denial[- ]of[- ]service|\bdos\b|resource exhaustion|infinite loop|unbounded|out[- ]of[- ]memory|\boom\b|excessive (memory|cpu)|panic|crash)/i,
    cwes: [400, 770, 835, 674, 1050],
  },
];

/** The weakness classes a text names, each once, in the order of the list above. */
export function weaknessClasses(text: string, cweIds: readonly string[] = []): string[] {
  const cwes = new Set(cweIds.map((id) => Number(id.replace(/^CWE-/i, ''))));
  return classes
    .filter((c) => c.words.test(text) || c.cwes.some((n) => cwes.has(n)))
    .map((c) => c.name);
}
