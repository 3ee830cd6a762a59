package io.github.grpcresilience.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated PKI works for mutual TLS with hostname verification, and a client without a certificate is refused. */
class TestCertificatesTest {

    private static TestCertificates certificates;
    private static Server server;

    @BeforeAll
    static void startMutualTlsServer() throws Exception {
        certificates = TestCertificates.generate();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                certificates.serverCredentials(true)).addService(new TestServers.QuietService()).build().start();
    }

    @AfterAll
    static void stopServer() {
        server.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void aClientWithItsCertificateConnectsByNameAndByAddress(String host) throws Exception {
        assertThat(Files.readString(certificates.serverPrivateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(certificates.serverCertificateChain()).split("BEGIN CERTIFICATE")).hasSize(3);
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, server.getPort(),
                certificates.channelCredentials(true)).build();
        try {
            assertThat(SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hello").build()).getResponseMessage())
                    .isEqualTo("hello");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.getPort(),
                certificates.channelCredentials(false)).build();
        try {
            assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
