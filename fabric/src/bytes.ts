// Fabric's messages as JSON carries them: bytes as base64 (evidence bundles, offline signing), and hashes as hex.

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const fromBase64 = (text: string): Uint8Array => Buffer.from(text, 'base64');
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
