package io.github.grpcresilience.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@link FaultInjectingProxy#injectPings(int)} puts its frames, byte for byte: a raw client
 * writes HTTP/2 frames in pieces through the proxy to a target that records what arrives.
 */
class FaultInjectingProxyFramingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SETTINGS = frame(0x4, 6);
    private static final byte[] DATA = frame(0x0, 100);
    private static final byte[] PING = {0, 0, 8, 0x6, 0, 0, 0, 0, 0, 'i', 'n', 'j', 'e', 'c', 't', 'e', 'd'};

    private ServerSocket target;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private FaultInjectingProxy proxy;
    private Socket client;

    @BeforeEach
    void start() throws IOException {
        target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(this::record);
        proxy = FaultInjectingProxy.start("127.0.0.1", target.getLocalPort());
        client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        await().atMost(WAIT).until(() -> proxy.connectionCount() == 1);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        proxy.close();
        target.close();
    }

    @Test
    void pingsRequestedInsideAFrameFollowThatFrame() throws IOException {
        send(PREFACE, SETTINGS, Arrays.copyOf(DATA, 40));

        assertThat(proxy.injectPings(1)).isEqualTo(1);
        send(Arrays.copyOfRange(DATA, 40, DATA.length), DATA);

        assertReceived(concat(PREFACE, SETTINGS, DATA, PING, DATA));
    }

    @Test
    void pingsRequestedBetweenFramesGoAtOnce() throws IOException {
        send(PREFACE, SETTINGS);

        proxy.injectPings(2);

        assertReceived(concat(PREFACE, SETTINGS, PING, PING));
    }

    @Test
    void pingsWaitForTheClientsFirstFrameAfterThePreface() throws IOException {
        send(PREFACE);

        proxy.injectPings(1);
        send(SETTINGS, DATA);

        assertReceived(concat(PREFACE, SETTINGS, PING, DATA));
    }

    /** Writes the pieces and waits until the target has them, so the next step starts after them. */
    private void send(byte[]... pieces) throws IOException {
        int before = receivedLength();
        byte[] bytes = concat(pieces);
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
        await().atMost(WAIT).until(() -> receivedLength() >= before + bytes.length);
    }

    private void assertReceived(byte[] expected) {
        await().atMost(WAIT).until(() -> receivedLength() >= expected.length);
        synchronized (received) {
            assertThat(received.toByteArray()).isEqualTo(expected);
        }
    }

    private int receivedLength() {
        synchronized (received) {
            return received.size();
        }
    }

    private void record() {
        try (Socket accepted = target.accept(); InputStream in = accepted.getInputStream()) {
            byte[] buffer = new byte[1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                synchronized (received) {
                    received.write(buffer, 0, read);
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private static byte[] frame(int type, int payloadLength) {
        byte[] frame = new byte[Http2FrameBoundaries.FRAME_HEADER_LENGTH + payloadLength];
        frame[2] = (byte) payloadLength;
        frame[3] = (byte) type;
        Arrays.fill(frame, Http2FrameBoundaries.FRAME_HEADER_LENGTH, frame.length, (byte) 0x7f);
        return frame;
    }

    private static byte[] concat(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}
