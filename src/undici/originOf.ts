import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** `scheme://host:port` of an undici origin, or '' for none that parses. */
export function originOrEmpty(origin: string | URL | undefined): string {
  try {
    return originOf(origin);
  } catch {
    return '';
  }
}

/** `scheme://host:port` of an undici origin, or an error naming it. */
export function originOf(origin: string | URL | undefined): string {
  let url: URL;
  try {
    url = new URL(String(origin));
  } catch {
    throw new InvalidOptionError('origin', origin, 'an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('origin', origin, 'an http:// or https:// URL');
  }
  return url.origin;
}
