// Query strings arrive as text: numbers and flags are patterns here and converted when the input is built.
import { Type } from '@sinclair/typebox';

export const strict = { additionalProperties: false } as const;
export const QInt = Type.String({ pattern: '^[0-9]{1,4}$' });
export const QBool = Type.Union([Type.Literal('true'), Type.Literal('false')]);
export const Paging = { pageSize: Type.Optional(QInt), bookmark: Type.Optional(Type.String({ maxLength: 1024 })) };
export const Note = Type.String({ maxLength: 1000 });
export const RequiredNote = Type.String({ minLength: 1, maxLength: 1000 });

export const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
export const flag = (v: 'true' | 'false' | undefined): boolean | undefined => (v === undefined ? undefined : v === 'true');
/** Drops undefined fields: the chaincode's schemas refuse them. */
export const defined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
