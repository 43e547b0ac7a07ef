// The user in the top bar: name, role, clearance and compartments, and a menu to sign out here or
// everywhere. A menu button in the WAI-ARIA pattern: arrows move, Escape closes, focus returns.
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTaxonomies } from '../app-context.js';
import type { Me } from '../contract.js';
import { t } from '../i18n.js';
import { classificationColours } from '../marking.js';
import { signOut } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';

/**
 * `data-testid="user-slot"`; the menu button is `user-menu`, its items `sign-out` and
 * `sign-out-everywhere`.
 *
 * @example <UserSlot me={me} />
 */
export function UserSlot({ me }: { me: Me }) {
  const taxonomies = useTaxonomies();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const slotRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const colours = classificationColours(taxonomies, me.clearance);
  const clearanceLabel = codeLabel(taxonomies, 'classification', me.clearance);

  // Open: focus the first item. Clicking elsewhere closes.
  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!slotRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      go(index + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      go(index - 1);
    } else if (event.key === 'Home') {
      event.preventDefault();
      go(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      go(items.length - 1);
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const leave = (everywhere: boolean) => {
    setBusy(true);
    void signOut(everywhere);
  };

  return (
    <div className="user-slot" ref={slotRef} data-testid="user-slot">
      <button
        ref={buttonRef}
        type="button"
        className="user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        title={`${me.fullName || me.username} — ${me.roleLabel}. ${t('user.menuHint')}`}
        data-testid="user-menu"
      >
        <svg className="user-icon" viewBox="0 0 16 16" aria-hidden="true">
          <circle cx="8" cy="5.5" r="3" />
          <path d="M2.5 14c.6-3 2.8-4.5 5.5-4.5s4.9 1.5 5.5 4.5" />
        </svg>
        <span className="user-names">
          <span className="user-name" data-testid="user-name">
            {me.fullName || me.username}
          </span>
          <span className="user-role" data-testid="user-role">
            {me.roleLabel}
          </span>
        </span>
        <svg className="user-chevron" viewBox="0 0 10 10" aria-hidden="true">
          <path d="M2 3.5l3 3 3-3" />
        </svg>
      </button>
      <span
        className="clearance-tag"
        style={{ backgroundColor: colours.background, color: colours.foreground }}
        title={t('user.clearanceHint', { level: clearanceLabel })}
        data-testid="user-clearance"
      >
        <span className="sr-only">{t('user.clearance')} </span>
        {me.clearance}
      </span>
      {me.compartments.map((c) => (
        <span
          key={c}
          className="compartment-tag compartment-tag-chrome"
          title={t('user.compartmentHint', {
            compartment: codeLabel(taxonomies, 'compartment', c),
          })}
          data-testid="user-compartment"
        >
          <span className="sr-only">{t('user.compartment')} </span>
          {c}
        </span>
      ))}
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          className="user-menu"
          role="menu"
          aria-label={t('user.menu')}
          onKeyDown={onMenuKey}
          data-testid="user-menu-list"
        >
          <div className="user-menu-info" role="presentation">
            <span className="user-menu-name">{me.fullName || me.username}</span>
            <span className="mono">{me.username}</span>
            <span>{me.roleLabel}</span>
            <span>{t('user.clearanceLine', { level: clearanceLabel })}</span>
            <span>
              {t('user.organisationsLine', {
                organisations: me.organisations.join(', ') || t('table.noValue'),
              })}
            </span>
            <span>
              {t('user.compartmentsLine', {
                compartments: me.compartments.join(', ') || t('user.noCompartments'),
              })}
            </span>
          </div>
          <button
            type="button"
            role="menuitem"
            className="user-menu-item"
            disabled={busy}
            onClick={() => leave(false)}
            data-testid="sign-out"
          >
            {t('user.signOut')}
          </button>
          <button
            type="button"
            role="menuitem"
            className="user-menu-item"
            disabled={busy}
            onClick={() => leave(true)}
            title={t('user.signOutEverywhereHint')}
            data-testid="sign-out-everywhere"
          >
            {t('user.signOutEverywhere')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
