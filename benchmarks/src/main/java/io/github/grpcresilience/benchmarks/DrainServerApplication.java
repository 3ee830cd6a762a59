package io.github.grpcresilience.benchmarks;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import net.devh.boot.grpc.server.service.GrpcService;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The server of the SIGTERM-drain benchmark, in its own JVM: a Spring Boot application with a
 * net.devh gRPC server on 127.0.0.1 whose unary call echoes after 5 ms, either with the starter
 * ({@code starter}) or plain net.devh ({@code plain}, the starter switched off). Both use the
 * defaults a new user has. Prints {@code READY} once the application is ready.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(DrainServerApplication.EchoService.class)
public class DrainServerApplication {

    @GrpcService
    static class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {
        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
            responses.onCompleted();
        }
    }

    public static void main(String[] args) {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        new SpringApplicationBuilder(DrainServerApplication.class).web(WebApplicationType.NONE)
                .properties("grpc.server.port=" + port, "grpc.server.address=127.0.0.1", "grpc.client.GLOBAL.negotiation-type=plaintext",
                        "spring.main.banner-mode=off", "logging.level.root=WARN",
                        "logging.level.io.github.grpcresilience=INFO",
                        "grpc.resilience.enabled=" + mode.equals("starter"))
                .run();
        System.out.println("READY");
        System.out.flush();
    }
}
