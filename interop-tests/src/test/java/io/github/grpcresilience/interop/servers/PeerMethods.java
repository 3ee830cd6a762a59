package io.github.grpcresilience.interop.servers;

import com.google.common.io.ByteStreams;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The peers' {@code interop.Peer} service as raw bytes, so that neither side needs generated code:
 * {@code Echo} (unary, idempotent) answers {@code "<server name>:" + request}; {@code Hold} (bidi)
 * sends nothing until the client sends, then echoes each message.
 */
final class PeerMethods {

    static final MethodDescriptor<byte[], byte[]> ECHO = method(MethodDescriptor.MethodType.UNARY, "Echo")
            .toBuilder().setIdempotent(true).build();
    static final MethodDescriptor<byte[], byte[]> HOLD = method(MethodDescriptor.MethodType.BIDI_STREAMING, "Hold");

    private static final long ECHO_DEADLINE_SECONDS = 10;

    private PeerMethods() {
    }

    /** Calls {@code Echo} and returns the answer, {@code "<server name>:" + text}. */
    static String echo(Channel channel, String text) {
        byte[] answer = ClientCalls.blockingUnaryCall(channel, ECHO,
                CallOptions.DEFAULT.withDeadlineAfter(ECHO_DEADLINE_SECONDS, TimeUnit.SECONDS),
                text.getBytes(StandardCharsets.UTF_8));
        return new String(answer, StandardCharsets.UTF_8);
    }

    private static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("interop.Peer", name))
                .setRequestMarshaller(BytesMarshaller.INSTANCE)
                .setResponseMarshaller(BytesMarshaller.INSTANCE)
                .build();
    }

    /** grpc-java has no public byte-array marshaller; this one copies the message as it is. */
    private enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return ByteStreams.toByteArray(stream);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
