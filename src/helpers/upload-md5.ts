// MD5 for the uploads: OBS checks every part against its Content-MD5 (base64 of the digest) and answers the part's
// hex MD5 as its ETag, and the completed object's ETag is MD5(digest 1 … digest N)-N. WebCrypto has no MD5, so where
// node:crypto is available (Node, Deno, Bun, looked up at run time so that a browser bundle never sees it) it is used,
// and elsewhere (browsers) a small incremental implementation in plain TypeScript (RFC 1321) does the work.

export interface Md5 {
  update(bytes: Uint8Array): void;
  /** The 16-byte digest; the hash cannot be updated afterwards. */
  digest(): Uint8Array;
}

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
}
type CreateHash = (algorithm: string) => NodeHash;

let nodeCreateHash: CreateHash | null | undefined;
function builtinCreateHash(): CreateHash | null {
  if (nodeCreateHash !== undefined) return nodeCreateHash;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const crypto = proc?.getBuiltinModule?.('node:crypto') as { createHash?: CreateHash } | undefined;
    nodeCreateHash = typeof crypto?.createHash === 'function' ? crypto.createHash : null;
  } catch {
    nodeCreateHash = null;
  }
  return nodeCreateHash;
}

/** A new incremental MD5: node:crypto's where the runtime has it, else the pure TypeScript one. */
export function createMd5(options: { pure?: boolean } = {}): Md5 {
  const createHash = options.pure ? null : builtinCreateHash();
  if (createHash) {
    const hash = createHash('md5');
    return {
      update: (bytes) => void hash.update(bytes),
      digest: () => new Uint8Array(hash.digest()),
    };
  }
  return new PureMd5();
}

export function md5(bytes: Uint8Array, options?: { pure?: boolean }): Uint8Array {
  const hash = createMd5(options);
  hash.update(bytes);
  return hash.digest();
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The ETag OBS (and S3) gives an object completed from parts with these hex MD5s: MD5(d1 … dN) in hex, "-N". */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  const hash = createMd5();
  for (const hex of partMd5Hex) hash.update(hexToBytes(hex));
  return `${toHex(hash.digest())}-${partMd5Hex.length}`;
}

// Per-round shift amounts and the constants K[i] = floor(abs(sin(i + 1)) * 2^32) of RFC 1321.
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** RFC 1321 MD5 over 64-byte blocks, fed incrementally. */
class PureMd5 implements Md5 {
  private a = 0x67452301;
  private b = 0xefcdab89;
  private c = 0x98badcfe;
  private d = 0x10325476;
  private readonly block = new Uint8Array(64);
  private readonly words = new Uint32Array(16);
  private used = 0;
  private length = 0; // bytes hashed so far
  private done = false;

  update(bytes: Uint8Array): void {
    if (this.done) throw new Error('MD5: update after digest');
    this.length += bytes.length;
    let offset = 0;
    if (this.used) {
      const take = Math.min(64 - this.used, bytes.length);
      this.block.set(bytes.subarray(0, take), this.used);
      this.used += take;
      offset = take;
      if (this.used < 64) return;
      this.compress(this.block, 0);
      this.used = 0;
    }
    for (; offset + 64 <= bytes.length; offset += 64) this.compress(bytes, offset);
    if (offset < bytes.length) {
      this.block.set(bytes.subarray(offset), 0);
      this.used = bytes.length - offset;
    }
  }

  digest(): Uint8Array {
    if (this.done) throw new Error('MD5: digest called twice');
    const bits = this.length * 8;
    const padding = new Uint8Array(((this.used < 56 ? 56 : 120) - this.used));
    padding[0] = 0x80;
    const tail = new Uint8Array(8);
    // The message length in bits, little-endian 64-bit (exact up to 2^53 bits).
    const low = bits >>> 0;
    const high = Math.floor(bits / 2 ** 32) >>> 0;
    for (let i = 0; i < 4; i++) {
      tail[i] = (low >>> (8 * i)) & 0xff;
      tail[4 + i] = (high >>> (8 * i)) & 0xff;
    }
    const length = this.length;
    this.update(padding);
    this.update(tail);
    this.length = length;
    this.done = true;
    const out = new Uint8Array(16);
    [this.a, this.b, this.c, this.d].forEach((word, i) => {
      for (let j = 0; j < 4; j++) out[4 * i + j] = (word >>> (8 * j)) & 0xff;
    });
    return out;
  }

  private compress(bytes: Uint8Array, offset: number): void {
    const w = this.words;
    for (let i = 0; i < 16; i++) {
      const o = offset + 4 * i;
      w[i] = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24);
    }
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const s = S[(i >> 4) * 4 + (i % 4)]!;
      const sum = (a + f + K[i]! + w[g]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    }
    this.a = (this.a + a) | 0;
    this.b = (this.b + b) | 0;
    this.c = (this.c + c) | 0;
    this.d = (this.d + d) | 0;
  }
}
