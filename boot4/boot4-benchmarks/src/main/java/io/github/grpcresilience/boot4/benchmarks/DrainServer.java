package io.github.grpcresilience.boot4.benchmarks;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server of the SIGTERM-drain benchmark, in its side's JVM: a Spring Boot 4.1 gRPC server on
 * 127.0.0.1 (Spring Boot's defaults, only port and address set) whose unary call echoes after
 * 5 ms. Prints {@code READY} once the application is ready.
 */
@Configuration(proxyBeanMethods = false)
class DrainServer {

    @Bean
    BindableService echoService() {
        return new SimpleServiceGrpc.SimpleServiceImplBase() {
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
        };
    }

    /** Args: side, port. */
    public static void main(String[] args) {
        SideApplication.run(Side.valueOf(args[0]), new Class<?>[] {SideApplication.class, DrainServer.class},
                "spring.grpc.server.port=" + args[1], "spring.grpc.server.address=127.0.0.1",
                "logging.level.io.github.grpcresilience=INFO");
        SideApplication.report("READY");
    }
}
