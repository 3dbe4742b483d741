// Settings from the environment, checked at start: each process declares the variables it reads in a TypeBox
// schema, and a bad value is refused naming the variable, the value and what it must be (not silently NaN).
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** A whole number from `minimum` to `maximum`. */
export const WholeSetting = (minimum: number, maximum: number, description: string) =>
  Type.Integer({ minimum, maximum, description: `${description}: a whole number from ${minimum} to ${maximum}` });

/** A TCP port. */
export const PortSetting = (description: string) => WholeSetting(1, 65_535, description);

/** One of a few words. */
export const WordSetting = <T extends string>(words: readonly T[], description: string) =>
  Type.Union(
    words.map((w) => Type.Literal(w)),
    { description: `${description}: one of ${words.join(', ')}` },
  );

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The variables `schema` names, as set in `env` (unset and empty ones are left out, for the caller's defaults),
 * whole numbers read as numbers and each checked. Refuses every bad one at once, each with its variable, value and rule.
 */
export function readSettings<T extends TObject>(schema: T, env: NodeJS.ProcessEnv): Partial<Static<T>> {
  const given: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') given[name] = value;
  }
  // Whole numbers are written as such ("2.5", "1k" and "1e3" stay text, and are refused as not whole numbers).
  const converted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const integer = (schema.properties[name] as TSchema | undefined)?.type === 'integer';
    converted[name] = integer && /^-?[0-9]{1,15}$/.test(value) ? Number(value) : value;
  }
  const bad = new Set<string>();
  for (const e of Value.Errors(Type.Partial(schema), converted)) bad.add(e.path.split('/')[1] ?? e.path);
  if (bad.size > 0) {
    const lines = [...bad].map((name) => {
      const rule = (schema.properties[name] as TSchema | undefined)?.description ?? 'not a value it takes';
      return `${name}=${JSON.stringify(given[name])}: ${rule}`;
    });
    throw new SettingsError(`bad settings: ${lines.join('; ')}`);
  }
  return converted as Partial<Static<T>>;
}
