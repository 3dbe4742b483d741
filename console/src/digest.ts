// Attachments are hashed in the browser: only the name and SHA-256 go to the chain, never the file.
export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function hashFiles(files: FileList | readonly File[]): Promise<{ name: string; sha256: string }[]> {
  return Promise.all([...files].map(async (f) => ({ name: f.name.slice(0, 200), sha256: await sha256Hex(await f.arrayBuffer()) })));
}
