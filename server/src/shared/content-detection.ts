// Content detection: is this JSON text a login policy? Shared by the client (to switch a .json editor to the
// login-policy language) and the server (for editors that send plain JSON).

/**
 * True when the text is a JSON object with a top-level `identityStoreDetails` key. Cheap: a substring test first,
 * then a scan that stops at the first top-level key found.
 */
export function hasIdentityStoreDetails(text: string): boolean {
  if (!text.includes('"identityStoreDetails"')) return false;
  let depth = 0;
  let inString = false;
  let rootIsObject = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      if (depth === 0) rootIsObject = c === '{';
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === '"') {
      if (depth === 1 && rootIsObject && text.startsWith('"identityStoreDetails"', i)) {
        let j = i + '"identityStoreDetails"'.length;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] === ':') return true;
      }
      inString = true;
    }
  }
  return false;
}
