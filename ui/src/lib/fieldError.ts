// A form's error tied to the field it concerns, for screen readers: that field is marked
// invalid (`aria-invalid`) and the error is in its description (`aria-describedby`), after
// the field's hint. A reader on the field hears what is wrong with it, not only the alert.
import { getContext, setContext } from 'svelte';
import type { IpcError } from './api';

/** A field's `aria-describedby`: the ids given, in order, without the missing ones; undefined
 *  (the attribute left out) when none is left. Pass the error's id only while the error is
 *  shown, so that the field never names an element that is not there. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const shown = ids.filter((id): id is string => Boolean(id));
  return shown.length > 0 ? shown.join(' ') : undefined;
}

/** A field's two error attributes, to spread on it: invalid while `inError`, and described by
 *  its `hints`, then by the error (`errorId`) while `inError`. One call keeps them in step. */
export function errorAttributes(
  inError: boolean,
  errorId: string | null | undefined,
  ...hints: string[]
): { 'aria-invalid': boolean; 'aria-describedby': string | undefined } {
  return { 'aria-invalid': inError, 'aria-describedby': describedBy(...hints, inError && errorId) };
}

export interface FieldRules<F extends string> {
  /** The field an error naming no field concerns (a one-field form's field, a wrong password
   *  on a form where the password is what is checked). None: such an error marks no field. */
  main?: F;
  /** The fields some codes concern, whatever field the error names: checked first. For the
   *  errors that name the same field for two inputs (a passcode too short and a wrong one). */
  byCode?: Partial<Record<IpcError['code'], readonly F[]>>;
}

/** The fields of a form that `error` concerns: those its code is known to concern, else the
 *  field it names when the form has it, else, when it names none, the form's main field. */
export function fieldsInError<F extends string>(
  error: IpcError | null | undefined,
  fields: readonly F[],
  rules: FieldRules<F> = {},
): F[] {
  if (!error) return [];
  const known = rules.byCode?.[error.code];
  if (known) return [...known];
  if (error.field !== undefined) return fields.filter((field) => field === error.field);
  return rules.main ? [rules.main] : [];
}

// A scan's error shows once, above its results, where the component that shows the scan puts
// it; a result with a field of its own (a container's passphrase) points at it by this id.
const scanErrorKey = Symbol('scan error id');

/** Called by the component that shows a scan's error: the id that error's element has. */
export function setScanErrorId(id: string): void {
  setContext(scanErrorKey, id);
}

/** The id of the scan's error element, when a component above said it. */
export function scanErrorId(): string | undefined {
  return getContext<string | undefined>(scanErrorKey);
}
