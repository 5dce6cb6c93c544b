import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useSandboxTestData } from '../../sandbox.ts';
import { legalFieldError, sandboxWords, idvWords as w } from '../../words.ts';
import { StepHeading } from './StepHeading.tsx';

type Field = 'legal_first_name' | 'legal_last_name' | 'dob' | 'address' | 'phone';
type Values = Record<Field, string>;

const FIELDS: { name: Field; label: string; type: string; autoComplete: string; hint?: string }[] = [
  { name: 'legal_first_name', label: w.firstName, type: 'text', autoComplete: 'given-name' },
  { name: 'legal_last_name', label: w.lastName, type: 'text', autoComplete: 'family-name' },
  { name: 'dob', label: w.dob, type: 'date', autoComplete: 'bday' },
  { name: 'address', label: w.address, type: 'text', autoComplete: 'street-address', hint: w.addressHint },
  { name: 'phone', label: w.phone, type: 'tel', autoComplete: 'tel', hint: w.phoneHint },
];

const PHONE = /^\+?[0-9 ()-]{7,20}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The same rules as the server's (machines/seeker.ts), so most mistakes are caught before sending. */
function check(values: Values): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const { name } of FIELDS) if (!values[name].trim()) errors[name] = legalFieldError[name].missing;
  if (values.legal_first_name.trim().length > 100) errors.legal_first_name = legalFieldError.legal_first_name.invalid;
  if (values.legal_last_name.trim().length > 100) errors.legal_last_name = legalFieldError.legal_last_name.invalid;
  if (values.dob && !errors.dob) {
    const adult = new Date(Date.now() - 18 * 365.25 * 86_400_000).toISOString().slice(0, 10);
    if (!DAY.test(values.dob) || values.dob < '1900-01-01' || values.dob > adult) errors.dob = legalFieldError.dob.invalid;
  }
  if (values.address.trim() && (values.address.trim().length < 5 || values.address.trim().length > 300)) errors.address = legalFieldError.address.invalid;
  if (values.phone.trim() && !PHONE.test(values.phone.trim())) errors.phone = legalFieldError.phone.invalid;
  return errors;
}

/** The seeker's legal information (I3): labelled fields, checked here, then sent once. */
export function LegalInfoForm({ disabled, onSubmit }: { disabled: boolean; onSubmit: (values: Values) => Promise<unknown> }) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>({ legal_first_name: '', legal_last_name: '', dob: '', address: '', phone: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  const focusFirst = (invalid: Partial<Record<Field, string>>) => {
    const first = FIELDS.find((f) => invalid[f.name]);
    if (first) form.current?.querySelector<HTMLInputElement>(`[name="${first.name}"]`)?.focus();
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setRefusal(undefined);
    const invalid = check(values);
    setErrors(invalid);
    if (Object.keys(invalid).length > 0) {
      setRefusal(w.fixFields);
      focusFirst(invalid);
      return;
    }
    setBusy(true);
    try {
      await onSubmit({
        ...values,
        legal_first_name: values.legal_first_name.trim(),
        legal_last_name: values.legal_last_name.trim(),
        address: values.address.trim(),
        phone: values.phone.trim(),
      });
    } catch (error) {
      const fromServer: Partial<Record<Field, string>> = {};
      if (error instanceof ApiError) {
        for (const f of error.fields) {
          const name = f.path.split('.').pop() as Field;
          if (legalFieldError[name]) fromServer[name] = legalFieldError[name].invalid;
        }
      }
      setErrors(fromServer);
      // The server's field complaints are put into words beside each field.
      setRefusal(error instanceof ApiError && error.code === 'invalid_request' && Object.keys(fromServer).length > 0 ? w.fixFields : (error as Error).message);
      focusFirst(fromServer);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} className="legal-form" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <StepHeading id={`${id}-title`}>{w.legalTitle}</StepHeading>
      <p>{w.legalHelp}</p>
      {refusal && <Notice>{refusal}</Notice>}
      <div className="fields">
        {FIELDS.map((f) => {
          const error = errors[f.name];
          const described = [f.hint && `${id}-${f.name}-hint`, error && `${id}-${f.name}-error`].filter(Boolean).join(' ') || undefined;
          return (
            <div className={`field ${f.name}`} key={f.name}>
              <label htmlFor={`${id}-${f.name}`}>{f.label}</label>
              {f.hint && (
                <small id={`${id}-${f.name}-hint`} className="muted">
                  {f.hint}
                </small>
              )}
              <input
                id={`${id}-${f.name}`}
                name={f.name}
                type={f.type}
                autoComplete={f.autoComplete}
                inputMode={f.type === 'tel' ? 'tel' : undefined}
                max={f.type === 'date' ? new Date().toISOString().slice(0, 10) : undefined}
                required
                aria-required="true"
                aria-invalid={error ? true : undefined}
                aria-describedby={described}
                value={values[f.name]}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
              {error && (
                <small id={`${id}-${f.name}-error`} className="field-error">
                  {error}
                </small>
              )}
            </div>
          );
        })}
      </div>
      <p className="muted">{w.legalLockWarning}</p>
      <SandboxLegalData />
      <button type="submit" disabled={disabled || busy}>
        {w.submitLegal}
      </button>
    </form>
  );
}

/** While the sandboxes run, the legal information that walks each path. */
function SandboxLegalData() {
  const data = useSandboxTestData();
  if (!data?.prove && !data?.veriff) return null;
  return (
    <aside className="sandbox-note" aria-label={sandboxWords.title}>
      <strong>{sandboxWords.title}</strong>
      {data.prove && <p>{sandboxWords.phones(data.prove.phone_endings)}</p>}
      {data.veriff && <p>{sandboxWords.lastNames(data.veriff.last_names)}</p>}
    </aside>
  );
}
