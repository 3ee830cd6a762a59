package io.github.grpcresilience.stream;

/**
 * Thrown by {@code send} when the stream has ended (closed by the application, completed by the
 * server, or FAILED), also to a sender that was waiting for room under {@code BLOCK} when it
 * ended: the message was not accepted and is still the caller's.
 */
public class StreamEndedException extends IllegalStateException {

    public StreamEndedException(String stream) {
        super("Stream '" + stream + "' has ended: it takes no more messages");
    }
}
