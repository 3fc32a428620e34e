/** A file's text split into what recast sees and what must be restored byte for byte. */
export interface FileText {
  bom: boolean;
  eol: '\n' | '\r\n';
  body: string;
}

export function splitFileText(raw: string): FileText {
  const bom = raw.charCodeAt(0) === 0xfeff;
  const body = bom ? raw.slice(1) : raw;
  return { bom, eol: body.includes('\r\n') ? '\r\n' : '\n', body };
}

export function joinFileText(t: FileText, body: string): string {
  return (t.bom ? '\uFEFF' : '') + body;
}
