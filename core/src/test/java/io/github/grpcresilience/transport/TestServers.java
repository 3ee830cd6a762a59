package io.github.grpcresilience.transport;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/** Real Netty gRPC servers on 127.0.0.1 with an ephemeral port, serving {@link SimpleServiceGrpc}. */
public final class TestServers {

    private TestServers() {
    }

    /**
     * The test service: unary echoes the request; server streaming sends one response at once and
     * then keeps the stream open and quiet until the client cancels (a quiet subscription).
     */
    public static class QuietService extends SimpleServiceGrpc.SimpleServiceImplBase {
        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
            responses.onCompleted();
        }

        @Override
        public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage("subscribed").build());
        }
    }

    public static Server start() throws IOException {
        return start(UnaryOperator.identity());
    }

    /** Starts a server after {@code customizer} had its say on the builder. */
    public static Server start(UnaryOperator<NettyServerBuilder> customizer) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new QuietService());
        return customizer.apply(builder).build().start();
    }
}
