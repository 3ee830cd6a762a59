package io.github.grpcresilience.dropin;

import com.jayway.jsonpath.JsonPath;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Calls into an application from the test JVM: gRPC with grpc-java, HTTP with the JDK's client, both on 127.0.0.1. */
final class Calls {

    /**
     * Boot shows no health components by default and answers 404 for a component's path (even
     * {@code /actuator/health/ping}); an operator who wants to see them sets this.
     */
    static final String SHOW_COMPONENTS = "--management.endpoint.health.show-components=always";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * {@code example.greeter.v1.Greeter/SayHello} of the applications' own greeter.proto, with the
     * protobuf encoding written out (field 1, a string) so the tests need no generated code.
     */
    private static final MethodDescriptor<String, String> SAY_HELLO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("example.greeter.v1.Greeter/SayHello")
            .setRequestMarshaller(new StringField1())
            .setResponseMarshaller(new StringField1())
            .build();

    private Calls() {
    }

    static HealthCheckResponse.ServingStatus healthCheck(int grpcPort) {
        return healthCheck(grpcPort, "");
    }

    /** grpc.health.v1 Check of one service name ("" for the server as a whole). */
    static HealthCheckResponse.ServingStatus healthCheck(int grpcPort, String service) {
        ManagedChannel channel = channel(grpcPort);
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
        } finally {
            channel.shutdownNow();
        }
    }

    static String sayHello(int grpcPort, String name) {
        ManagedChannel channel = channel(grpcPort);
        try {
            return ClientCalls.blockingUnaryCall(channel, SAY_HELLO,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), name);
        } finally {
            channel.shutdownNow();
        }
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    record Http(int status, String body) {
    }

    static Http get(int httpPort, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Http(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status at a JSON path of a health response, "$" for the top. */
    static String status(Http health, String path) {
        return JsonPath.read(health.body(), path + ".status");
    }

    static Set<String> componentNames(Http health) {
        Map<String, Object> components = JsonPath.read(health.body(), "$.components");
        return components.keySet();
    }

    /** A message whose only field is string field 1 (HelloRequest.name, HelloReply.message). */
    private static final class StringField1 implements MethodDescriptor.Marshaller<String> {

        @Override
        public InputStream stream(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x0A); // field 1, length-delimited
            writeVarint(out, utf8.length);
            out.writeBytes(utf8);
            return new ByteArrayInputStream(out.toByteArray());
        }

        @Override
        public String parse(InputStream stream) {
            try {
                byte[] bytes = stream.readAllBytes();
                if (bytes.length == 0) {
                    return "";
                }
                if (bytes[0] != 0x0A) {
                    throw new IllegalArgumentException("not string field 1: tag " + bytes[0]);
                }
                int length = 0;
                int shift = 0;
                int index = 1;
                byte b;
                do {
                    b = bytes[index++];
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                return new String(bytes, index, length, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void writeVarint(ByteArrayOutputStream out, int value) {
            while ((value & ~0x7F) != 0) {
                out.write((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write(value);
        }
    }
}
