/**
 * The request body every bench POSTs: 75 bytes of JSON, the size of the
 * charging requests in golang/go#52845.
 */

/** The body as text (for `fetch`, which takes a string). */
export const seedBodyText = `{"subscriberId":"imsi-001010123456789","ratingGroup":100,"units":1,"p":"x"}`;

/** The body as bytes (for node:http2 and h2flow's client). */
export const seedBody = Buffer.from(seedBodyText);
