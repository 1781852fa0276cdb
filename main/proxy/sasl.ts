// SASL, as far as the proxy observes it (POP3 AUTH, RFC 5034; IMAP AUTHENTICATE, RFC 4959): which user a
// client authenticates as, for the detections log. Both layers read it from the same first response.

/** The initial response given with the command (`AUTH PLAIN <b64>`); `=` is an empty one, i.e. none. */
export function saslInitialResponse(word: string | undefined): string | undefined {
  return word && word !== '=' ? word : undefined;
}

/**
 * The user named by the client's first SASL response: PLAIN (authzid NUL authcid NUL password), LOGIN
 * (the user name), CRAM-MD5 (`user digest`), DIGEST-MD5 (`username="…"`), XOAUTH2/OAUTHBEARER (`user=`).
 */
export function saslUser(mechanism: string, base64: string): string | undefined {
  const decoded = Buffer.from(base64, 'base64').toString('utf8');
  switch (mechanism) {
    case 'PLAIN':
      return decoded.split('\0')[1] || undefined;
    case 'LOGIN':
      return decoded || undefined;
    case 'CRAM-MD5':
      return decoded.slice(0, decoded.lastIndexOf(' ')) || undefined;
    case 'DIGEST-MD5':
      return /username="((?:[^"\\]|\\.)*)"/.exec(decoded)?.[1];
    case 'XOAUTH2':
    case 'OAUTHBEARER':
      return /user=([^\x01,]+)/.exec(decoded)?.[1];
    default:
      return undefined;
  }
}
