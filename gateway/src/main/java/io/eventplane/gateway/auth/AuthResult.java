package io.eventplane.gateway.auth;

/** What verifying a request's Signature Version 4 gives: who signed it, or why it is refused. */
public sealed interface AuthResult permits Verified, AuthFailure {}
