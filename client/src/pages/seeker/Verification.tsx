import { type FormEvent, useId, useRef, useState } from 'react';
import type { ActorView } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate, useLocation } from '../../router.ts';
import { useSandboxTestData } from '../../sandbox.ts';
import { useAction } from '../../use-action.ts';
import { idvBanner, idvMessage, idvStatusLabel, legalFieldError, sandboxWords, idvWords as w, when } from '../../words.ts';
import { IDENTITY_TAB, type IdvStatus, type IdvStep, PENDING_IDV, useLatestView } from './idv.ts';
import { LegalInfoForm } from './LegalInfoForm.tsx';
import { LegalInformation, type LegalInfoView } from './LegalInformation.tsx';
import { PhoneHandoff, PhoneNeeded } from './PhoneHandoff.tsx';
import { StepHeading } from './StepHeading.tsx';

const STEP_INDEX: Record<string, number> = { legal_info: 0, prove_checking: 1, sms_code: 1, veriff_starting: 2, veriff_capture: 2, veriff_decision: 2 };

/** What the live region says while a vendor is working. */
const PROGRESS: Partial<Record<string, { text: string; help: string }>> = {
  prove_checking: { text: w.proveChecking, help: w.proveCheckingHelp },
  veriff_starting: { text: w.veriffStarting, help: w.proveCheckingHelp },
  veriff_decision: { text: w.veriffDecision, help: w.veriffDecisionHelp },
};

/**
 * The seeker's identity verification (I2–I8), driven by `idv_status` and `idv.step` and kept
 * current from the socket: the prompt, legal information, Prove's phone check and SMS code,
 * Veriff's document and selfie, the decision, and cancelling with its confirmation.
 */
export function Verification({ seeker }: { seeker: ActorView }) {
  const { view, command } = useLatestView(seeker);
  const action = useAction();
  const url = useLocation();
  const status = view.data.idv_status as IdvStatus;
  const idv = view.data.idv as { step: IdvStep; session_url: string | null; resubmission: boolean; message: string | null; verified_at: string | null };
  const legalInfo = view.data.legal_info as LegalInfoView | null | undefined;
  const closed = view.data.account_status === 'closed';
  const can = (type: string) => view.can.includes(type);

  // While the confirmation is open the view names no other step; the steps go on underneath.
  const lastStep = useRef<IdvStep>(null);
  if (idv.step && idv.step !== 'confirming_cancel') lastStep.current = idv.step;
  const step = status === 'in_progress' ? idv.step : null;
  const progress = step ? PROGRESS[step] : undefined;

  return (
    <div className={`identity-page${legalInfo ? ' with-legal' : ''}`}>
      <section className="card identity" aria-labelledby="idv-title">
        <h1 id="idv-title">{w.heading}</h1>
        <p className="status-line">
          {w.status}:{' '}
          <strong className={`badge idv-${status}`} data-testid="idv-status" data-status={status}>
            {idvStatusLabel[status] ?? status}
          </strong>
        </p>
        {status === 'in_progress' && <Steps current={STEP_INDEX[(step === 'confirming_cancel' ? lastStep.current : step) ?? ''] ?? 0} />}

        {/* One live region for the vendor steps, present throughout so every change is announced. */}
        <div className="progress" role="status" aria-live="polite">
          {progress && (
            <>
              <p className="progress-text">
                <span className="spinner" aria-hidden="true" /> {progress.text}
              </p>
              <p className="muted">{progress.help}</p>
            </>
          )}
        </div>
        {action.error && <Notice>{action.error}</Notice>}

        {(status === 'required' || status === 'not_required') && closed && <Notice tone="info">{w.closed}</Notice>}
        {status === 'required' && !closed && (
          <>
            {idv.message && <Notice tone="info">{idvMessage[idv.message] ?? idv.message}</Notice>}
            <p>{w.intro}</p>
            <PhoneNeeded />
            <button type="button" disabled={action.busy || !can('START_VERIFICATION')} onClick={() => action.run(() => command('START_VERIFICATION'))}>
              {w.start}
            </button>
          </>
        )}
        {status === 'not_required' && !closed && (
          <>
            <Notice tone="success">{w.notRequired}</Notice>
            <p>{w.voluntary}</p>
            <button
              type="button"
              className="secondary"
              disabled={action.busy || !can('START_VERIFICATION')}
              onClick={() => action.run(() => command('START_VERIFICATION'))}
            >
              {w.startVoluntary}
            </button>
          </>
        )}
        {status === 'cancelled' && (
          <>
            <StepHeading>{w.cancelledTitle}</StepHeading>
            <p>{w.cancelledHelp}</p>
            {!closed && (
              <button type="button" disabled={action.busy || !can('START_VERIFICATION')} onClick={() => action.run(() => command('START_VERIFICATION'))}>
                {w.startAgain}
              </button>
            )}
          </>
        )}

        {(step === 'legal_info' || step === 'prove_checking' || step === 'sms_code') && <PhoneNeeded />}
        {step === 'legal_info' && <LegalInfoForm disabled={!can('SUBMIT_LEGAL_INFO')} onSubmit={(values) => command('SUBMIT_LEGAL_INFO', values)} />}
        {step === 'sms_code' && <SmsCode phone={legalInfo?.phone ?? ''} disabled={!can('SUBMIT_OTP')} onSubmit={(code) => command('SUBMIT_OTP', { code })} />}
        {step === 'veriff_capture' && (
          <div className="veriff">
            <StepHeading>{w.veriffTitle}</StepHeading>
            {idv.resubmission && <Notice tone="info">{w.veriffResubmission}</Notice>}
            <p>{w.veriffHelp}</p>
            {idv.session_url ? (
              <>
                <p>
                  <a className="button primary-link" href={idv.session_url}>
                    {w.veriffGo}
                  </a>
                </p>
                <PhoneHandoff sessionUrl={idv.session_url} />
              </>
            ) : (
              <p className="muted">{w.veriffStarting}</p>
            )}
            {url.searchParams.get('veriff') === 'submitted' && !idv.resubmission && <p className="muted">{w.veriffJustSent}</p>}
          </div>
        )}
        {step === 'confirming_cancel' && (
          <div className="confirm" role="group" aria-label={w.cancelQuestion}>
            <p>
              <strong>{w.cancelQuestion}</strong>
            </p>
            <p className="muted">{w.cancelMeanwhile}</p>
            {can('CONFIRM_CANCEL') && (
              <button type="button" className="danger" disabled={action.busy} onClick={() => action.run(() => command('CONFIRM_CANCEL'))}>
                {w.confirmCancel}
              </button>
            )}
            {can('RESUME_VERIFICATION') && (
              <button type="button" className="secondary" disabled={action.busy} onClick={() => action.run(() => command('RESUME_VERIFICATION'))}>
                {w.resume}
              </button>
            )}
          </div>
        )}

        {status === 'manual_review' && (
          <Notice tone="info">
            <strong>{w.manualReviewTitle}</strong>
            <br />
            {w.manualReviewHelp}
          </Notice>
        )}
        {status === 'verified' && (
          <Notice tone="success">
            <strong>{w.verifiedTitle}</strong>
            <br />
            {w.verifiedHelp} {idv.verified_at && w.verifiedOn(when(idv.verified_at))}
          </Notice>
        )}
        {status === 'failed' && (
          <Notice>
            <strong>{w.failedTitle}</strong>
            <br />
            {w.failedHelp}
          </Notice>
        )}

        {status === 'in_progress' && step !== 'confirming_cancel' && can('CANCEL_VERIFICATION') && (
          <p className="cancel-line">
            <button type="button" className="secondary" disabled={action.busy} onClick={() => action.run(() => command('CANCEL_VERIFICATION'))}>
              {w.cancel}
            </button>
          </p>
        )}
      </section>
      {legalInfo && <LegalInformation info={legalInfo} />}
    </div>
  );
}

function Steps({ current }: { current: number }) {
  const labels = [w.steps.legal, w.steps.phone, w.steps.document];
  return (
    <ol className="steps idv-steps">
      {labels.map((label, i) => (
        <li key={label} aria-current={i === current ? 'step' : undefined} className={i < current ? 'done' : undefined}>
          {label}
        </li>
      ))}
    </ol>
  );
}

/** I4: the one-time code Prove sent by SMS. */
function SmsCode({ phone, disabled, onSubmit }: { phone: string; disabled: boolean; onSubmit: (code: string) => Promise<unknown> }) {
  const id = useId();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const sandbox = useSandboxTestData();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setRefusal(undefined);
    const value = code.trim();
    const problem = !value ? legalFieldError.code.missing : /^\d{4,8}$/.test(value) ? undefined : legalFieldError.code.invalid;
    setError(problem);
    if (problem) return input.current?.focus();
    setBusy(true);
    try {
      await onSubmit(value);
    } catch (err) {
      setRefusal((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="sms-code" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <StepHeading id={`${id}-title`}>{w.smsTitle}</StepHeading>
      <p>{w.smsHelp(phone)}</p>
      {sandbox?.prove && (
        <p className="sandbox-note" role="note">
          {sandboxWords.smsCode(sandbox.prove.sms_code)}
        </p>
      )}
      {refusal && <Notice>{refusal}</Notice>}
      <div className="field">
        <label htmlFor={`${id}-code`}>{w.code}</label>
        <input
          ref={input}
          id={`${id}-code`}
          name="code"
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="one-time-code"
          maxLength={8}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
        {error && (
          <small id={`${id}-error`} className="field-error">
            {error}
          </small>
        )}
      </div>
      <p className="muted">{w.smsFallback}</p>
      <button type="submit" disabled={disabled || busy}>
        {w.submitCode}
      </button>
    </form>
  );
}

/** On the seeker's other tabs while verification is pending: a prompt, or where it stands (I2). */
export function IdvBanner({ seeker }: { seeker: ActorView }) {
  const status = seeker.data.idv_status as IdvStatus;
  if (!PENDING_IDV.includes(status) || seeker.data.account_status === 'closed') return null;
  const step = seeker.data.idv?.step as IdvStep;
  const progress = step ? PROGRESS[step]?.text : undefined;
  const text =
    status === 'in_progress' ? `${idvBanner.in_progress}${progress ? ` ${progress}` : ''}` : idvBanner[status as 'required' | 'cancelled' | 'manual_review'];
  return (
    <aside className="notice info idv-banner" aria-label={w.heading}>
      <span role="status">{text}</span>{' '}
      {status !== 'manual_review' && (
        <a
          href={IDENTITY_TAB}
          onClick={(e) => {
            e.preventDefault();
            navigate(IDENTITY_TAB);
          }}
        >
          {status === 'in_progress' ? idvBanner.continue : idvBanner.go}
        </a>
      )}
    </aside>
  );
}
