package io.github.grpcresilience.stream;

/** What {@code send} does when the outbound buffer of a disconnected stream is full. */
public enum OverflowPolicy {
    /** {@code send} throws {@link OutboundBufferFullException}: nothing is lost silently. */
    FAIL,
    /** The oldest buffered message is dropped (and counted) to make room. */
    DROP_OLDEST,
    /** {@code send} blocks until there is room or the block timeout passes, then throws. */
    BLOCK
}
