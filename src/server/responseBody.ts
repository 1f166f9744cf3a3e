import { minResponseBytes } from './serverOptions.js';

/**
 * The JSON body every modelled response carries, exactly `bytes` long:
 * `{"ok":true,"pad":"xxx…"}`, or `{"ok":true}` followed by spaces (valid JSON
 * whitespace) when there is no room for the pad field. Built once per
 * server, so answering costs no allocation per request.
 */
export function responseBody(bytes: number): Buffer {
  const prefix = '{"ok":true,"pad":"';
  const suffix = '"}';
  const room = bytes - prefix.length - suffix.length;
  const text =
    room >= 0
      ? `${prefix}${'x'.repeat(room)}${suffix}`
      : `{"ok":true}${' '.repeat(Math.max(0, bytes - minResponseBytes))}`;
  return Buffer.from(text, 'utf8');
}
