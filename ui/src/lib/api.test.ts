import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const { appInfo, auditList, auditVerify, isCommandError, onLoginRequired, overview, setup, toCommandError } =
  await import('./api');

describe('toCommandError', () => {
  it('keeps an error sent by a command, field included', () => {
    const sent = { code: 'invalid_codice_fiscale', message: 'Codice fiscale non valido.', field: 'codiceFiscale' };
    expect(toCommandError(sent)).toEqual(sent);
  });

  it('wraps a bare string from the IPC layer with an Italian message', () => {
    const err = toCommandError('Command app_info not allowed by ACL');
    expect(err.code).toBe('ipc');
    expect(err.message).toBe(
      "Comunicazione con l'applicazione non riuscita: Command app_info not allowed by ACL",
    );
    expect(err.field).toBeUndefined();
  });

  it('keeps the problems of refused input', () => {
    const problem = {
      record: 'domanda 1',
      field: 'applicant.codice_fiscale',
      code: 'codice_fiscale_invalid',
      message: 'codice fiscale non valido',
    };
    const sent = { code: 'input_refused', message: 'domanda rifiutata', problems: [problem] };
    expect(toCommandError(sent).problems).toEqual([problem]);
  });

  it('does not take an object with a mistyped field for a command error', () => {
    expect(isCommandError({ code: 'x', message: 'y', field: 3 })).toBe(false);
    expect(isCommandError({ code: 'x', message: 'y', problems: 'tanti' })).toBe(false);
    expect(isCommandError({ code: 'x' })).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });
});

describe('appInfo', () => {
  beforeEach(() => invoke.mockReset());

  it('calls the app_info command and returns its answer', async () => {
    const info = { version: '0.1.0', db_path: '/tmp/x.db', db_exists: false, install: null };
    invoke.mockResolvedValueOnce(info);
    await expect(appInfo()).resolves.toEqual(info);
    expect(invoke).toHaveBeenCalledWith('app_info', undefined);
  });

  it('rejects with a CommandError whatever the IPC layer threw', async () => {
    invoke.mockRejectedValueOnce(new Error('finestra chiusa'));
    await expect(appInfo()).rejects.toEqual({
      code: 'ipc',
      message: "Comunicazione con l'applicazione non riuscita: finestra chiusa",
    });
  });
});

describe('a command answering that nobody is logged in', () => {
  beforeEach(() => invoke.mockReset());

  it('calls the login handler and still rejects with the error', async () => {
    const handler = vi.fn();
    onLoginRequired(handler);
    const sent = { code: 'login_required', message: 'accesso richiesto' };
    invoke.mockRejectedValueOnce(sent);
    await expect(overview()).rejects.toEqual(sent);
    expect(handler).toHaveBeenCalledOnce();

    invoke.mockRejectedValueOnce({ code: 'role_refused', message: 'ruolo' });
    await expect(overview()).rejects.toMatchObject({ code: 'role_refused' });
    expect(handler).toHaveBeenCalledOnce();
  });
});

describe('setup', () => {
  beforeEach(() => invoke.mockReset());

  it('sends the first operator, no full name when none was typed', async () => {
    invoke.mockResolvedValueOnce({});
    await setup('/d.toml', null, '089009', { username: 'm.rossi', name: '  ', password: 'una password' });
    expect(invoke).toHaveBeenCalledWith('setup', {
      districtPath: '/d.toml',
      fingerprint: null,
      comune: '089009',
      username: 'm.rossi',
      name: null,
      password: 'una password',
    });
  });
});

describe('the audit trail', () => {
  beforeEach(() => invoke.mockReset());

  it('sends the query as one argument, and asks the chain with none', async () => {
    invoke.mockResolvedValueOnce([]);
    await auditList({ from: '2026-03-01', to: null, operator: 'demo', newest: 501 });
    expect(invoke).toHaveBeenCalledWith('audit_list', {
      query: { from: '2026-03-01', to: null, operator: 'demo', newest: 501 },
    });
    invoke.mockResolvedValueOnce({ entries: 3 });
    await expect(auditVerify()).resolves.toEqual({ entries: 3 });
    expect(invoke).toHaveBeenLastCalledWith('audit_verify', undefined);
  });

  it('rejects with the message naming the first broken entry', async () => {
    const sent = { code: 'audit_broken', message: 'registro delle attività non integro: voce n. 7 alterata' };
    invoke.mockRejectedValueOnce(sent);
    await expect(auditVerify()).rejects.toEqual(sent);
  });
});
