package io.github.grpcresilience.interop.js.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application that never knew about the starter: net.devh's server with one service of its
 * own ({@link EchoService}) and nothing else. The grpc-js tests run it with the starter on its
 * class path, and, as the control, with {@code grpc.resilience.enabled=false}.
 */
@SpringBootApplication
public class PlainGrpcApplication {
}
