import type { CookieRecord } from '../../model/exchange';
import { describeExchange } from '../evidence';
import { lastStoredBy, timeline, type Facts } from '../facts';

/** `The jar holds <shown>, set by 'login' (…) at …`, or that this very response set it (then `setHere` follows). */
export function jarCookieLine(facts: Facts, cookie: CookieRecord, shown: string, setHere = ''): string {
  const setter = lastStoredBy(timeline(facts), cookie.name, cookie.value);
  if (setter?.exchange === facts.exchange) return `This ${facts.response.status} response set ${shown}${setHere}`;
  return `The jar holds ${shown}${setter ? `, set by ${describeExchange(setter.exchange)}` : ''}`;
}
