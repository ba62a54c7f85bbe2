// Duplicate object keys of a JSON text, each named by its JSON Pointer (config/LOADING.md step 2).
// JSON.parse keeps the last of two equal keys silently; the fingerprint (RFC 8785) assumes there are none.

/**
 * The pointer of every key that appears more than once in its object, in document order, each once.
 * `text` must already have parsed as JSON: this walk only tracks strings, brackets and keys.
 */
export function duplicateKeys(text: string): string[] {
  const found: string[] = [];
  // One frame per open container: the keys seen so far (objects only), its pointer, the next index.
  const frames: { keys: Set<string> | null; pointer: string; index: number; key: string | null }[] = [];
  let expectKey = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    const frame = frames[frames.length - 1];
    if (char === '"') {
      const end = stringEnd(text, at);
      if (expectKey && frame?.keys) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        const pointer = `${frame.pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
        if (frame.keys.has(key) && !found.includes(pointer)) {
          found.push(pointer);
        }
        frame.keys.add(key);
        frame.key = pointer;
        expectKey = false;
      }
      at = end;
    } else if (char === "{" || char === "[") {
      const pointer = frame === undefined ? "" : frame.keys ? (frame.key ?? "") : `${frame.pointer}/${frame.index}`;
      frames.push({ keys: char === "{" ? new Set() : null, pointer, index: 0, key: null });
      expectKey = char === "{";
    } else if (char === "}" || char === "]") {
      frames.pop();
    } else if (char === ",") {
      if (frame?.keys) {
        expectKey = true;
      } else if (frame) {
        frame.index++;
      }
    }
  }
  return found;
}

function stringEnd(text: string, start: number): number {
  let at = start + 1;
  while (text[at] !== '"') {
    at += text[at] === "\\" ? 2 : 1;
  }
  return at;
}
