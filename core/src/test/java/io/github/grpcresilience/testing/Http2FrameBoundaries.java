package io.github.grpcresilience.testing;

/**
 * Follows the frame boundaries of a plaintext (h2c) HTTP/2 client's byte stream, so that a frame
 * can be inserted between two of the client's frames: the 24-byte connection preface, then frames
 * of a 9-byte header (24-bit payload length, type, flags, stream id) and the payload (RFC 9113
 * §3.4, §4.1). Cheap: it reads the three length bytes of each header and skips payloads.
 *
 * <p>A frame may be inserted only after the client's first frame, which RFC 9113 requires to be
 * its SETTINGS. Not thread-safe: the caller's lock guards it.
 */
final class Http2FrameBoundaries {

    static final int PREFACE_LENGTH = 24;
    static final int FRAME_HEADER_LENGTH = 9;
    private static final int LENGTH_FIELD_BYTES = 3;

    private int prefaceLeft = PREFACE_LENGTH;
    private int headerRead;
    private int payloadLength;
    private int payloadLeft;
    private boolean firstFrameDone;

    /** True when the bytes seen so far end between two frames, after the client's first frame. */
    boolean atInsertionPoint() {
        return firstFrameDone && prefaceLeft == 0 && headerRead == 0 && payloadLeft == 0;
    }

    /**
     * Consumes {@code buffer[offset, offset + length)}; with {@code stopAtInsertionPoint}, stops
     * as soon as it reaches an insertion point after at least one byte.
     *
     * @return how many bytes it consumed
     */
    int advance(byte[] buffer, int offset, int length, boolean stopAtInsertionPoint) {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (prefaceLeft > 0) {
                int take = Math.min(prefaceLeft, end - position);
                prefaceLeft -= take;
                position += take;
                continue;
            }
            if (headerRead < FRAME_HEADER_LENGTH) {
                if (headerRead < LENGTH_FIELD_BYTES) {
                    payloadLength = (payloadLength << 8) | (buffer[position] & 0xff);
                }
                position++;
                headerRead++;
                if (headerRead == FRAME_HEADER_LENGTH) {
                    payloadLeft = payloadLength;
                }
            } else {
                int take = Math.min(payloadLeft, end - position);
                payloadLeft -= take;
                position += take;
            }
            if (headerRead == FRAME_HEADER_LENGTH && payloadLeft == 0) {
                headerRead = 0;
                payloadLength = 0;
                firstFrameDone = true;
                if (stopAtInsertionPoint) {
                    break;
                }
            }
        }
        return position - offset;
    }
}
