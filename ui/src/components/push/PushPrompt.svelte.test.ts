import { flushSync } from 'svelte';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import PushPrompt from './PushPrompt.svelte';
import type { PushRequest } from '../../lib/api';
import { PushState } from '../../lib/push.svelte';
import { SettingsState } from '../../lib/settings.svelte';
import { describedText, isInvalid, settingsReply } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

const request = (overrides: Partial<PushRequest> = {}): PushRequest => ({
  tokenId: 't1',
  nonce: 'n1',
  issuer: 'privacyIDEA',
  label: 'PIPU0001',
  serial: 'PIPU0001',
  title: 'ACME login',
  question: 'Log in from 192.0.2.7?',
  presenceOptions: [],
  takesDeclineReason: true,
  expiresAtMs: 120_000,
  unlockRequired: false,
  ...overrides,
});

function answering(outcome = 'accepted', displayCode: string | null = null) {
  const answers: unknown[] = [];
  mockIPC((command, args) => {
    if (command === 'answer_push') {
      answers.push((args as { answer: unknown }).answer);
      return { outcome, displayCode };
    }
  });
  return answers;
}

describe('PushPrompt', () => {
  it('shows the code to type on the login page after an accept, with the time left', async () => {
    answering('accepted', '42');
    const push = new PushState();
    push.receive(request());
    render(PushPrompt, { push, settings: new SettingsState(), nowMs: 30_000 });
    await fireEvent.click(screen.getByTestId('push-accept'));
    const shown = await screen.findByTestId('push-display-code');
    expect(shown.querySelector('[aria-hidden=true]')?.textContent).toBe('42');
    expect(screen.getByTestId('push-display-code-left').textContent).toContain('90 s left');
    // Said when the dialog opens, the code digit by digit; the ticking seconds are not in it.
    const outcome = screen.getByRole('alertdialog', {
      description: /enter this code on the login page.*4 2$/,
    });
    expect(outcome.getAttribute('aria-describedby')).toBe('push-outcome-detail');
  });

  it('shows the request and accepts with one tap', async () => {
    const answers = answering();
    const push = new PushState();
    push.receive(request());
    render(PushPrompt, { push, settings: new SettingsState(), nowMs: 30_000 });
    expect(screen.getByTestId('push-question').textContent).toBe('Log in from 192.0.2.7?');
    expect(screen.getByTestId('push-time-left').textContent).toContain('90 s');
    // The alert dialog names the service and asks the question.
    const dialog = screen.getByRole('alertdialog', {
      name: 'Login request ACME login',
      // jsdom reads a space before the hidden comma.
      description: /^Log in from 192\.0\.2\.7\? privacyIDEA ?, PIPU0001$/,
    });
    expect(dialog).toBeTruthy();
    expect(screen.getByText(/privacyIDEA/).textContent?.match(/PIPU0001/g)).toHaveLength(1);
    await fireEvent.click(screen.getByTestId('push-accept'));
    expect(answers).toEqual([{ kind: 'accept' }]);
    const outcome = await screen.findByTestId('push-outcome');
    expect(outcome.dataset.outcome).toBe('accepted');
    expect(outcome.textContent).toContain('Login accepted');
  });

  it('shows server text as text, never as markup', () => {
    const push = new PushState();
    push.receive(request({ question: '<img src=x onerror="alert(1)"><b>bold</b>' }));
    render(PushPrompt, { push, settings: new SettingsState(), nowMs: 0 });
    const question = screen.getByTestId('push-question');
    expect(question.textContent).toBe('<img src=x onerror="alert(1)"><b>bold</b>');
    expect(question.querySelector('img, b')).toBeNull();
  });

  it('offers the numbers and no Accept under number matching', async () => {
    const answers = answering();
    const push = new PushState();
    push.receive(request({ presenceOptions: ['11', '17', '21'] }));
    render(PushPrompt, { push, settings: new SettingsState(), nowMs: 0 });
    expect(screen.queryByTestId('push-accept')).toBeNull();
    const choices = screen.getAllByTestId('push-choice').map((b) => b.textContent?.trim());
    expect(choices).toEqual(['11', '17', '21']);
    // Each says what it does, not a bare number.
    expect(screen.getByRole('button', { name: 'Pick 17' })).toBe(screen.getAllByTestId('push-choice')[1]);
    await fireEvent.click(screen.getAllByTestId('push-choice')[1] as HTMLElement);
    expect(answers).toEqual([{ kind: 'choice', option: '17' }]);
  });

  it('declines as "this wasn\'t me" and reports rejection', async () => {
    const answers = answering('declined');
    const push = new PushState();
    push.receive(request());
    render(PushPrompt, { push, settings: new SettingsState(), nowMs: 0 });
    await fireEvent.click(screen.getByTestId('push-not-me'));
    expect(answers).toEqual([{ kind: 'decline', notMe: true }]);
    expect((await screen.findByTestId('push-outcome')).textContent).toContain('Login rejected');
  });

  it('reads the time left at a few steps, not every second', async () => {
    const push = new PushState();
    push.receive(request());
    const { rerender } = render(PushPrompt, { push, settings: new SettingsState(), nowMs: 30_000 });
    const spoken = screen.getByTestId('push-time-spoken');
    expect(spoken.getAttribute('aria-live')).toBe('polite');
    expect(screen.getByTestId('push-time-left').getAttribute('aria-hidden')).toBe('true');
    const heard = new Set<string>();
    for (let now = 30_000; now <= 120_000; now += 1_000) {
      await rerender({ push, settings: new SettingsState(), nowMs: now });
      heard.add(spoken.textContent?.trim() ?? '');
    }
    expect([...heard]).toEqual([
      'Less than 120 seconds left to answer',
      'Less than 60 seconds left to answer',
      'Less than 30 seconds left to answer',
      'Less than 10 seconds left to answer',
    ]);
  });

  it('turns a request past its time into "expired", and ignores repeats', () => {
    const push = new PushState();
    push.receive(request());
    push.receive(request());
    expect(push.queue).toHaveLength(1);
    push.expire(120_000);
    expect(push.queue).toHaveLength(0);
    expect(push.answered?.outcome).toBe('expired');
  });

  it('writes nothing when nothing expired, so the clock effect that calls it settles', () => {
    const push = new PushState();
    push.receive(request());
    let runs = 0;
    const stop = $effect.root(() => {
      $effect(() => {
        runs += 1;
        push.expire(60_000);
      });
    });
    flushSync();
    flushSync(() => push.receive(request({ nonce: 'another' })));
    stop();
    // Once at the start and once for the second request: no loop.
    expect(runs).toBe(2);
    expect(push.queue).toHaveLength(2);
  });

  it('asks for the passcode before an Accept when every approval is confirmed, and keeps the request on a wrong one', async () => {
    const sent: { passcode: unknown }[] = [];
    mockIPC((command, args) => {
      if (command === 'answer_push') {
        const { passcode } = args as { passcode: unknown };
        sent.push({ passcode });
        if (passcode !== '24681357') throw { code: 'wrong_passcode', message: 'no', field: 'passcode' };
        return { outcome: 'accepted', displayCode: null };
      }
    });
    const settings = new SettingsState();
    settings.settings = settingsReply();
    const push = new PushState();
    push.receive(request());
    render(PushPrompt, { push, settings, nowMs: 0 });
    const accept = screen.getByTestId('push-accept') as HTMLButtonElement;
    expect(accept.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('push-passcode'), { target: { value: '11111111' } });
    await fireEvent.click(accept);
    expect((await screen.findByTestId('form-error')).dataset.errorCode).toBe('wrong_passcode');
    expect(screen.getByTestId('push-prompt')).toBeTruthy();
    await fireEvent.input(screen.getByTestId('push-passcode'), { target: { value: '24681357' } });
    await fireEvent.click(screen.getByTestId('push-accept'));
    expect(await screen.findByTestId('push-outcome')).toBeTruthy();
    expect(sent).toEqual([{ passcode: '11111111' }, { passcode: '24681357' }]);
  });

  it('a server that demands the unlock step gets it even without "Confirm every approval"', () => {
    const push = new PushState();
    push.receive(request({ unlockRequired: true }));
    const settings = new SettingsState();
    settings.settings = settingsReply({ lock: 'off', confirmApprovals: false });
    render(PushPrompt, { push, settings, nowMs: 0 });
    expect(screen.getByTestId('push-passcode')).toBeTruthy();
  });
});

describe('PushPrompt with the passcode asked', () => {
  it('ties a wrong passcode to the passcode field', async () => {
    mockIPC((command) => {
      if (command === 'answer_push') throw { code: 'wrong_passcode', message: 'no', field: 'passcode' };
    });
    const push = new PushState();
    push.receive(request());
    const settings = new SettingsState();
    settings.settings = settingsReply({ confirmApprovals: true });
    render(PushPrompt, { push, settings, nowMs: 0 });
    const passcode = screen.getByTestId('push-passcode');
    expect(isInvalid(passcode)).toBe(false);
    expect(passcode.hasAttribute('aria-describedby')).toBe(false);
    await fireEvent.input(passcode, { target: { value: '11111111' } });
    await fireEvent.click(screen.getByTestId('push-accept'));
    await screen.findByTestId('form-error');
    expect(isInvalid(passcode)).toBe(true);
    expect(passcode.getAttribute('aria-describedby')).toBe('push-error');
    expect(describedText(passcode)).toBe('That is not your passcode.');
  });
});
