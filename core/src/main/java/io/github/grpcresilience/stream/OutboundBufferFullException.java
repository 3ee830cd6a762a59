package io.github.grpcresilience.stream;

/** Thrown by {@code send} when a disconnected stream's outbound buffer is full. */
public class OutboundBufferFullException extends RuntimeException {

    public OutboundBufferFullException(String stream, int capacity) {
        super("The outbound buffer of stream '" + stream + "' is full (" + capacity
                + " messages) while the stream is down; raise outbound-buffer.capacity or choose another "
                + "outbound-buffer.overflow policy");
    }
}
