package io.github.grpcresilience.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.keepalive.TcpKeepAlive;
import io.github.grpcresilience.testing.TestCertificates;
import io.github.grpcresilience.transport.TestServers;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GOAWAY tap sees and classifies a server's GOAWAY {@code max_age} on a TLS and a mutual-TLS
 * connection, on both Netty flavours. On TLS grpc-java adds its HTTP/2 handler only after the
 * handshake, later than on plaintext, and the tap must still find it. The connection is idle when
 * the GOAWAY arrives: no call fails, so only the tap can tell.
 */
class TlsMaxConnectionAgeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.grpcresilience.tls.TlsCase#all")
    void maxAgeGoAwayIsClassified(TlsCase tls) throws Exception {
        Server server = tls.serverBuilder(0).addService(new TestServers.QuietService())
                .maxConnectionAge(1, TimeUnit.SECONDS).build().start();
        GoAwayRegistry goAways = new GoAwayRegistry();
        try (TransportHooks hooks = new TransportHooks(TransportKind.AUTO)) {
            ManagedChannelBuilder<?> builder = tls.channelBuilder(server.getPort());
            var unused = hooks.install(builder, TcpKeepAlive.DEFAULT, goAways.listenerFor("aged")).orElseThrow();
            ManagedChannel channel = builder.build();
            try {
                SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.getDefaultInstance());

                await().atMost(WAIT).until(() -> goAways.count("aged", GoAwayReason.MAX_AGE) > 0);
                assertThat(goAways.counts("aged")).containsEntry(GoAwayReason.TOO_MANY_PINGS, 0L)
                        .containsEntry(GoAwayReason.MAX_IDLE, 0L)
                        .containsEntry(GoAwayReason.NO_ERROR, 0L)
                        .containsEntry(GoAwayReason.OTHER, 0L);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * With TLS 1.2 the server finishes the handshake last and may send its SETTINGS in the same
     * read as its Finished message, so grpc-java's HTTP/2 handler appears in the middle of a read
     * the tap has already passed on; the tap must still be in place for the GOAWAY.
     */
    @Test
    void maxAgeGoAwayIsClassifiedOnTls12() throws Exception {
        AtomicReference<String> protocol = new AtomicReference<>();
        ServerInterceptor recordProtocol = new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
                    Metadata headers, ServerCallHandler<ReqT, RespT> next) {
                protocol.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION).getProtocol());
                return next.startCall(call, headers);
            }
        };
        TestCertificates certificates = TlsCase.CERTIFICATES;
        SslContext tls12 = GrpcSslContexts.forServer(certificates.serverCertificateChain().toFile(),
                certificates.serverPrivateKey().toFile()).protocols("TLSv1.2").build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).sslContext(tls12)
                .addService(ServerInterceptors.intercept(new TestServers.QuietService(), recordProtocol))
                .maxConnectionAge(1, TimeUnit.SECONDS).build().start();
        GoAwayRegistry goAways = new GoAwayRegistry();
        try (TransportHooks hooks = new TransportHooks(TransportKind.AUTO)) {
            ManagedChannelBuilder<?> builder = new TlsCase(false, false).channelBuilder(server.getPort());
            var unused = hooks.install(builder, TcpKeepAlive.DEFAULT, goAways.listenerFor("aged")).orElseThrow();
            ManagedChannel channel = builder.build();
            try {
                SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .unaryRpc(SimpleRequest.getDefaultInstance());
                assertThat(protocol).hasValue("TLSv1.2");

                await().atMost(WAIT).until(() -> goAways.count("aged", GoAwayReason.MAX_AGE) > 0);
                assertThat(goAways.count("aged", GoAwayReason.OTHER)).isZero();
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
