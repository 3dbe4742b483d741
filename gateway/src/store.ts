// The gateway's embedded store: one JSON document per collection, written atomically, kept in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** A small persistent map. Writes are serialised and atomic (temp file + rename), readable by the owner only. */
export class JsonStore<T> {
  readonly #file: string;
  #data: Record<string, T>;
  #writing: Promise<void> = Promise.resolve();
  /** The file's mtime and size when last read or written here: a change means another process wrote it. */
  #seen = '';

  constructor(dir: string, name: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#file = path.join(dir, `${name}.json`);
    this.#data = fs.existsSync(this.#file) ? (JSON.parse(fs.readFileSync(this.#file, 'utf8')) as Record<string, T>) : {};
    this.#seen = this.#stat();
  }

  #stat(): string {
    try {
      const st = fs.statSync(this.#file);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return '';
    }
  }

  /** Re-reads the file when another process changed it; true when it did. One stat call otherwise. */
  reloadIfChanged(): boolean {
    const now = this.#stat();
    if (now === this.#seen) return false;
    this.reload();
    return true;
  }

  /** Re-reads the file: picks up what another process (the admin command) wrote. */
  private reload(): void {
    this.#seen = this.#stat();
    if (fs.existsSync(this.#file)) this.#data = JSON.parse(fs.readFileSync(this.#file, 'utf8')) as Record<string, T>;
  }

  get(key: string): T | undefined {
    return this.#data[key];
  }

  values(): T[] {
    return Object.values(this.#data);
  }

  async set(key: string, value: T): Promise<void> {
    this.#data[key] = value;
    await this.#flush();
  }

  async delete(key: string): Promise<void> {
    delete this.#data[key];
    await this.#flush();
  }

  /** Replaces every entry with what the function makes of it, in one write. */
  async transform(fn: (value: T) => T): Promise<void> {
    for (const [k, v] of Object.entries(this.#data)) this.#data[k] = fn(v);
    await this.#flush();
  }

  #flush(): Promise<void> {
    const snapshot = JSON.stringify(this.#data);
    this.#writing = this.#writing.then(async () => {
      await writeFileAtomic(this.#file, snapshot, { mode: 0o600 });
      this.#seen = this.#stat();
    });
    return this.#writing;
  }
}
