package io.github.grpcresilience.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Http2FrameBoundariesTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Preface, SETTINGS (6), HEADERS (300), DATA (70,000: all three length bytes), SETTINGS ACK (0). */
    private static final int[] PAYLOADS = {6, 300, 70_000, 0};

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 9, 10, 17, 24, 33, 16_384, 1_000_000})
    void findsEveryBoundaryAfterTheFirstFrameWhateverTheReadSizes(int readSize) {
        byte[] stream = clientBytes();
        Http2FrameBoundaries frames = new Http2FrameBoundaries();
        List<Integer> insertionPoints = new ArrayList<>();
        int position = 0;
        while (position < stream.length) {
            int read = Math.min(readSize, stream.length - position);
            int end = position + read;
            while (position < end) {
                position += frames.advance(stream, position, end - position, true);
                if (frames.atInsertionPoint()) {
                    insertionPoints.add(position);
                }
            }
        }
        assertThat(insertionPoints).containsExactly(expectedInsertionPoints());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 9, 16_384})
    void withoutStoppingItConsumesEverythingAndEndsWhereTheStreamEnds(int readSize) {
        byte[] stream = clientBytes();
        Http2FrameBoundaries frames = new Http2FrameBoundaries();
        for (int position = 0; position < stream.length; position += readSize) {
            int read = Math.min(readSize, stream.length - position);
            assertThat(frames.advance(stream, position, read, false)).isEqualTo(read);
        }
        assertThat(frames.atInsertionPoint()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 24, 30})
    void neverBeforeTheClientsFirstFrameIsComplete(int length) {
        Http2FrameBoundaries frames = new Http2FrameBoundaries();
        frames.advance(clientBytes(), 0, length, true);
        assertThat(frames.atInsertionPoint()).isFalse();
    }

    private static byte[] clientBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREFACE);
        byte type = 0;
        for (int payload : PAYLOADS) {
            out.write(payload >>> 16);
            out.write(payload >>> 8);
            out.write(payload);
            out.write(type++);
            out.writeBytes(new byte[] {0, 0, 0, 0, 1});
            out.writeBytes(new byte[payload]);
        }
        return out.toByteArray();
    }

    private static Integer[] expectedInsertionPoints() {
        List<Integer> points = new ArrayList<>();
        int position = PREFACE.length;
        for (int payload : PAYLOADS) {
            position += Http2FrameBoundaries.FRAME_HEADER_LENGTH + payload;
            points.add(position);
        }
        return points.toArray(Integer[]::new);
    }
}
