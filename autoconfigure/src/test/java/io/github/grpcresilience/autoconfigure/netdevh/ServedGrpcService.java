package io.github.grpcresilience.autoconfigure.netdevh;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.devh.boot.grpc.server.service.GrpcService;

/** Serves the annotated service bean on net.devh's server (net.devh's {@code @GrpcService}), for tests elsewhere. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@GrpcService
public @interface ServedGrpcService {
}
