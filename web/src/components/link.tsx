// An in-app link: a real <a href> (so it opens in a new tab and reads as a link) that navigates
// with the History API on a plain click.
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from '../router.js';

/**
 * @example <Link to="/protect">{t('nav.protect')}</Link>
 */
export function Link({
  to,
  onClick,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}
