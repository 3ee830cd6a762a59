package io.github.grpcresilience.serviceconfig;

/** Why a call made a further attempt. */
public enum AttemptKind {
    /** The previous attempt failed with a retryable code. */
    RETRY,
    /** The hedging delay passed without an answer. */
    HEDGE
}
